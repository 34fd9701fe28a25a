import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { expectedAccessGrid } from "../../src/projection/accessGrid.js";
import { makeGpWorld, stepGps, supplyByMunicipality, type GpRules, type GpWorld, type YearContext } from "../../src/projection/gps.js";
import { measureSupplyFlows, tenderedSupplyByMunicipality, type SupplyFlows } from "../../src/projection/replication.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { gpRegister, gpRules, yearContext } from "./gpWorld.js";

/**
 * The GP-supply flows the decomposition reads (src/results/decomposition.ts): a year's supply
 * change per municipality = entrants + movers (net) + Δtendered − retired, with "retired" the
 * capacity of the GPs who retired.
 */
const geography = defaultGeography();
const byCode = (code: number) => geography.municipalities.find((m) => m.code === code)!;
const koebenhavn = byCode(101);
const aalborg = byCode(851);

/** One step with the supply flows measured around it, as the projection does. */
function measuredStep(world: GpWorld, r: GpRules, ctx: YearContext) {
  const n = geography.municipalities.length;
  const before = {
    supplyBefore: supplyByMunicipality(world, n),
    tenderedBefore: tenderedSupplyByMunicipality(world, n),
    gpsBefore: world.gpAge.length,
  };
  const flows = stepGps(world, r, ctx);
  const supply: SupplyFlows = { entrants: new Float64Array(n), retired: new Float64Array(n) };
  measureSupplyFlows(world, supply, { ...before, moversNet: flows.moverCapacitiesNet });
  return { flows, supply };
}

describe("GP-supply flows for the decomposition", () => {
  it("gives a GP who moves to another council exactly minus its capacity at home and plus its new place's there", () => {
    // One GP of 1.5 capacities in København (its council at need: closed), Aalborg far below need.
    const need = new Float64Array(98);
    need[koebenhavn.index] = 1.5;
    need[aalborg.index] = 20;
    const overrides = {
      "gp.moveShare": 0.3,
      "settle.outsideUtility": -10,
      "training.placesPerYear": 0,
      "training.historicPlacesPerYear": 0,
    };
    let moved = false;
    for (let replication = 0; replication < 60 && !moved; replication++) {
      const reg = gpRegister([{ municipality: koebenhavn.index, gpAge: 40, capacity: 1.5 }]);
      const grid = expectedAccessGrid(geography, reg);
      const { flows, supply } = measuredStep(
        makeGpWorld(reg, grid),
        gpRules({ parameters: overrides, replication, access: grid }),
        yearContext({ year: 1, need, lists: [2400] }),
      );
      if (flows.moversOut[koebenhavn.index] !== 1) continue;
      moved = true;
      expect(flows.moversIn[aalborg.index]).toBe(1);
      expect(flows.moverCapacitiesNet[koebenhavn.index]).toBe(-1.5);
      expect(flows.moverCapacitiesNet[aalborg.index]).toBe(1); // a new capacity there
      expect(flows.moverCapacitiesNet.reduce((s, x) => s + x, 0)).toBe(-0.5);
      expect(supply.retired.every((x) => x === 0)).toBe(true);
      expect(supply.entrants.every((x) => x === 0)).toBe(true);
    }
    expect(moved).toBe(true);
  });

  it("records as retired exactly the capacity of the GPs who retired, over years of moves, entrants and closures", () => {
    const reg = makeSyntheticRegister(geography, { seed: 3, scale: 0.05 });
    const grid = expectedAccessGrid(geography, reg);
    const world = makeGpWorld(reg, grid);
    const need = Float64Array.from(supplyByMunicipality(world, 98), (s) => s * 1.2 + 1);
    const lists = reg.clinics.map((c) => c.capacities * 1600);
    const r = gpRules({
      parameters: { "gp.moveShare": 0.3, "settle.outsideUtility": -1 },
      access: grid,
      retirement: { midAgeYears: 62, spreadYears: 3, ceiling: 0.3 },
    });
    const totals = { retired: 0, moved: 0, entrants: 0 };
    for (let year = 1; year <= 6; year++) {
      const wasActive = world.gpActive.slice();
      const capacityBefore = world.gpCapacity.slice();
      const openBefore = world.clinics.map((c) => c.open);
      const { flows, supply } = measuredStep(world, r, yearContext({ year, need, lists }));
      const byHand = new Float64Array(98);
      wasActive.forEach((was, i) => {
        const clinic = world.gpClinic[i]!;
        if (was && !world.gpActive[i] && openBefore[clinic] === true) byHand[world.clinics[clinic]!.municipality]! += capacityBefore[i]!;
      });
      for (let m = 0; m < 98; m++) expect(supply.retired[m]).toBeCloseTo(byHand[m]!, 9);
      totals.retired += byHand.reduce((s, x) => s + x, 0);
      totals.moved += flows.moversOut.reduce((s, x) => s + x, 0);
      totals.entrants += flows.entrants.reduce((s, x) => s + x, 0);
    }
    // The check means something only if every flow happened.
    expect(totals.retired).toBeGreaterThan(0);
    expect(totals.moved).toBeGreaterThan(0);
    expect(totals.entrants).toBeGreaterThan(0);
  });
});
