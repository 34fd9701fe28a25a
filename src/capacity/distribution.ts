import { CAPACITY_RULES } from "./rules.js";

/** The spread of minimum list sizes over a set of clinics; all null when no clinic has one. */
export interface MinimumPatientsDistribution {
  /** Clinics with a defined minimum (patients listed, positive average weight). */
  clinicsWithMinimum: number;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** Share of those clinics whose minimum per capacity lies in [1,150, 2,000], both ends included. */
  shareInsideBand: number | null;
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman–Fan type 7, the default of
 * R, NumPy and DuckDB's `quantile_cont`), so figures match what analysts compute from the files.
 * `sorted` must be ascending and non-empty.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? Number.NaN;
  return low + (high - low) * (position - below);
}

export function summarizeMinimumPatients(values: readonly (number | null)[]): MinimumPatientsDistribution {
  const defined = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  if (defined.length === 0) return { clinicsWithMinimum: 0, p10: null, p50: null, p90: null, shareInsideBand: null };
  const { low, high } = CAPACITY_RULES.minimumPatientsBand;
  let inside = 0;
  for (const value of defined) if (value >= low && value <= high) inside++;
  return {
    clinicsWithMinimum: defined.length,
    p10: quantileSorted(defined, 0.1),
    p50: quantileSorted(defined, 0.5),
    p90: quantileSorted(defined, 0.9),
    shareInsideBand: inside / defined.length,
  };
}
