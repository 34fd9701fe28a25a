import { describe, expect, it } from "vitest";
import { computeAccessReport } from "../../src/capacity/accessReport.js";
import { EARTH_RADIUS_KM } from "../../src/geo/distance.js";
import { defaultGeography } from "../../src/geo/geography.js";
import type { Island } from "../../src/geo/islands.js";
import { defaultLocationTable, type Location, type LocationTable } from "../../src/geo/locations.js";
import { defaultGeoParameters } from "../../src/geo/parameters.js";
import type { ParameterKey } from "../../src/model/parameters.js";
import { countResidentsByLocation } from "../../src/population/residentsByLocation.js";
import { readRegisterCsv } from "../../src/register/registerCsv.js";
import type { GpRegister } from "../../src/register/types.js";
import { AccessState, failingByMunicipality, worstAccessTown } from "../../src/projection/access.js";
import { buildAccessGrid, expectedAccessGrid } from "../../src/projection/accessGrid.js";
import { clinicCapacities, makeGpWorld, stepGps, type GpRules } from "../../src/projection/gps.js";
import { runProjection } from "../../src/projection/run.js";
import { islandsForCapRule } from "../../src/projection/supply/allowance.js";
import { closeClinic } from "../../src/projection/supply/orphans.js";
import { makeSmallWorld } from "./fixture.js";
import { gpRules, yearContext } from "./gpWorld.js";

const geography = defaultGeography();
const byCode = (code: number) => geography.municipalities.find((m) => m.code === code)!;
const koebenhavn = byCode(101);
const neighbour = geography.councils[koebenhavn.councilIndex]!.municipalityIndices.find((m) => m !== koebenhavn.index)!;
/** Degrees of latitude per km on the sphere the rule measures on: points on one meridian lie exactly this far apart. */
const degreesPerKm = 180 / (Math.PI * EARTH_RADIUS_KM);
const rule = { radiusKm: 15, minimumGps: 2, detourFactor: 1 };

/**
 * A hand-made world on one meridian: R (residents, no clinic site) and towns 14.9, 15.0 and
 * 15.1 km north of it in København; a small island 1 km south of R; a town of a neighbouring
 * municipality of the same council 5 km north of R; Q (residents) 29.95 km north of R, within
 * 15 km of the 15.0 and 15.1 km towns only.
 */
const R = 0;
const T149 = 1;
const T150 = 2;
const T151 = 3;
const ISLAND = 4;
const ACROSS = 5;
const Q = 6;
function handMadeTable(): LocationTable {
  const at = (km: number): number => 56 + km * degreesPerKm;
  const spots: [number, number, number, number][] = [
    // km north of R, municipality, island, clinic weight
    [0, koebenhavn.index, 0, 0],
    [14.9, koebenhavn.index, 0, 100],
    [15.0, koebenhavn.index, 0, 50],
    [15.1, koebenhavn.index, 0, 10],
    [-1, koebenhavn.index, 1, 20],
    [5, neighbour, 0, 30],
    [29.95, koebenhavn.index, 0, 0],
  ];
  const locations: Location[] = spots.map(([km, m, islandId, clinicWeight], id) => ({
    id,
    municipalityIndex: m,
    municipalityCode: geography.municipalities[m]!.code,
    lat: at(km),
    lon: 10,
    islandId,
    kind: islandId > 0 ? "island" : clinicWeight > 0 ? "town" : "area",
    name: `spot ${id}`,
    postalCode: "",
    residentShare: 0,
    clinicWeight,
  }));
  const island: Island = {
    id: 1,
    name: "Testø",
    kind: "small",
    municipalityIndex: koebenhavn.index,
    municipalityCode: koebenhavn.code,
    lat: at(-1),
    lon: 10,
    populationPublished: 50,
    populationYear: 2026,
    polygon: undefined,
  };
  const byMunicipality = geography.municipalities.map((m) => locations.filter((l) => l.municipalityIndex === m.index).map((l) => l.id));
  return { locations, islands: [island], byMunicipality, version: "hand-made", boundaries: undefined as never };
}

/** One clinic per entry at the given spot, one GP of the given age each, lists empty. */
function registerAt(table: LocationTable, clinics: { spot: number; gpAge?: number; gps?: number }[]): GpRegister {
  const clinicIndexById = new Int32Array(65535).fill(-1);
  clinics.forEach((_, k) => (clinicIndexById[k] = k));
  let gpId = 0;
  const gps: GpRegister["gps"] = [];
  return {
    clinics: clinics.map((c, k) => {
      const l = table.locations[c.spot]!;
      const ids = Array.from({ length: c.gps ?? 1 }, () => gpId++);
      for (const id of ids) gps.push({ gpId: id, clinicId: k, ageYears: c.gpAge ?? 40, capacity: 1 });
      return {
        clinicId: k,
        municipalityCode: l.municipalityCode,
        municipalityIndex: l.municipalityIndex,
        capacities: ids.length,
        tendered: false,
        gpIds: ids,
        lat: l.lat,
        lon: l.lon,
      };
    }),
    gps,
    clinicIndexById,
  };
}

const rulesFor = (grid: GpRules["access"], parameters: Partial<Record<ParameterKey, number>> = {}): GpRules =>
  gpRules({ access: grid, parameters });

describe("the access rule in the projection, on hand-made geometry", () => {
  const table = handMadeTable();
  const residents = Float64Array.from([1000, 0, 0, 0, 50, 0, 0]);
  const grid = buildAccessGrid(table, geography, registerAt(table, []), residents, rule);

  it("counts a GP at 14.9 km and at exactly 15 km, not at 15.1 km", () => {
    const state = new AccessState(grid);
    state.add(T151, 1);
    expect(state.within[R]).toBe(0);
    state.add(T150, 1);
    expect(state.within[R]).toBe(1);
    state.add(T149, 1);
    expect(state.within[R]).toBe(2);
  });

  it("counts two GPs of one clinic as two, and a GP across the municipal border", () => {
    const two = new AccessState(grid);
    two.add(T149, 2);
    expect(two.within[R]).toBe(2);
    const across = new AccessState(grid);
    across.add(ACROSS, 1);
    across.add(T150, 1);
    expect(across.within[R]).toBe(2);
    expect(failingByMunicipality(across, residents, 98)[koebenhavn.index]).toBe(50); // only the island's
  });

  it("leaves an island resident failing with GPs 1 km away across the water", () => {
    const state = new AccessState(grid);
    state.add(R, 5);
    expect(state.within[ISLAND]).toBe(0);
    expect(state.within[R]).toBe(5);
    expect(failingByMunicipality(state, residents, 98)[koebenhavn.index]).toBe(50);
  });

  it("places a new clinic where most residents fail, then elsewhere once they pass, and nowhere when nobody fails", () => {
    const state = new AccessState(grid);
    // R's 1,000 fail and both towns within 15 km reach them: the larger town wins the tie.
    expect(worstAccessTown(state, residents, koebenhavn.index)).toBe(T149);
    state.add(T149, 2);
    // R passes now; the island's 50 still fail and only the island's own town reaches them.
    expect(worstAccessTown(state, residents, koebenhavn.index)).toBe(ISLAND);
    state.add(ISLAND, 2);
    expect(worstAccessTown(state, residents, koebenhavn.index)).toBe(-1);
  });

  it("breaks a tie of failing residents by the residents one more GP would make pass, before the town's size", () => {
    const state = new AccessState(grid);
    state.add(Q, 1); // Q's 500 need one more GP, R's 500 two more
    const tied = Float64Array.from([500, 0, 0, 0, 0, 0, 500]);
    // Leaving out the 15.0 km town (it reaches both): 14.9 km reaches R, 15.1 km reaches Q; 500 fail at each.
    expect(worstAccessTown(state, tied, koebenhavn.index, (l) => l !== T150)).toBe(T151);
    // Without a GP at Q nobody would pass: the larger town wins.
    expect(worstAccessTown(new AccessState(grid), tied, koebenhavn.index, (l) => l !== T150)).toBe(T149);
  });

  it("sends a closing clinic's list to clinics with room within 15 km nearest first, then farther ones nearest first", () => {
    const register = registerAt(table, [{ spot: R }, { spot: T151 }, { spot: T149 }, { spot: ISLAND }, { spot: ACROSS }]);
    const g = buildAccessGrid(table, geography, register, residents, rule);
    const world = makeGpWorld(register, g);
    const ctx = yearContext({ lists: [2500, 600, 600, 600, 600] });
    world.lists.refresh(ctx.rawResidents, ctx.rawWeight);
    world.gpActive[0] = false;
    const capacities = clinicCapacities(world);
    closeClinic(world, 0, { rules: rulesFor(g), ctx, capacities, drawKey: 1, residents });
    // Room 1,600 − 600 = 1,000 each: 5 km across the border, then 14.9 km, then the island 1 km off (other landmass), not 15.1 km.
    expect(world.lists.owner[0]!.get(4)).toBeCloseTo(0.4, 12);
    expect(world.lists.owner[0]!.get(2)).toBeCloseTo(0.4, 12);
    expect(world.lists.owner[0]!.get(3)).toBeCloseTo(0.2, 12);
    expect(world.lists.owner[0]!.get(1)).toBeUndefined();
  });
});

describe("a new GP-owned capacity's place", () => {
  it("opens where residents fail, joins that practice until they pass, then moves on to the next failing town", () => {
    const table = handMadeTable();
    const residents = Float64Array.from([1000, 0, 0, 0, 50, 0, 0]);
    const grid = buildAccessGrid(table, geography, registerAt(table, []), residents, rule);
    const world = makeGpWorld(registerAt(table, []), grid);
    const need = new Float64Array(98);
    need[koebenhavn.index] = 6; // no supply anywhere: the council may open 6, all in København
    const flows = stepGps(world, rulesFor(grid, { "gp.moveShare": 0 }), yearContext({ lists: [], need }));
    expect(flows.newCapacities[koebenhavn.index]).toBe(6);
    // Two GPs make R pass (at the larger of its two towns), the next two serve the island, the rest join the first practice.
    expect(world.clinics.map((c) => c.location)).toEqual([T149, ISLAND]);
    const gpsAt = (k: number): number => world.gpClinic.filter((c, i) => c === k && world.gpActive[i]).length;
    expect([gpsAt(0), gpsAt(1)]).toEqual([4, 2]);
  });
});

describe("a tendered clinic's place", () => {
  it("opens where most residents fail the rule, and its doctors count for them", () => {
    const table = handMadeTable();
    const residents = Float64Array.from([1000, 0, 0, 0, 50, 0, 0]);
    // The 15.1 km clinic loses its GP; the one across the border has no room: its list goes to a temporary clinic, then a tender.
    const register = registerAt(table, [{ spot: T151 }, { spot: ACROSS }]);
    const grid = buildAccessGrid(table, geography, register, residents, rule);
    const world = makeGpWorld(register, grid);
    world.gpActive[0] = false;
    const rules = rulesFor(grid, {
      "training.placesPerYear": 0,
      "training.historicPlacesPerYear": 0,
      "gp.moveShare": 0,
      "temporary.openProbability": 1,
      "tender.staffingFailureProbability": 0,
    });
    const y1 = stepGps(world, rules, yearContext({ lists: [1500, 1600], year: 1 }));
    expect(y1.closures[koebenhavn.index]).toBe(1);
    const y2 = stepGps(world, rules, yearContext({ lists: [1500, 1600], year: 2 }));
    expect(y2.tenderedOpened[koebenhavn.index]).toBe(1);
    const tendered = world.clinics.find((c) => c.tendered)!;
    // R's 1,000 have one GP (5 km across the border): the 14.9 km town reaches them and is the larger of the two that do.
    expect(tendered.location).toBe(T149);
    expect(tendered.doctors).toBe(tendered.capacities);
    world.access.rebuild(world);
    expect(world.access.within[R]).toBe(1 + tendered.doctors);
  });
});

describe("islands in the projection's cap rule", () => {
  it("gives a short small island (Fur) an extra capacity before 2027 in a closed council, and opens it on the island", () => {
    const skive = byCode(779);
    const council = geography.councils[skive.councilIndex]!;
    const grid = expectedAccessGrid(geography, registerAt(defaultLocationTable(), []));
    const fur = grid.islands.find((i) => i.name === "Fur")!;
    const table = defaultLocationTable();
    const mainland = table.byMunicipality[skive.index]!.find(
      (id) => table.locations[id]!.islandId === 0 && table.locations[id]!.clinicWeight > 0,
    )!;
    const register = registerAt(table, [{ spot: mainland, gps: 3 }]);
    const world = makeGpWorld(register, grid);
    const need = new Float64Array(98);
    need[skive.index] = 2; // the council needs 2 and has 3: closed
    const ctx = yearContext({ lists: [4800], need });
    const islands = islandsForCapRule(grid, world.clinics, clinicCapacities(world), grid.baseResidentsMunicipality, need);
    expect(islands.find((i) => i.id === "Fur")!.supply).toBe(0);
    expect(islands.find((i) => i.id === "Fur")!.need).toBeCloseTo(2 * fur.residentShare, 12);
    const flows = stepGps(world, rulesFor(grid), ctx);
    expect(flows.newCapacities[skive.index]).toBe(1);
    expect(council.municipalityIndices.reduce((s, m) => s + flows.newCapacities[m]!, 0)).toBe(1);
    const opened = world.clinics[world.clinics.length - 1]!;
    expect(grid.islandOf[opened.location]).toBe(fur.id);
    // After the exception's end date the same world opens nothing.
    const later = stepGps(makeGpWorld(register, grid), rulesFor(grid), yearContext({ lists: [4800], need, asOf: "2027-01-01" }));
    expect(later.newCapacities[skive.index]).toBe(0);
  });
});

describe("the projection's base year", () => {
  it("fails exactly the residents per municipality that `fordeling access` fails on the same population and register", async () => {
    const world = await makeSmallWorld(0.01, 11);
    const result = await runProjection({
      scenario: { id: "baseline", parameters: {} },
      replications: 1,
      seed: 3,
      horizonYear: 2026,
      populationFile: world.populationFile,
      registerFile: world.registerFile,
      threads: 1,
    });
    const table = defaultLocationTable();
    const register = readRegisterCsv(world.registerFile, geography);
    const residents = countResidentsByLocation(world.populationFile, table, geography).residents;
    const report = computeAccessReport(table, residents, register, geography, defaultGeoParameters());
    const t = result.tables.municipality;
    const col = (name: string) => t.columns.find((c) => c.name === name)!.values;
    const years = col("year");
    const codes = col("municipality_code");
    const failing = col("residents_failing_access_mean");
    let checked = 0;
    let failingTotal = 0;
    for (let r = 0; r < years.length; r++) {
      if (years[r] !== 2025) continue;
      const m = geography.municipalityIndexByCode[codes[r] as number]!;
      expect(failing[r]).toBeCloseTo(report.municipalities[m]!.residentsFailing, 6);
      failingTotal += failing[r] as number;
      checked++;
    }
    expect(checked).toBe(98);
    expect(failingTotal).toBeGreaterThan(0); // a 1 % register leaves many without two GPs within 15 km
    const national = result.tables.national;
    const share = national.columns.find((c) => c.name === "share_failing_access_mean")!.values[0] as number;
    // The nation's summary is computed from the per-replication file's float32 values (docs/ANALYSIS.md): 7 digits.
    expect(share).toBeCloseTo(report.national.shareFailing!, 7);
  });
});
