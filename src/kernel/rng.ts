/**
 * Counter-based random numbers, the TS mirror of assembly/rng.ts: every draw is a pure function
 * of (seed, replication, year, stream, index), so results do not depend on threads or order.
 * `triple32` is C. Wellons' 32-bit integer hash (hash-prospector), a bijection with near-ideal
 * avalanche; chaining it over the parts of a key gives independent-looking streams.
 */

export const RESIDENT_GAMMA = 0x9e3779b9;
export const SECOND_DRAW = 0x85ebca6b;

/** Streams inside one replication; the resident step uses the year's key directly. */
export const STREAM = {
  residents: 1,
  parameters: 2,
  gps: 3,
  clinics: 4,
  /** The own education class of residents under 30, drawn once for a base population. */
  ownEducation: 5,
  moves: 6,
  settle: 7,
  tenders: 8,
} as const;

export function triple32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x >>> 0;
}

/** The 32-bit key of one (seed, replication, year, stream); seed is a uint32. */
export function streamKey(seed: number, replication: number, year: number, stream: number): number {
  let k = triple32((seed ^ 0x5eed5eed) >>> 0);
  k = triple32((k ^ replication) >>> 0);
  k = triple32((k + year * 0x632be5ab) >>> 0);
  return triple32((k ^ Math.imul(stream, 0x27d4eb2f)) >>> 0);
}

export function residentCounter(key: number, index: number): number {
  return (Math.imul(index, RESIDENT_GAMMA) ^ key) >>> 0;
}

/** Uniform in [0, 1) with 32-bit resolution: draw `index` of the stream `key`. */
export function uniformAt(key: number, index: number): number {
  return triple32(residentCounter(key, index)) / 4294967296;
}

/** Probability → threshold on a 32-bit draw: `draw < threshold` happens with that probability. */
export function probabilityToThreshold(p: number): number {
  if (!(p > 0)) return 0;
  if (p >= 1) return 0xffffffff;
  return Math.min(0xffffffff, Math.round(p * 4294967296));
}
