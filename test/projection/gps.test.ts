import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import type { ScenarioLevers } from "../../src/model/levers.js";
import type { ParameterKey } from "../../src/model/parameters.js";
import { expectedAccessGrid } from "../../src/projection/accessGrid.js";
import { clinicCapacities, flowTotal, makeGpWorld, stepGps, type GpRules, type YearContext } from "../../src/projection/gps.js";
import { residentStates, temporaryOf, withoutGpOf } from "../../src/projection/supply/lists.js";
import { calibrateRetirement, exitProbability } from "../../src/projection/supply/retirement.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { gpRegister, gpRules, yearContext } from "./gpWorld.js";

const geography = defaultGeography();
// Test registers carry no places: their clinics stand at their municipality's largest town.
const register = gpRegister;
const grid = expectedAccessGrid(geography, register([]));
const byCode = (code: number) => geography.municipalities.find((m) => m.code === code)!;
const bornholm = byCode(400);
const koebenhavn = byCode(101);
const hazard = { midAgeYears: 62, spreadYears: 2, ceiling: 0.3 };

function rules(overrides: Partial<Record<ParameterKey, number | string>> = {}, levers?: ScenarioLevers, replication = 0): GpRules {
  return gpRules({ access: grid, parameters: overrides, retirement: hazard, replication, ...(levers === undefined ? {} : { levers }) });
}

/** Need per municipality (capacities); lists of `lists` residents per original clinic (weight = residents). */
function context(
  year: number,
  need: { municipality: number; capacities: number }[],
  lists: number[],
  asOf = `${2025 + year}-01-01`,
): YearContext {
  const needMunicipality = new Float64Array(98);
  for (const n of need) needMunicipality[n.municipality] = n.capacities;
  return yearContext({ year, lists, need: needMunicipality, asOf });
}

const noTraining = { "training.placesPerYear": 0, "training.historicPlacesPerYear": 0, "gp.moveShare": 0 };
const noExits = { midAgeYears: 200, spreadYears: 1, ceiling: 0 };

describe("exits by age", () => {
  it("gives a GP of 80 or more certain exit and a young one almost none", () => {
    expect(exitProbability(80, hazard)).toBe(1);
    expect(exitProbability(95, hazard)).toBe(1);
    expect(exitProbability(35, hazard)).toBeLessThan(1e-5);
    expect(exitProbability(62, hazard)).toBeCloseTo(0.15, 12);
  });

  it("calibrates the hazard on the synthetic register to about 6 % exits a year and a mean retirement age near 66", () => {
    const ages = makeSyntheticRegister(geography, { seed: 2, scale: 0.3 }).gps.map((g) => g.ageYears);
    const fit = calibrateRetirement(ages, {
      exitsPerGp: 203 / 3400,
      share65PlusIn2030: 0.43,
      meanRetirementAgeYears: 66,
      yearsTo2030: 4,
      entrantsPerYear: 227 * 0.3,
      entryAgeYears: 38,
    });
    expect(fit.exitsPerGp).toBeGreaterThan(0.8 * (203 / 3400));
    expect(fit.exitsPerGp).toBeLessThan(1.2 * (203 / 3400));
    expect(Math.abs(fit.meanRetirementAgeYears - 66)).toBeLessThan(2);
    expect(fit.share65PlusIn2030).toBeGreaterThan(0.1);
  });

  it("raises the mean retirement age in a retention subsidy's councils only", () => {
    const other = geography.councils.find((c) => c.index !== bornholm.councilIndex)!;
    const ages = (levers?: ScenarioLevers): { inside: number; outside: number } => {
      const sums = { inside: [0, 0], outside: [0, 0] };
      for (let replication = 0; replication < 40; replication++) {
        const gps = Array.from({ length: 20 }, (_, i) => [
          { municipality: bornholm.index, gpAge: 58 + (i % 10) },
          { municipality: other.municipalityIndices[0]!, gpAge: 58 + (i % 10) },
        ]).flat();
        const w = makeGpWorld(register(gps), grid);
        for (let year = 1; year <= 25; year++) {
          const before = w.gpActive.slice();
          stepGps(
            w,
            rules(noTraining, levers, replication),
            context(
              year,
              [],
              gps.map(() => 0),
            ),
          );
          before.forEach((was, i) => {
            if (!was || w.gpActive[i]) return;
            const side = i % 2 === 0 ? sums.inside : sums.outside;
            side[0]! += (w.gpAge[i] ?? 0) - 1;
            side[1]! += 1;
          });
        }
      }
      return { inside: sums.inside[0]! / sums.inside[1]!, outside: sums.outside[0]! / sums.outside[1]! };
    };
    const base = ages();
    const councilId = geography.councils[bornholm.councilIndex]!.id;
    const subsidy = ages({ retentionSubsidy: [{ councils: [councilId], yearsAdded: 3, fromAgeYears: 60, dkkPerGpYear: 100_000 }] });
    expect(subsidy.inside).toBeGreaterThan(base.inside + 1);
    expect(subsidy.outside).toBe(base.outside);
  });
});

describe("where new GPs settle", () => {
  it("settles new GPs in a council below need, and gives a closed council only re-fills", () => {
    // København's council needs far more than its one capacity: it may open; entrants come.
    const open = makeGpWorld(register([{ municipality: koebenhavn.index, gpAge: 40 }]), grid);
    const r = { ...rules(), retirement: noExits };
    const flows = stepGps(open, r, context(1, [{ municipality: koebenhavn.index, capacities: 40.5 }], [1600]));
    expect(flows.newCapacities[koebenhavn.index]).toBeGreaterThan(0);
    expect(flowTotal(flows.newCapacities)).toBe(flows.newCapacities[koebenhavn.index]);
    expect(flowTotal(flows.newCapacities)).toBeLessThanOrEqual(39); // floor(40.5 − 1)
    // A council at need: no new capacities anywhere, but a retiring GP's place is re-filled.
    const closed = makeGpWorld(register([{ municipality: koebenhavn.index, gpAge: 95 }]), grid);
    const refill = stepGps(closed, rules(), context(1, [{ municipality: koebenhavn.index, capacities: 0.5 }], [1600]));
    expect(flowTotal(refill.newCapacities)).toBe(0);
    expect(refill.retirements[koebenhavn.index]).toBe(1);
    expect(refill.refilled[koebenhavn.index]).toBe(1);
    expect(clinicCapacities(closed)[0]).toBe(1);
  });

  it("decides openings on the ceiling in force, not on the year's own need", () => {
    const w = makeGpWorld(register([{ municipality: koebenhavn.index, gpAge: 40 }]), grid);
    const ctx = context(1, [{ municipality: koebenhavn.index, capacities: 3.5 }], [1600]);
    ctx.ceilingMunicipality = new Float64Array(98);
    ctx.ceilingMunicipality[koebenhavn.index] = 1.2;
    expect(flowTotal(stepGps(w, { ...rules(), retirement: noExits }, ctx).newCapacities)).toBe(0);
  });

  it("lets a fast-growing municipality short of its own need open one capacity in a closed council", () => {
    const council = geography.councils[koebenhavn.councilIndex]!;
    const other = council.municipalityIndices.find((m) => m !== koebenhavn.index)!;
    const gps = [
      { municipality: koebenhavn.index, gpAge: 40 },
      { municipality: other, gpAge: 40, capacity: 3 },
    ];
    // Council: need 3.5 < supply 4 (closed); København alone: need 1.5 > supply 1.
    const need = [
      { municipality: koebenhavn.index, capacities: 1.5 },
      { municipality: other, capacities: 2 },
    ];
    const ctx = context(1, need, [1600, 3200], "2027-06-30");
    const r = { ...rules({ "gp.moveShare": 0 }), retirement: noExits };
    expect(flowTotal(stepGps(makeGpWorld(register(gps), grid), r, ctx).newCapacities)).toBe(0);
    ctx.growthMunicipality[koebenhavn.index] = 0.03;
    expect(stepGps(makeGpWorld(register(gps), grid), r, ctx).newCapacities[koebenhavn.index]).toBe(1);
  });

  it("never lowers a council's expected entrants when its attractiveness rises", () => {
    // Every council below need, so every municipality offers places; the same draws with and without the subsidy.
    const need = geography.municipalities.map((m) => ({ municipality: m.index, capacities: 3.5 }));
    const gps = geography.municipalities.map((m) => ({ municipality: m.index, gpAge: 45 }));
    const entrantsIn = (council: string, subsidy: number): number => {
      let total = 0;
      for (let replication = 0; replication < 60; replication++) {
        const levers = subsidy > 0 ? { settlingSubsidy: [{ councils: [council], dkkPerEntrant: subsidy }] } : undefined;
        const flows = stepGps(
          makeGpWorld(register(gps), grid),
          { ...rules({}, levers, replication), retirement: noExits },
          context(
            1,
            need,
            gps.map(() => 1600),
          ),
        );
        const c = geography.councils.find((x) => x.id === council)!;
        total += c.municipalityIndices.reduce((s, m) => s + (flows.entrants[m] ?? 0), 0);
      }
      return total / 60;
    };
    for (const council of ["hovedstaden", "vendsyssel", "fyn"]) {
      const levels = [0, 100_000, 300_000, 1_000_000].map((dkk) => entrantsIn(council, dkk));
      for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThanOrEqual(levels[i - 1]!);
      expect(levels[3]).toBeGreaterThan(levels[0]!);
    }
  });
});

describe("orphaned lists", () => {
  const council = geography.councils[koebenhavn.councilIndex]!;
  const neighbour = council.municipalityIndices.find((m) => m !== koebenhavn.index)!;

  it("moves a closing practice's patients to a clinic with room in its council instead of orphaning them", () => {
    const w = makeGpWorld(
      register([
        { municipality: koebenhavn.index, gpAge: 95 },
        { municipality: koebenhavn.index, gpAge: 40, capacity: 2 },
      ]),
      grid,
    );
    const flows = stepGps(w, { ...rules(noTraining), retirement: { ...noExits, midAgeYears: 200 } }, context(1, [], [1000, 1600]));
    expect(flows.closures[koebenhavn.index]).toBe(1);
    expect(w.lists.owner[0]!.get(1)).toBeCloseTo(1, 12);
    expect(w.pendingTenders).toHaveLength(0);
  });

  it("sends a list nobody has room for to a temporary clinic, then a tendered clinic takes it after the delay", () => {
    const w = makeGpWorld(
      register([
        { municipality: koebenhavn.index, gpAge: 95 },
        { municipality: neighbour, gpAge: 40 },
      ]),
      grid,
    );
    const r = {
      ...rules({ ...noTraining, "temporary.openProbability": 1, "tender.staffingFailureProbability": 0 }),
      retirement: { ...noExits },
    };
    const lists = [1500, 1600]; // the neighbour is full
    const y1 = stepGps(w, r, context(1, [], lists));
    expect(y1.closures[koebenhavn.index]).toBe(1);
    expect(w.lists.owner[0]!.get(temporaryOf(koebenhavn.index))).toBe(1);
    expect(
      residentStates(w.lists.owner, w.clinics.length, Float64Array.from([...lists, 0]), Float64Array.from([...lists, 0])).temporary[
        koebenhavn.index
      ],
    ).toBe(1500);
    const y2 = stepGps(w, r, context(2, [], lists));
    expect(y2.tenderedOpened[koebenhavn.index]).toBe(1);
    const tendered = w.clinics.findIndex((c) => c.tendered);
    expect(w.lists.owner[0]!.get(tendered)).toBe(1);
    expect(w.clinics[tendered]!.contractEndsYear).toBe(2 + 4);
  });

  it("leaves the list without a GP when no temporary clinic opens, and retries a tender whose staffing fails", () => {
    const w = makeGpWorld(
      register([
        { municipality: koebenhavn.index, gpAge: 95 },
        { municipality: neighbour, gpAge: 40 },
      ]),
      grid,
    );
    const r = { ...rules({ ...noTraining, "temporary.openProbability": 0, "tender.staffingFailureProbability": 1 }), retirement: noExits };
    stepGps(w, r, context(1, [], [1500, 1600]));
    expect(w.lists.owner[0]!.get(withoutGpOf(koebenhavn.index))).toBe(1);
    const y2 = stepGps(w, r, context(2, [], [1500, 1600]));
    expect(y2.tenderStaffingFailures[koebenhavn.index]).toBe(1);
    expect(y2.tenderedOpened[koebenhavn.index]).toBe(0);
    expect(w.pendingTenders).toEqual([{ municipality: koebenhavn.index, year: 3 }]);
  });

  it("ends or renews a tendered contract after 4 years, never earlier", () => {
    for (const renewal of [0, 1]) {
      const w = makeGpWorld(
        register([
          { municipality: koebenhavn.index, gpAge: 40, tendered: true },
          { municipality: koebenhavn.index, gpAge: 40 },
        ]),
        grid,
      );
      w.clinics[0]!.contractEndsYear = 4;
      const r = { ...rules({ ...noTraining, "tender.renewalProbability": renewal, "temporary.openProbability": 1 }), retirement: noExits };
      const ended: number[] = [];
      for (let year = 1; year <= 8; year++) ended.push(flowTotal(stepGps(w, r, context(year, [], [1500, 1600])).tenderedEnded));
      if (renewal === 1) {
        expect(ended).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
        expect(w.clinics[0]!.contractEndsYear).toBe(12);
      } else {
        expect(ended.slice(0, 3)).toEqual([0, 0, 0]);
        expect(ended[3]).toBe(1);
        expect(w.clinics[0]!.open).toBe(false);
      }
    }
  });
});
