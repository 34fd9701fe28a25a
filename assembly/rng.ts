// Counter-based random numbers: a draw is a pure function of (stream key, resident index), so a
// replication gives the same events whichever worker runs it and in whatever order.
// The mixer is "triple32" (C. Wellons, hash-prospector: a 32-bit bijection with near-ideal
// avalanche, bias ~0.02). src/kernel/rng.ts mirrors it bit for bit (a test checks).

/** Weyl increment (2^32 / golden ratio): spreads consecutive resident indices over the 32-bit space. */
export const RESIDENT_GAMMA: u32 = 0x9e3779b9;
/** Second draw of a resident-year: the same counter xor this constant. */
export const SECOND_DRAW: u32 = 0x85ebca6b;

// @ts-ignore: decorator
@inline
export function triple32(v: u32): u32 {
  let x = v;
  x ^= x >> 17;
  x *= 0xed5ad4bb;
  x ^= x >> 11;
  x *= 0xac4c1b51;
  x ^= x >> 15;
  x *= 0x31848bab;
  x ^= x >> 14;
  return x;
}

/** The counter of resident `index` in the stream `key` (key = f(seed, replication, year)). */
// @ts-ignore: decorator
@inline
export function residentCounter(key: u32, index: u32): u32 {
  return (index * RESIDENT_GAMMA) ^ key;
}

/**
 * triple32 on four lanes. Its multipliers come in as vectors (stepVectors.ts says why): m1, m2,
 * m3 = splat(0xed5ad4bb), splat(0xac4c1b51), splat(0x31848bab).
 */
// @ts-ignore: decorator
@inline
export function triple32x4(v: v128, m1: v128, m2: v128, m3: v128): v128 {
  let x = v128.xor(v, i32x4.shr_u(v, 17));
  x = i32x4.mul(x, m1);
  x = v128.xor(x, i32x4.shr_u(x, 11));
  x = i32x4.mul(x, m2);
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, m3);
  return v128.xor(x, i32x4.shr_u(x, 14));
}
