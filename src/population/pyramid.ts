import type { Geography } from "../geo/geography.js";
import type { Xoshiro128 } from "./rng.js";
import { AGE_COUNT, CELL_COUNT, NATIONAL_GROUP_LOWER_BOUNDS, nationalGroupOfAge } from "./referenceData.js";

/**
 * Municipal age × sex pyramids for 1 Jan 2026.
 *
 * Seed: each municipality's 2020 pyramid at the same ages (a period shape, not cohorts aged by
 * six years: moves at study and family ages dominate cohort ageing at municipal level, and a
 * university town's 20–29 bulge is still at 20–29 in 2026). Raking (iterative proportional
 * fitting) then meets two margins: each municipality's 2026 total × scale exactly, and the
 * national 2026 sex × 5-year-group counts scaled to the same grand total. Ageing of the country
 * between 2020 and 2026 enters through the national margins.
 */

export function municipalTotals(geography: Geography, scale: number): Int32Array {
  return Int32Array.from(geography.municipalities, (m) => Math.max(1, Math.round(m.population2026 * scale)));
}

const MAX_ITERATIONS = 200;
const TOLERANCE = 1e-10;

/** Fitted (fractional) counts by municipality × cell; each municipality sums to its total. */
export function rakePyramids(seed2020: Float64Array, totals: Int32Array, nationalMargins: Float64Array): Float64Array {
  const municipalityCount = totals.length;
  const groupCount = NATIONAL_GROUP_LOWER_BOUNDS.length;
  const fitted = Float64Array.from(seed2020);
  const grandTotal = totals.reduce((s, t) => s + t, 0);
  const marginTotal = nationalMargins.reduce((s, v) => s + v, 0);
  // The national table includes Christiansø (92 residents, no municipality): scale it to the
  // municipalities' sum so both margins describe the same population.
  const margins = nationalMargins.map((v) => (v * grandTotal) / marginTotal);
  const groupOfCell = Int32Array.from(
    { length: CELL_COUNT },
    (_, c) => Math.floor(c / AGE_COUNT) * groupCount + nationalGroupOfAge(c % AGE_COUNT),
  );
  const groupSums = new Float64Array(2 * groupCount);

  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    groupSums.fill(0);
    for (let i = 0; i < fitted.length; i++) groupSums[groupOfCell[i % CELL_COUNT]!]! += fitted[i]!;
    let worst = 0;
    const factors = groupSums.map((sum, g) => (sum > 0 ? margins[g]! / sum : 0));
    for (let i = 0; i < fitted.length; i++) fitted[i]! *= factors[groupOfCell[i % CELL_COUNT]!]!;
    for (let m = 0; m < municipalityCount; m++) {
      const row = fitted.subarray(m * CELL_COUNT, (m + 1) * CELL_COUNT);
      const sum = row.reduce((s, v) => s + v, 0);
      const factor = totals[m]! / sum;
      worst = Math.max(worst, Math.abs(factor - 1));
      for (let c = 0; c < CELL_COUNT; c++) row[c]! *= factor;
    }
    // After the row step rows are exact; `worst` measures how far the column step moved them.
    if (worst < TOLERANCE) break;
  }
  return fitted;
}

/**
 * Whole counts for one municipality by systematic sampling: each cell gets the floor or the
 * ceiling of its fitted count, the total is exact, and the expected count is unbiased, which
 * plain rounding is not for small (scaled-down) municipalities.
 */
export function integerizeCells(fittedRow: Float64Array, total: number, rng: Xoshiro128): Int32Array {
  const counts = new Int32Array(fittedRow.length);
  const sum = fittedRow.reduce((s, v) => s + v, 0);
  const step = sum / total;
  let position = rng.nextFloat() * step;
  let cumulative = 0;
  let assigned = 0;
  let lastNonEmpty = 0;
  for (let c = 0; c < fittedRow.length && assigned < total; c++) {
    const value = fittedRow[c]!;
    if (value <= 0) continue;
    lastNonEmpty = c;
    cumulative += value;
    while (position < cumulative && assigned < total) {
      counts[c]!++;
      assigned++;
      position += step;
    }
  }
  // Float rounding can leave the last point just past the end: it belongs to the last cell.
  counts[lastNonEmpty]! += total - assigned;
  return counts;
}
