/**
 * Walker's alias method (Vose's stable construction) for sampling a discrete distribution in
 * O(1): column j = floor(u·n) is kept with probability `keep[j]`, else its alias is taken.
 * One uniform u serves both steps: the fractional part of u·n is itself uniform in [0, 1).
 * With u of 32-bit resolution and n ≤ 10^4 entries the fractional part keeps ≥ 18 bits, so
 * probabilities are exact to about 4·10^-6 of an entry's share — far below sampling noise.
 *
 * Several tables live end to end in one set of flat arrays (one table per municipality), so a
 * lookup touches three typed arrays and no objects.
 */
export interface AliasTables {
  /** Table t occupies entries offsets[t] … offsets[t+1]−1. */
  offsets: Int32Array;
  keep: Float64Array;
  /** Absolute entry index of each entry's alias. */
  alias: Int32Array;
}

/**
 * Builds one table per weight list. Every list needs a positive sum; zero weights are allowed
 * (those entries are never drawn).
 */
export function makeAliasTables(weightLists: readonly (readonly number[])[]): AliasTables {
  const offsets = new Int32Array(weightLists.length + 1);
  weightLists.forEach((w, t) => {
    offsets[t + 1] = (offsets[t] ?? 0) + w.length;
  });
  const total = offsets[weightLists.length] ?? 0;
  const keep = new Float64Array(total);
  const alias = new Int32Array(total);
  weightLists.forEach((weights, t) => fillTable(weights, offsets[t] ?? 0, keep, alias));
  return { offsets, keep, alias };
}

function fillTable(weights: readonly number[], start: number, keep: Float64Array, alias: Int32Array): void {
  const n = weights.length;
  const sum = weights.reduce((s, w) => s + w, 0);
  const scaled = weights.map((w) => (w * n) / sum);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() as number;
    const l = large.pop() as number;
    keep[start + s] = scaled[s] ?? 0;
    alias[start + s] = start + l;
    const rest = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
    scaled[l] = rest;
    (rest < 1 ? small : large).push(l);
  }
  // What is left is 1 up to rounding: such entries always keep themselves.
  for (const i of [...small, ...large]) {
    keep[start + i] = 1;
    alias[start + i] = start + i;
  }
}
