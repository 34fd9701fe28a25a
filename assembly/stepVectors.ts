// The resident step's SIMD helpers: its vector constants and lane utilities (assembly/step.ts).
//
// VECTORS, the last block of the step tables, holds the constants of the four-row path, written
// by stepYear on entry (writeScratch in step.ts). V8 (Node 20) rebuilds a v128 constant at every
// use, in three instructions (a 64-bit immediate, a move, a shuffle), and does not hoist it out of
// the loop; loaded from memory it takes one. Measured on the step: −12 % time per resident-year.

/** Byte offsets of the constants in VECTORS. */
export const V_GONE: u32 = 0;
export const V_MAX_AGE: u32 = 16;
export const V_LANES: u32 = 32;
export const V_GAMMA: u32 = 48;
export const V_GAMMA4: u32 = 64;
export const V_BIAS: u32 = 80;
export const V_SECOND_DRAW: u32 = 96;
export const V_AGES: u32 = 112;
export const V_CHANGE_BITS: u32 = 128;
export const V_CIVIL_X2_BITS: u32 = 144;
export const V_CIVIL_BITS: u32 = 160;
export const V_MARRIED: u32 = 176;
export const V_CIVIL_LABOUR_BITS: u32 = 192;
export const V_ONE: u32 = 208;
export const V_CHRONIC_ONE: u32 = 224;
export const V_CONTRIB_BITS: u32 = 240;
export const V_M1: u32 = 256;
export const V_M2: u32 = 272;
export const V_M3: u32 = 288;
export const VECTOR_COUNT: i32 = 19;

/** Four i32 loads at base + byte offsets (WASM SIMD has no gather). */
// @ts-ignore: decorator
@inline
export function gather32(base: usize, offsets: v128): v128 {
  let r = i32x4.splat(load<i32>(base + <usize>i32x4.extract_lane(offsets, 0)));
  r = i32x4.replace_lane(r, 1, load<i32>(base + <usize>i32x4.extract_lane(offsets, 1)));
  r = i32x4.replace_lane(r, 2, load<i32>(base + <usize>i32x4.extract_lane(offsets, 2)));
  return i32x4.replace_lane(r, 3, load<i32>(base + <usize>i32x4.extract_lane(offsets, 3)));
}

/** The sum of the four i32 lanes. */
// @ts-ignore: decorator
@inline
export function laneSum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}
