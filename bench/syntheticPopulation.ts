import type { Geography } from "../src/geo/geography.js";
import { Xoshiro128 } from "../src/population/rng.js";
import { allocateResidentColumns, MAX_AGE_YEARS, NO_CLINIC, type ResidentColumns } from "../src/population/schema.js";

/**
 * A seeded stand-in for the generated population, for benchmarks when no generated file
 * exists: exact 2026 municipality totals, rows grouped by municipality in ascending code order,
 * clinics local to each municipality, and skewed characteristics (few residents have many
 * chronic diseases or any flag), so table lookups touch what a real population touches.
 * Shapes are rough assumptions for benchmarking only, never model input.
 */
export function syntheticPopulation(geography: Geography, seed = 2026, scale = 1): ResidentColumns {
  const totals = geography.municipalities.map((m) => Math.round(m.population2026 * scale));
  const rows = totals.reduce((a, b) => a + b, 0);
  const columns = allocateResidentColumns(rows);
  const random = new Xoshiro128(seed);
  const next = (): number => random.nextFloat();
  let r = 0;
  let firstClinic = 0;
  geography.municipalities.forEach((m, i) => {
    const clinics = Math.max(2, Math.round((totals[i] ?? 0) / 2900));
    for (let n = 0; n < (totals[i] ?? 0); n++, r++) {
      // Flat to 60, then thinning to 105; a few up to 110.
      let age = Math.floor(next() * 106);
      if (age > 60 && next() < (age - 60) / 45) age = Math.floor(next() * 61);
      if (next() < 0.0005) age = MAX_AGE_YEARS - Math.floor(next() * 5);
      const adult = age >= 18;
      const u = next();
      columns.municipalityCode[r] = m.code;
      columns.sex[r] = next() < 0.5 ? 0 : 1;
      columns.ageYears[r] = age;
      columns.civilStatus[r] = !adult ? 0 : u < 0.35 ? 0 : u < 0.8 ? 1 : u < 0.92 ? 2 : age > 60 ? 3 : 2;
      const e = next();
      columns.education[r] = e < 0.22 ? 0 : e < 0.62 ? 1 : e < 0.85 ? 2 : 3;
      let chronic = 0;
      const p = Math.min(0.75, 0.08 + age / 140);
      while (chronic < 7 && next() < p) chronic++;
      columns.chronicDiseaseCount[r] = chronic;
      columns.psychiatric[r] = next() < 0.1 ? 1 : 0;
      columns.menapt[r] = next() < 0.055 ? 1 : 0;
      columns.outsideLabourMarket[r] = adult && age < 67 && next() < 0.09 ? 1 : 0;
      columns.clinicId[r] = next() < 0.01 ? NO_CLINIC : firstClinic + Math.floor(next() * clinics);
    }
    firstClinic += clinics;
  });
  return columns;
}

/**
 * The same residents in a seeded random order: a file nobody grouped by municipality, the
 * kernel's slow path (runs of one row), which must stay of the same order of cost.
 */
export function shuffledPopulation(columns: ResidentColumns, seed = 7): ResidentColumns {
  const rows = columns.sex.length;
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const random = new Xoshiro128(seed);
  for (let i = rows - 1; i > 0; i--) {
    // A seeded Fisher–Yates shuffle.
    const j = Math.floor(random.nextFloat() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const shuffled = allocateResidentColumns(rows);
  for (const name of Object.keys(shuffled) as (keyof ResidentColumns)[]) {
    const from = columns[name];
    const to = shuffled[name];
    for (let i = 0; i < rows; i++) to[i] = from[order[i]!]!;
  }
  return shuffled;
}
