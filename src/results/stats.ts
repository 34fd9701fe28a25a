import { normalQuantile } from "../projection/draw.js";

/**
 * Small statistics over replications, in float64 whatever the stored type. Quantiles are
 * type 7 (as R, NumPy and DuckDB, and the result tables).
 */

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0;
  return sum / values.length;
}

/** Sample variance (n − 1); 0 for fewer than two values. */
export function variance(values: ArrayLike<number>): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += ((values[i] ?? 0) - m) ** 2;
  return sum / (values.length - 1);
}

export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  return a + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? a) - a);
}

/**
 * Student's t quantile by the Cornish–Fisher expansion around the normal one (Abramowitz &
 * Stegun 26.7.5, four terms): at p = 0.975 within 1e-4 of the exact value for df ≥ 6 (4e-3 at
 * df = 3; comparisons have tens to thousands of replications), and exact as df → ∞.
 */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(df)) return z;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z ** 9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/**
 * The mean of paired differences b − a (common random numbers: replication r of both runs drew
 * the same numbers) with a t interval from the differences' own spread.
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): Interval {
  const n = Math.min(a.length, b.length);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (b[i] ?? 0) - (a[i] ?? 0);
  const estimate = mean(d);
  const half = n < 2 ? Number.NaN : tQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance(d) / n);
  return { estimate, low: estimate - half, high: estimate + half };
}

/** The difference of means b − a of independent replications, Welch's t interval. */
export function unpairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): Interval {
  const estimate = mean(b) - mean(a);
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (a.length < 2 || b.length < 2) return { estimate, low: Number.NaN, high: Number.NaN };
  // Welch–Satterthwaite degrees of freedom; with no spread at all the interval is the point.
  const df = se === 0 ? Infinity : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  return { estimate, low: estimate - half, high: estimate + half };
}
