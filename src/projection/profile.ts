import { CELLS, GONE, STEP_AGES, STEP_MUNICIPALITIES, type StepColumns } from "../kernel/step/layout.js";

/**
 * Counts of the base population that the calibration needs: residents by municipality × sex ×
 * age, and nationally by sex × age × chronic-disease count and × labour-market flag.
 */
export interface PopulationProfile {
  /** index (municipality × 2 + sex) × 111 + age */
  cells: Float64Array;
  /** index (sex × 111 + age) × 8 + count */
  chronic: Float64Array;
  /** index (sex × 111 + age) × 2 + outside-labour-market flag */
  labour: Float64Array;
  residents: number;
}

export function profileOf(columns: StepColumns, rows: number): PopulationProfile {
  const cells = new Float64Array(STEP_MUNICIPALITIES * CELLS);
  const chronic = new Float64Array(CELLS * 8);
  const labour = new Float64Array(CELLS * 2);
  let residents = 0;
  for (let i = 0; i < rows; i++) {
    const age = columns.age[i] ?? GONE;
    if (age === GONE) continue;
    const code = columns.code[i] ?? 0;
    const cell = ((code >> 10) & 1) * STEP_AGES + age;
    const m = columns.muni[i] ?? 0;
    cells[m * CELLS + cell]! += 1;
    chronic[cell * 8 + ((code >> 3) & 7)]! += 1;
    labour[cell * 2 + (code & 1)]! += 1;
    residents++;
  }
  return { cells, chronic, labour, residents };
}
