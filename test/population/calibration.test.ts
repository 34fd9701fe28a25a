import { beforeAll, describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { generatePopulationColumns } from "../../src/population/generate.js";
import {
  loadMunicipalMarginals,
  loadNationalMargins2026,
  NATIONAL_GROUP_LOWER_BOUNDS,
  nationalGroupOfAge,
} from "../../src/population/referenceData.js";
import type { ResidentColumns } from "../../src/population/schema.js";
import { CALIBRATION_TARGETS, summarizeColumns, type PopulationSummary } from "../../src/population/summary.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import type { GpRegister } from "../../src/register/types.js";

// Scale 0.01 gives ≈ 60,000 residents: sampling error of a 5 % share is ≈ 0.09 points, so the
// tolerances below (several standard errors) fail on calibration errors, not on noise.
const SCALE = 0.01;
const geography = defaultGeography();
let register: GpRegister;
let columns: ResidentColumns;
let summary: PopulationSummary;

beforeAll(() => {
  register = makeSyntheticRegister(geography, { seed: 7, scale: SCALE });
  columns = generatePopulationColumns({ seed: 7, scale: SCALE, geography, register });
  summary = summarizeColumns(columns, geography);
});

describe("synthetic population calibration (scale 0.01)", () => {
  it("gives every municipality exactly its 2026 total × scale, at least one resident", () => {
    for (const m of summary.municipalities) {
      const expected = Math.max(
        1,
        Math.round(geography.municipalities[geography.municipalityIndexByCode[m.code]!]!.population2026 * SCALE),
      );
      expect(m.residents, `municipality ${m.code}`).toBe(expected);
    }
    expect(summary.councils.reduce((s, c) => s + c.residents, 0)).toBe(summary.residents);
  });

  it("keeps rows grouped by municipality in ascending code order", () => {
    for (let r = 1; r < columns.municipalityCode.length; r++) {
      if (columns.municipalityCode[r]! < columns.municipalityCode[r - 1]!) throw new Error(`row ${r} breaks the order`);
    }
    expect(columns.municipalityCode[0]).toBe(101);
    expect(columns.municipalityCode[columns.municipalityCode.length - 1]).toBe(860);
  });

  it("matches the national 2026 sex × 5-year-group margins within 0.25 points of share", () => {
    const margins = loadNationalMargins2026();
    const total = margins.reduce((s, v) => s + v, 0);
    const groups = NATIONAL_GROUP_LOWER_BOUNDS.length;
    const counts = new Float64Array(2 * groups);
    for (let r = 0; r < columns.sex.length; r++) counts[columns.sex[r]! * groups + nationalGroupOfAge(columns.ageYears[r]!)]!++;
    counts.forEach((count, i) => {
      expect(Math.abs(count / columns.sex.length - margins[i]! / total), `cell ${i}`).toBeLessThan(0.0025);
    });
  });

  it("reproduces civil status and the characteristic targets within stated tolerances", () => {
    const tolerance: Record<string, number> = {
      divorcedAdults: 0.006,
      widowedAdults: 0.004,
      menapt: 0.004,
      outsideLabourMarket: 0.003,
      chronicAny: 0.006,
      psychiatric: 0.004,
    };
    for (const [name, target] of Object.entries(CALIBRATION_TARGETS)) {
      const value = summary.shares[name as keyof PopulationSummary["shares"]];
      expect(Math.abs(value - target!.value), `${name}: ${value} vs ${target!.value}`).toBeLessThan(tolerance[name] ?? 0);
    }
  });

  it("follows each municipality's higher-education shares among residents aged 30–69 (within 3 points)", () => {
    const marginals = loadMunicipalMarginals(geography);
    const counts = new Float64Array(geography.municipalities.length * 3);
    for (let r = 0; r < columns.sex.length; r++) {
      const age = columns.ageYears[r]!;
      if (age < 30 || age >= 70) continue;
      const m = geography.municipalityIndexByCode[columns.municipalityCode[r]!]!;
      counts[m * 3]!++;
      if (columns.education[r]! >= 2) counts[m * 3 + 1]!++;
      if (columns.education[r] === 3) counts[m * 3 + 2]!++;
    }
    for (const big of [101, 751, 461]) {
      const m = geography.municipalityIndexByCode[big]!;
      expect(Math.abs(counts[m * 3 + 1]! / counts[m * 3]! - marginals.anyHigherShare[m]!)).toBeLessThan(0.03);
      expect(Math.abs(counts[m * 3 + 2]! / counts[m * 3]! - marginals.longHigherShare[m]!)).toBeLessThan(0.03);
    }
  });

  it("lists every resident with a clinic that exists in the register", () => {
    for (let r = 0; r < columns.clinicId.length; r++) {
      if ((register.clinicIndexById[columns.clinicId[r]!] ?? -1) < 0)
        throw new Error(`row ${r}: clinic ${columns.clinicId[r]} is not in the register`);
    }
    expect(summary.shares.listedWithClinic).toBe(1);
  });

  it("gives older residents more chronic diseases than younger ones", () => {
    const mean = (from: number, to: number): number => {
      let sum = 0;
      let n = 0;
      for (let r = 0; r < columns.sex.length; r++) {
        if (columns.ageYears[r]! >= from && columns.ageYears[r]! < to) {
          sum += columns.chronicDiseaseCount[r]!;
          n++;
        }
      }
      return sum / n;
    };
    expect(mean(80, 106)).toBeGreaterThan(mean(60, 80));
    expect(mean(60, 80)).toBeGreaterThan(mean(30, 60));
  });
});
