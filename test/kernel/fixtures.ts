import fc from "fast-check";
import { defaultGeography } from "../../src/geo/geography.js";
import { Xoshiro128 } from "../../src/population/rng.js";
import { allocateResidentColumns, MAX_AGE_YEARS, NO_CLINIC, type ResidentColumns } from "../../src/population/schema.js";

/** One resident as plain numbers, in RESIDENT_COLUMNS order. */
export interface ResidentRow {
  municipalityCode: number;
  sex: number;
  ageYears: number;
  civilStatus: number;
  education: number;
  chronicDiseaseCount: number;
  psychiatric: number;
  menapt: number;
  outsideLabourMarket: number;
  clinicId: number;
}

export const MUNICIPALITY_CODES = defaultGeography().municipalities.map((m) => m.code);

/** Valid residents; edge values (ages 0 and 110, clinic 65535) are drawn often. */
export const residentArbitrary: fc.Arbitrary<ResidentRow> = fc.record({
  municipalityCode: fc.constantFrom(...MUNICIPALITY_CODES),
  sex: fc.integer({ min: 0, max: 1 }),
  ageYears: fc.oneof(fc.constantFrom(0, 1, MAX_AGE_YEARS), fc.integer({ min: 0, max: MAX_AGE_YEARS })),
  civilStatus: fc.integer({ min: 0, max: 3 }),
  education: fc.integer({ min: 0, max: 3 }),
  chronicDiseaseCount: fc.integer({ min: 0, max: 7 }),
  psychiatric: fc.integer({ min: 0, max: 1 }),
  menapt: fc.integer({ min: 0, max: 1 }),
  outsideLabourMarket: fc.integer({ min: 0, max: 1 }),
  clinicId: fc.oneof(fc.constant(NO_CLINIC), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: NO_CLINIC })),
});

/** Rows grouped by municipality in ascending code order, as generated files are. */
export function groupByMunicipality(rows: ResidentRow[]): ResidentRow[] {
  return [...rows].sort((a, b) => a.municipalityCode - b.municipalityCode);
}

export function columnsFromRows(rows: readonly ResidentRow[]): ResidentColumns {
  const columns = allocateResidentColumns(rows.length);
  rows.forEach((row, r) => {
    for (const key of Object.keys(columns) as (keyof ResidentColumns)[]) columns[key][r] = row[key];
  });
  return columns;
}

/** A seeded population of `rows` residents, grouped by municipality (no Math.random). */
export function seededColumns(rows: number, seed = 1): ResidentColumns {
  const random = new Xoshiro128(seed);
  const next = (): number => random.nextFloat();
  const pick = (n: number): number => Math.floor(next() * n);
  const columns = allocateResidentColumns(rows);
  for (let r = 0; r < rows; r++) {
    const municipality = Math.floor((r * MUNICIPALITY_CODES.length) / rows);
    columns.municipalityCode[r] = MUNICIPALITY_CODES[municipality] ?? 101;
    columns.sex[r] = pick(2);
    columns.ageYears[r] = pick(MAX_AGE_YEARS + 1);
    columns.civilStatus[r] = pick(4);
    columns.education[r] = pick(4);
    columns.chronicDiseaseCount[r] = pick(8);
    columns.psychiatric[r] = pick(2);
    columns.menapt[r] = pick(2);
    columns.outsideLabourMarket[r] = pick(2);
    // Residents list with clinics of their own municipality (about 18 per municipality).
    columns.clinicId[r] = next() < 0.02 ? NO_CLINIC : municipality * 18 + pick(18);
  }
  return columns;
}

/** The same rows reordered by municipality, then sex, then age (a stable sort), as generated files are. */
export function sortedBySexAndAge(columns: ResidentColumns): ResidentColumns {
  const rows = columns.municipalityCode.length;
  const order = Array.from({ length: rows }, (_, r) => r).sort(
    (a, b) =>
      (columns.municipalityCode[a] ?? 0) - (columns.municipalityCode[b] ?? 0) ||
      (columns.sex[a] ?? 0) - (columns.sex[b] ?? 0) ||
      (columns.ageYears[a] ?? 0) - (columns.ageYears[b] ?? 0) ||
      a - b,
  );
  const sorted = allocateResidentColumns(rows);
  for (const key of Object.keys(sorted) as (keyof ResidentColumns)[]) {
    order.forEach((from, to) => {
      sorted[key][to] = columns[key][from] ?? 0;
    });
  }
  return sorted;
}

/** |a − b| ≤ 1e-12 · max(|a|, |b|) for every element (exact zeros must match exactly). */
export function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
  }
  return worst;
}
