import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { CsvColumns, readCsv } from "../io/csv.js";
import { dataFile } from "../paths.js";
import { OLDEST_GENERATED_AGE_YEARS, POPULATION_PARAMETERS } from "./parameters.js";
import { CIVIL_STATUS, SEX } from "./schema.js";

/**
 * The public figures the generator calibrates to, read from data/ (provenance: data/README.md).
 * Age × sex tables use one layout throughout: cell = sex * AGE_COUNT + ageYears.
 */

export const AGE_COUNT = OLDEST_GENERATED_AGE_YEARS + 1;
export const CELL_COUNT = 2 * AGE_COUNT;

/** The national 2026 table's 5-year groups: 0-4 … 80-84, then 85+. */
export const NATIONAL_GROUP_LOWER_BOUNDS = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85] as const;

export function nationalGroupOfAge(ageYears: number): number {
  return Math.min(Math.floor(ageYears / 5), NATIONAL_GROUP_LOWER_BOUNDS.length - 1);
}

/** Counts by municipality index × cell, 1 Jan 2020, with '100+' spread over 100…105. */
export function loadPyramids2020(geography: Geography, file = dataFile("kommune_age_sex_2020.csv")): Float64Array {
  const table = readCsv(file);
  const col = new CsvColumns(table, ["kommunekode", "sex", "age", "count"]);
  const counts = new Float64Array(geography.municipalities.length * CELL_COUNT);
  const spread = POPULATION_PARAMETERS.oldAgeSpread.value;
  for (let r = 0; r < col.rowCount; r++) {
    const code = col.number(r, "kommunekode", { min: 0, max: 999, integer: true });
    const m = geography.municipalityIndexByCode[code] ?? -1;
    if (m < 0)
      throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `code ${code} is not one of the 98`, {
        file,
        row: r + 2,
        column: "kommunekode",
      });
    const sexText = col.text(r, "sex");
    if (sexText !== "M" && sexText !== "K")
      throw new FordelingError("FD_ERR_BAD_VALUE", `sex '${sexText}' (allowed M, K)`, { file, row: r + 2, column: "sex" });
    const sex = sexText === "K" ? SEX.woman : SEX.man;
    const count = col.number(r, "count", { min: 0, integer: true });
    const base = m * CELL_COUNT + sex * AGE_COUNT;
    if (col.text(r, "age") === "100+") {
      spread.forEach((share, i) => (counts[base + 100 + i] = (counts[base + 100 + i] ?? 0) + count * share));
    } else {
      const age = col.number(r, "age", { min: 0, max: 99, integer: true });
      counts[base + age] = (counts[base + age] ?? 0) + count;
    }
  }
  return counts;
}

/** National residents 1 Jan 2026 by sex × 5-year group (index sex * 18 + group). */
export function loadNationalMargins2026(file = dataFile("national_age_sex_5yr_2025_2026.csv")): Float64Array {
  const table = readCsv(file);
  const col = new CsvColumns(table, ["age_group", "women_2026", "men_2026"]);
  const groups = NATIONAL_GROUP_LOWER_BOUNDS.length;
  const margins = new Float64Array(2 * groups).fill(Number.NaN);
  for (let r = 0; r < col.rowCount; r++) {
    const label = col.text(r, "age_group");
    const group = NATIONAL_GROUP_LOWER_BOUNDS.indexOf(Number.parseInt(label, 10) as (typeof NATIONAL_GROUP_LOWER_BOUNDS)[number]);
    if (group < 0)
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `unexpected age group '${label}'`, { file, row: r + 2, column: "age_group" });
    margins[SEX.man * groups + group] = col.number(r, "men_2026", { min: 0, integer: true });
    margins[SEX.woman * groups + group] = col.number(r, "women_2026", { min: 0, integer: true });
  }
  if (margins.some(Number.isNaN)) throw new FordelingError("FD_ERR_REFERENCE_DATA", "an age group is missing", { file });
  return margins;
}

const CIVIL_CODE_BY_LABEL: Record<string, number> = {
  never_married: CIVIL_STATUS.neverMarried,
  married_or_separated: CIVIL_STATUS.married,
  divorced: CIVIL_STATUS.divorced,
  widowed: CIVIL_STATUS.widowed,
};

/**
 * Cumulative civil-status probabilities by cell (4 per cell). Ages 100 and over are pooled:
 * single years there hold a few dozen people, too few for stable shares.
 */
export function loadCivilStatusCumulative(file = dataFile("national_civil_age_sex_2025q4.csv")): Float64Array {
  const table = readCsv(file);
  const col = new CsvColumns(table, ["civil_status", "age", "men", "women"]);
  const counts = new Float64Array(CELL_COUNT * 4);
  for (let r = 0; r < col.rowCount; r++) {
    const status = CIVIL_CODE_BY_LABEL[col.text(r, "civil_status")];
    if (status === undefined)
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `unknown civil status '${col.text(r, "civil_status")}'`, {
        file,
        row: r + 2,
        column: "civil_status",
      });
    const age = Math.min(col.number(r, "age", { min: 0, integer: true }), 100);
    for (const [sex, column] of [
      [SEX.man, "men"],
      [SEX.woman, "women"],
    ] as const) {
      const count = col.number(r, column, { min: 0, integer: true });
      const i = (sex * AGE_COUNT + age) * 4 + status;
      counts[i] = (counts[i] ?? 0) + count;
    }
  }
  const cumulative = new Float64Array(CELL_COUNT * 4);
  for (let sex = 0; sex < 2; sex++) {
    for (let age = 0; age < AGE_COUNT; age++) {
      const from = (sex * AGE_COUNT + Math.min(age, 100)) * 4;
      const to = (sex * AGE_COUNT + age) * 4;
      const total = counts[from]! + counts[from + 1]! + counts[from + 2]! + counts[from + 3]!;
      if (total <= 0) throw new FordelingError("FD_ERR_REFERENCE_DATA", `no residents at age ${age}`, { file });
      let sum = 0;
      for (let k = 0; k < 4; k++) {
        sum += counts[from + k]! / total;
        cumulative[to + k] = sum;
      }
      cumulative[to + 3] = 1;
    }
  }
  return cumulative;
}

/** The municipal socio-economic figures the generator uses (percentages as fractions). */
export interface MunicipalMarginals {
  longHigherShare: Float64Array;
  anyHigherShare: Float64Array;
  immigrantShareAllOrigins: Float64Array;
  unemploymentRate: Float64Array;
  disposableIncome: Float64Array;
}

export function loadMunicipalMarginals(geography: Geography, file = dataFile("kommune_marginals.csv")): MunicipalMarginals {
  const columns = {
    longHigherShare: "share_lvu_phd_15_69_2022",
    anyHigherShare: "share_videregaaende_all_15_69_2022",
    immigrantShareAllOrigins: "share_immigrants_descendants_all_origins_2026_01_01",
    unemploymentRate: "unemployment_rate_AUP02_2024",
    disposableIncome: "disp_income_avg_all_persons_2024",
  } as const;
  const table = readCsv(file);
  const col = new CsvColumns(table, ["kommunekode", ...Object.values(columns)]);
  const n = geography.municipalities.length;
  const result = Object.fromEntries(
    Object.keys(columns).map((k) => [k, new Float64Array(n).fill(Number.NaN)]),
  ) as unknown as MunicipalMarginals;
  for (let r = 0; r < col.rowCount; r++) {
    const code = col.number(r, "kommunekode", { min: 0, max: 999, integer: true });
    const m = geography.municipalityIndexByCode[code] ?? -1;
    if (m < 0)
      throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `code ${code} is not one of the 98`, {
        file,
        row: r + 2,
        column: "kommunekode",
      });
    for (const [key, column] of Object.entries(columns) as [keyof MunicipalMarginals, string][]) {
      const isPercent = key !== "disposableIncome";
      const value = col.number(r, column, isPercent ? { min: 0, max: 100 } : { min: 1 });
      result[key][m] = isPercent ? value / 100 : value;
    }
  }
  for (const [key, values] of Object.entries(result) as [string, Float64Array][]) {
    const missing = values.findIndex(Number.isNaN);
    if (missing >= 0) {
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `no ${key} for municipality ${geography.municipalities[missing]?.code}`, { file });
    }
  }
  return result;
}
