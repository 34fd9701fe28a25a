import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { summarizeRegister } from "../../src/register/summary.js";
import type { GpRegister } from "../../src/register/types.js";
import { loadUnderservedFlags } from "../../src/register/underserved.js";
import { caught } from "./helpers.js";

const geography = defaultGeography();
const national = makeSyntheticRegister(geography, { seed: 20260101 });
const summary = summarizeRegister(national, geography);
const underserved = loadUnderservedFlags(geography);

/** Structural invariants every register must keep, whatever the seed or scale. */
function expectWellFormed(register: GpRegister): void {
  register.clinics.forEach((clinic, i) => {
    expect(clinic.clinicId).toBe(i); // dense ids 0…N−1
    expect(register.clinicIndexById[clinic.clinicId]).toBe(i);
    expect(clinic.gpIds.length).toBeGreaterThan(0);
    expect(geography.municipalities[clinic.municipalityIndex]?.code).toBe(clinic.municipalityCode);
  });
  expect(register.clinicIndexById.length).toBe(65535);
  expect(register.clinicIndexById.filter((i) => i >= 0).length).toBe(register.clinics.length);
  register.gps.forEach((gp, i) => {
    expect(gp.gpId).toBe(i);
    expect(gp.ageYears).toBeGreaterThanOrEqual(25);
    expect(gp.ageYears).toBeLessThanOrEqual(90);
    expect(gp.capacity > 0 && gp.capacity <= 3).toBe(true);
  });
  const clinicSums = new Float64Array(register.clinics.length);
  for (const gp of register.gps) clinicSums[gp.clinicId] = (clinicSums[gp.clinicId] ?? 0) + gp.capacity;
  register.clinics.forEach((clinic, i) => expect(clinic.capacities).toBeCloseTo(clinicSums[i] ?? 0, 9));
  const clinicsPer = summarizeRegister(register, geography).clinicsByMunicipality;
  expect(Math.min(...clinicsPer)).toBeGreaterThanOrEqual(1);
}

describe("makeSyntheticRegister", () => {
  it("rejects a bad seed or scale as an argument error naming the field", () => {
    expect(caught(() => makeSyntheticRegister(geography, { seed: -3 })).location.field).toBe("seed");
    for (const scale of [0, -1, 11, Number.NaN]) {
      const error = caught(() => makeSyntheticRegister(geography, { seed: 1, scale }));
      expect(error.code).toBe("FD_ERR_ARGUMENT");
      expect(error.location.field).toBe("scale");
    }
  });

  it("keeps one clinic in every municipality at the smallest scales", () => {
    const tiny = makeSyntheticRegister(geography, { seed: 5, scale: 0.0001 });
    expectWellFormed(tiny);
    expect(tiny.clinics).toHaveLength(98);
  });

  it("is well formed at scale 1", () => {
    expectWellFormed(national);
  });

  // Tolerances: the totals come from rounding per municipality (±0.5 capacity, ±0.5 clinic each,
  // partly cancelling over 98), so ±2 % is generous; the age shares are binomial over ≈ 3,350 GPs
  // (sd ≈ 0.8 percentage points), so ±2.5 points is about 3 sd.
  it("holds about 3,500 capacities in about 1,950 clinics at scale 1 (±2 %)", () => {
    expect(summary.capacities).toBeGreaterThan(3500 * 0.98);
    expect(summary.capacities).toBeLessThan(3500 * 1.02);
    expect(summary.clinics).toBeGreaterThan(1950 * 0.98);
    expect(summary.clinics).toBeLessThan(1950 * 1.02);
    expect(summary.capacitiesPerClinic).toBeGreaterThan(1.7);
    expect(summary.capacitiesPerClinic).toBeLessThan(1.9);
    // ≈ 3,350 GPs: between the published ≈ 3,365 (2019) and ≈ 3,400 (2022-23), ±3 %.
    expect(summary.gps).toBeGreaterThan(3250);
    expect(summary.gps).toBeLessThan(3500);
  });

  it("matches the 2026 GP age profile: 28 % aged 65+, 42 % aged 60+, mean ≈ 55.7", () => {
    expect(Math.abs(summary.shareAged65Plus - 0.28)).toBeLessThan(0.025);
    expect(Math.abs(summary.shareAged60Plus - 0.42)).toBeLessThan(0.025);
    expect(Math.abs(summary.meanAgeYears - 55.65)).toBeLessThan(0.8);
    expect(Math.min(...national.gps.map((g) => g.ageYears))).toBeGreaterThanOrEqual(30);
    expect(Math.max(...national.gps.map((g) => g.ageYears))).toBeLessThan(80);
  });

  it("places capacities in proportion to population, fewer per resident where PLO flagged a shortage", () => {
    let flaggedResidents = 0;
    let flaggedCapacities = 0;
    let otherResidents = 0;
    let otherCapacities = 0;
    for (const m of geography.municipalities) {
      const capacities = summary.capacitiesByMunicipality[m.index] ?? 0;
      if (underserved[m.index] === 1) {
        flaggedResidents += m.population2026;
        flaggedCapacities += capacities;
      } else {
        otherResidents += m.population2026;
        otherCapacities += capacities;
      }
      // Every municipality with at least 20,000 residents is within ±35 % of the national ratio.
      if (m.population2026 >= 20_000) {
        const ratio = capacities / m.population2026 / (summary.capacities / 6_025_511);
        expect(ratio).toBeGreaterThan(0.65);
        expect(ratio).toBeLessThan(1.35);
      }
    }
    const flaggedPerCapacity = flaggedResidents / flaggedCapacities;
    const otherPerCapacity = otherResidents / otherCapacities;
    expect(flaggedPerCapacity / otherPerCapacity).toBeGreaterThan(1.08); // configured 1/0.88 ≈ 1.14
    expect(flaggedPerCapacity / otherPerCapacity).toBeLessThan(1.2);
  });

  it("gives islands and rural municipalities smaller clinics than cities", () => {
    const sizeWhere = (pred: (i: number) => boolean): number => {
      const clinics = national.clinics.filter((c) => pred(c.municipalityIndex));
      return clinics.reduce((s, c) => s + c.capacities, 0) / clinics.length;
    };
    const island = sizeWhere((i) => geography.municipalities[i]?.islandNoBridge === true);
    const copenhagen = sizeWhere((i) => geography.municipalities[i]?.code === 101);
    expect(island).toBeLessThan(copenhagen);
    expect(summary.singleHandedClinicShare).toBeGreaterThan(0.45);
    expect(summary.singleHandedClinicShare).toBeLessThan(0.7);
  });

  it("tenders about 2.5 % of clinics, mostly in shortage municipalities", () => {
    const tendered = national.clinics.filter((c) => c.tendered);
    expect(tendered.length).toBe(Math.round(0.025 * national.clinics.length));
    const inFlagged = tendered.filter((c) => underserved[c.municipalityIndex] === 1).length;
    expect(inFlagged / tendered.length).toBeGreaterThan(0.7);
  });

  it("is deterministic by seed: the same seed gives the same register, another seed another", () => {
    expect(makeSyntheticRegister(geography, { seed: 20260101 })).toEqual(national);
    const other = makeSyntheticRegister(geography, { seed: 20260102 });
    expect(other.gps.map((g) => g.ageYears)).not.toEqual(national.gps.map((g) => g.ageYears));
  });

  it("keeps every invariant for any seed and small scale", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.double({ min: 0.0005, max: 0.05, noNaN: true }), (seed, scale) => {
        expectWellFormed(makeSyntheticRegister(geography, { seed, scale }));
      }),
      { numRuns: 15 },
    );
  });

  it("scales capacities down with scale, never below one clinic per municipality", () => {
    const tenth = summarizeRegister(makeSyntheticRegister(geography, { seed: 9, scale: 0.1 }), geography);
    expect(tenth.capacities).toBeGreaterThan(350 * 0.9);
    expect(tenth.capacities).toBeLessThan(350 * 1.1);
    expect(tenth.clinics).toBeGreaterThan(195 * 0.9);
    expect(tenth.clinics).toBeLessThan(195 * 1.1);
  });
});
