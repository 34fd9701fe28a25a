/**
 * Ranks and the linear algebra of rank correlations, for src/results/sensitivity.ts. Sizes are
 * small (a few thousand replications, a dozen parameters), so plain loops over Float64Arrays.
 */

/** Ranks 1…n, ties sharing their average rank (so a constant input has no spread at all). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end] ?? 0] === values[order[start] ?? 0]) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) out[order[k] ?? 0] = rank;
    start = end;
  }
  return out;
}

/** Centred and scaled to unit sum of squares, so dot products are correlations; null without spread. */
export function standardised(values: Float64Array): Float64Array | null {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  if (!(ss > 1e-12 * n)) return null;
  const scale = 1 / Math.sqrt(ss);
  return values.map((v) => (v - mean) * scale);
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** Inverse of a symmetric positive definite matrix (Gauss–Jordan with partial pivoting); null if singular. */
export function invert(matrix: Float64Array[]): Float64Array[] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => {
    const extended = new Float64Array(2 * n);
    extended.set(row);
    extended[n + i] = 1;
    return extended;
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const row = a[col]!;
    const inv = 1 / row[col]!;
    for (let k = 0; k < 2 * n; k++) row[k]! *= inv;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const other = a[r]!;
      const factor = other[col]!;
      if (factor === 0) continue;
      for (let k = 0; k < 2 * n; k++) other[k]! -= factor * row[k]!;
    }
  }
  return a.map((row) => row.slice(n));
}
