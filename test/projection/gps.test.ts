import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultParameterFile, type ParameterKey } from "../../src/model/parameters.js";
import { drawParameters } from "../../src/projection/draw.js";
import { effectiveLists, makeGpWorld, orphanOf, retirementHazard, stepGps, type YearContext } from "../../src/projection/gps.js";
import type { GpRegister } from "../../src/register/types.js";

const geography = defaultGeography();
const bornholm = geography.municipalities.find((m) => m.code === 400)!;
const koebenhavn = geography.municipalities.find((m) => m.code === 101)!;

/** A register of one clinic per listed municipality, one GP each with the given age. */
function world(clinics: { municipality: number; gpAge: number; capacity?: number }[]): GpRegister {
  const clinicIndexById = new Int32Array(65535).fill(-1);
  clinics.forEach((_, k) => (clinicIndexById[k] = k));
  return {
    clinics: clinics.map((c, k) => ({
      clinicId: k,
      municipalityCode: geography.municipalities[c.municipality]!.code,
      municipalityIndex: c.municipality,
      capacities: c.capacity ?? 1,
      tendered: false,
      gpIds: [k],
    })),
    gps: clinics.map((c, k) => ({ gpId: k, clinicId: k, ageYears: c.gpAge, capacity: c.capacity ?? 1 })),
    clinicIndexById,
  };
}

function params(overrides: Partial<Record<ParameterKey, number | string>>) {
  return drawParameters(defaultParameterFile(), { id: "test", parameters: overrides }, 1, -1);
}

function context(year: number, need: { municipality: number; capacities: number }[], lists: Float64Array, asOf = "2026-01-01"): YearContext {
  const needMunicipality = new Float64Array(98);
  const needCouncil = new Float64Array(17);
  for (const n of need) {
    needMunicipality[n.municipality] = n.capacities;
    needCouncil[geography.municipalities[n.municipality]!.councilIndex]! += n.capacities;
  }
  return {
    year,
    calendarYear: 2025 + year,
    listResidents: lists,
    listWeight: lists,
    needMunicipality,
    needCouncil,
    ceilingMunicipality: needMunicipality,
    growthMunicipality: new Float64Array(98),
    target: 1600,
    asOf,
    policy: { islandExceptionUntil: "2027-01-01", openingRoundUpFraction: 1, fastGrowthThresholdShare: 0.012, fastGrowthExtraCapacities: 1 },
    tenderDelayYears: 1,
  };
}

const rules = (p: ReturnType<typeof params>) => ({ seed: 1, replication: 0, retirementSd: 3, populationScale: 1, geography, p });
const noTraining = { "training.placesPerYear": 0, "training.historicPlacesPerYear": 0 };

describe("GPs and clinics on hand-made worlds", () => {
  it("gives a GP far past the retirement age certain retirement and a young one almost none", () => {
    expect(retirementHazard(95, 66, 3)).toBe(1);
    expect(retirementHazard(35, 66, 3)).toBeLessThan(1e-9);
  });

  it("settles new GPs only in a council below need (the cap rule)", () => {
    const register = world([{ municipality: koebenhavn.index, gpAge: 40 }]);
    const w = makeGpWorld(register);
    // 350 places × fill × settle ≈ 227 entrants; København's council needs 3.5 capacities, has 1.
    const events = stepGps(w, rules(params({})), context(1, [{ municipality: koebenhavn.index, capacities: 3.5 }], new Float64Array([1600])));
    expect(events.settledNew).toBe(2); // floor(3.5 − 1)
    const closed = makeGpWorld(register);
    const none = stepGps(closed, rules(params({})), context(1, [{ municipality: koebenhavn.index, capacities: 0.9 }], new Float64Array([1600])));
    expect(none.settledNew).toBe(0);
  });

  it("decides openings on the ceiling in force, not on the year's own need", () => {
    const register = world([{ municipality: koebenhavn.index, gpAge: 40 }]);
    const ctx = context(1, [{ municipality: koebenhavn.index, capacities: 3.5 }], new Float64Array([1600]));
    ctx.ceilingMunicipality = new Float64Array(98);
    ctx.ceilingMunicipality[koebenhavn.index] = 1.2;
    expect(stepGps(makeGpWorld(register), rules(params({})), ctx).settledNew).toBe(0);
  });

  it("lets a fast-growing municipality short of its own need open one capacity in a closed council", () => {
    const council = geography.councils[koebenhavn.councilIndex]!;
    const other = council.municipalityIndices.find((m) => m !== koebenhavn.index)!;
    const register = world([{ municipality: koebenhavn.index, gpAge: 40 }, { municipality: other, gpAge: 40, capacity: 3 }]);
    // Council: need 3.5 < supply 4 (closed); København alone: need 1.5 > supply 1.
    const need = [{ municipality: koebenhavn.index, capacities: 1.5 }, { municipality: other, capacities: 2 }];
    const ctx = context(1, need, new Float64Array([1600, 3200]), "2027-06-30");
    expect(stepGps(makeGpWorld(register), rules(params({})), ctx).settledNew).toBe(0);
    ctx.growthMunicipality[koebenhavn.index] = 0.03;
    expect(stepGps(makeGpWorld(register), rules(params({})), ctx).settledNew).toBe(1);
  });

  it("always re-fills a retiring GP's capacity, even in a closed council", () => {
    const w = makeGpWorld(world([{ municipality: koebenhavn.index, gpAge: 95 }]));
    const events = stepGps(w, rules(params({})), context(1, [{ municipality: koebenhavn.index, capacities: 0.5 }], new Float64Array([1600])));
    expect(events.retirements).toBe(1);
    expect(events.refilled).toBe(1);
    expect(w.clinics[0]!.capacities).toBe(1);
    expect(w.clinics[0]!.open).toBe(true);
  });

  it("lets a non-bridged island open a capacity in a closed council before 1 Jan 2027, not after", () => {
    const council = geography.councils[bornholm.councilIndex]!;
    const other = council.municipalityIndices.find((m) => m !== bornholm.index)!;
    const register = world([{ municipality: bornholm.index, gpAge: 40 }, { municipality: other, gpAge: 40, capacity: 3 }]);
    // Council: need 3.5 < supply 4 (closed); Bornholm alone: need 1.5 > supply 1.
    const need = [{ municipality: bornholm.index, capacities: 1.5 }, { municipality: other, capacities: 2 }];
    const lists = new Float64Array([1600, 3200]);
    const before = stepGps(makeGpWorld(register), rules(params({})), context(1, need, lists, "2026-01-01"));
    expect(before.settledNew).toBe(1);
    const after = stepGps(makeGpWorld(register), rules(params({})), context(2, need, lists, "2027-01-01"));
    expect(after.settledNew).toBe(0);
  });

  it("orphans the list of a clinic closing without successor when neighbours are full, then a tendered clinic takes it after the delay", () => {
    const council = geography.councils[koebenhavn.councilIndex]!;
    const neighbour = council.municipalityIndices.find((m) => m !== koebenhavn.index)!;
    const register = world([{ municipality: koebenhavn.index, gpAge: 95 }, { municipality: neighbour, gpAge: 40 }]);
    const w = makeGpWorld(register);
    const p = params(noTraining);
    const need = [{ municipality: koebenhavn.index, capacities: 1 }, { municipality: neighbour, capacities: 1 }];
    // The neighbour is full: 1,600 weighted residents on its one capacity.
    const y1 = stepGps(w, rules(p), context(1, need, new Float64Array([1600, 1600])));
    expect(y1.closures).toBe(1);
    expect(y1.tenderedOpened).toBe(0);
    expect(w.owner[0]!.get(orphanOf(koebenhavn.index))).toBe(1);
    const raw = new Float64Array([1500, 1600, 0]);
    expect(effectiveLists(w, raw, raw, 98).orphaned[koebenhavn.index]).toBe(1500);
    const y2 = stepGps(w, rules(p), context(2, need, new Float64Array([0, 1600])));
    expect(y2.tenderedOpened).toBe(1);
    const tendered = w.clinics.findIndex((c) => c.tendered);
    expect(w.clinics[tendered]!.municipality).toBe(koebenhavn.index);
    const lists = effectiveLists(w, raw, raw, 98);
    expect(lists.orphaned[koebenhavn.index]).toBe(0);
    expect(lists.residents[tendered]).toBe(1500);
  });

  it("moves a closing clinic's patients to a neighbour with room instead of orphaning them", () => {
    const register = world([{ municipality: koebenhavn.index, gpAge: 95 }, { municipality: koebenhavn.index, gpAge: 40, capacity: 2 }]);
    const w = makeGpWorld(register);
    const events = stepGps(w, rules(params(noTraining)), context(1, [{ municipality: koebenhavn.index, capacities: 3 }], new Float64Array([1000, 1600])));
    expect(events.closures).toBe(1);
    expect(w.owner[0]!.get(1)).toBeCloseTo(1, 12);
    expect(w.pendingTenders).toHaveLength(0);
  });
});
