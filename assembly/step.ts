// One projection year for every resident: death, moving out, an in-mover (a clone), a birth,
// then at most one change of state (one more chronic disease, a civil-status change, a move in
// or out of the labour market), ageing, and the resident's new weight added to the sums of its
// municipality and clinic. Pure loops over linear memory: no allocation, no statics, no throws.
// src/projection/stepReference.ts is the plain-TS oracle and must stay in step with this file.
//
// Residents are four parallel columns (structure of arrays):
//   age    u8   years 0…110; 255 = gone (died or moved out in an earlier year)
//   code   u16  bit 10 sex | 9-8 civil | 7-6 education | 5-3 chronic count | 2 psychiatric | 1 MENAPT | 0 outside labour market
//   muni   u8   municipality index 0…97
//   clinic u16  dense clinic index (clinicSlots − 1 = not listed)
// A row's municipality and clinic never change, so a year reads age and code from the source
// columns and writes them to the destination (the same memory for an in-place step, the base
// population for the first year: copy-on-step), while muni and clinic are one pair of columns
// that must already hold rows 0…srcRows−1; new rows are appended to all four.
//
// Tables (byte offsets from `tables`; cells are (sex, age) = sex * 111 + age):
//   DEMO     u32[98][2][111][4]  cumulative thresholds on draw 1: death, +move out, +in-mover, +birth (biased, see BIAS)
//   CHANGE   u32[2][111][64][4]  cumulative thresholds on draw 2 (biased), by state (chronic count << 3 |
//                                civil << 1 | outside-labour-market flag): one more chronic disease,
//                                +civil status A (never→married, married→divorced, divorced→married,
//                                widowed→married), +civil status B (married→widowed), +labour-market toggle
//   BASE_W   i32[2][111]         base weight by sex and single year of age, in units of 2^-26
//   CONTRIB  i32[1024]           Σ contributions by code & 0x3ff (civil, education, chronic, flags), units of 2^-26
//   VECTORS  v128[20]            the four-row path's constants, written by stepYear itself
//                                (assembly/stepVectors.ts says why)
//
// Weights are fixed point (2^-26 ≈ 1.5e-8): a resident's weight is BASE_W + CONTRIB units, and
// every sum of weights is an exact integer number of units (below 2^53), so sums do not depend
// on the order of additions: the SIMD path below may add four residents at once.
//
// Sums (f64, added to; the host zeroes them): six blocks of 98 (residents, Σ weight, deaths,
// moved out, in-movers, births) then clinicSlots residents and clinicSlots Σ weight. Residents,
// weight and events are summed in registers over a *run* (consecutive rows with the same
// municipality and clinic; the base population is sorted so runs are long) and added when the
// run ends. Every sum is exact, so where a row is counted does not change it.
//
// Four rows at a time (SIMD): when the next four rows are in the current run, both draws, all
// thresholds (DEMO and CHANGE rows loaded whole and transposed), the events, the change of
// state, the next ages and the weights are computed in lanes without branches (a gone row is a
// lane that does nothing). Only new rows (in-movers, births: ≈ 5.5 % of rows) are then written
// one by one, in row order. Other rows (a run's first, its last few) go through `stepRow`. Both
// paths step a row, and append its new row, exactly as a plain row-by-row loop does.

import { RESIDENT_GAMMA, SECOND_DRAW, residentCounter, triple32, triple32x4 } from "./rng";
import {
  VECTOR_COUNT, V_AGES, V_BIAS, V_CHANGE_BITS, V_CHRONIC_ONE, V_CIVIL_BITS, V_CIVIL_X2_BITS, V_CONTRIB_BITS, V_DIVORCED,
  V_GAMMA, V_GONE, V_LANES, V_M1, V_M2, V_M3, V_MARRIED, V_MAX_AGE, V_ONE, V_SECOND_DRAW, V_TWO_BITS, V_WIDOWED,
  gather32, laneSum,
} from "./stepVectors";

export const STEP_MUNICIPALITIES: i32 = 98;
export const STEP_AGES: i32 = 111;
const CELLS: i32 = 2 * STEP_AGES;
const MAX_AGE: u32 = 110;
const GONE: u32 = 255;

export const T_DEMO: i32 = 0;
export const T_CHANGE: i32 = T_DEMO + STEP_MUNICIPALITIES * CELLS * 16;
export const T_BASE_W: i32 = T_CHANGE + CELLS * 64 * 16;
export const T_CONTRIB: i32 = T_BASE_W + CELLS * 4;
export const T_VECTORS: i32 = T_CONTRIB + 1024 * 4;
export const STEP_TABLE_BYTES: i32 = T_VECTORS + VECTOR_COUNT * 16;
/** The value of one weight unit (2^-26). */
const WEIGHT_UNIT: f64 = 1.0 / 67108864.0;
/**
 * DEMO and CHANGE hold thresholds with the top bit flipped (t ^ BIAS), and draws are flipped the
 * same way: u < t unsigned ⇔ (u ^ BIAS) < (t ^ BIAS) signed, and WASM SIMD's signed compare is
 * one x64 instruction where the unsigned one takes four.
 */
const BIAS: u32 = 0x80000000;

const BLOCK: usize = <usize>STEP_MUNICIPALITIES << 3;
const S_RESIDENTS: usize = 0;
const S_WEIGHT: usize = BLOCK;
const S_DEATHS: usize = 2 * BLOCK;
const S_MOVED_OUT: usize = 3 * BLOCK;
const S_MOVED_IN: usize = 4 * BLOCK;
const S_BIRTHS: usize = 5 * BLOCK;

export const STEP_STATUS_CAPACITY: i32 = -1;
/** stepRow's answer when a new row would not fit. */
const ROW_FULL: i64 = i64.MIN_VALUE;

// @ts-ignore: decorator
@inline
function weightUnits(tables: usize, age: u32, code: u32): i64 {
  const cell = ((code >> 10) * <u32>STEP_AGES + age) << 2;
  return <i64>(load<i32>(tables + <usize>T_BASE_W + cell) + load<i32>(tables + <usize>T_CONTRIB + ((code & 0x3ff) << 2)));
}

/** The state after the change drawn by biased `b` from the CHANGE row at `at`, given b < its total (the rare case). */
// @ts-ignore: decorator
@inline
function changeState(at: usize, code: u32, b: i32): u32 {
  if (b < load<i32>(at, 0)) return code + (1 << 3);
  const civil = (code >> 8) & 3;
  if (b < load<i32>(at, 4)) {
    const next: u32 = civil == 1 ? 2 : 1;
    return (code & ~(<u32>3 << 8)) | (next << 8);
  }
  if (b < load<i32>(at, 8)) return (code & ~(<u32>3 << 8)) | (3 << 8);
  return code ^ 1;
}

// @ts-ignore: decorator
@inline
function changeIndex(cell: u32, code: u32): u32 {
  return (cell << 6) | (code & 0x38) | ((code >> 7) & 6) | (code & 1);
}

// @ts-ignore: decorator
@inline
function addTo(at: usize, value: f64): void {
  store<f64>(at, load<f64>(at) + value);
}

/**
 * Steps live row i (age, code as read) of municipality m and clinic k: events, change of state,
 * ageing, an appended row at `rows`. Returns (weight units << 3) | (residents << 1) | appended,
 * or ROW_FULL.
 */
// @ts-ignore: decorator
@inline
function stepRow(
  i: i32, age: u32, code0: u32, m: u32, k: u32, demoRun: usize,
  dstAge: usize, dstCode: usize, muni: usize, clinic: usize, rows: i32, dstCapacity: i32,
  tables: usize, sums: usize, key: u32, girlThreshold16: u32,
): i64 {
  let code = code0;
  const counter = residentCounter(key, <u32>i);
  const u1 = triple32(counter);
  const b1 = <i32>(u1 ^ BIAS);
  const cell = (code >> 10) * <u32>STEP_AGES + age;
  const demo = demoRun + (<usize>cell << 4);
  let event: i32 = 0; // 0 none, 1 in-mover, 2 birth
  if (b1 < load<i32>(demo, 12) || age >= MAX_AGE) {
    if (b1 < load<i32>(demo, 4) || age >= MAX_AGE) {
      const died = b1 < load<i32>(demo, 0) || age >= MAX_AGE;
      addTo(sums + (died ? S_DEATHS : S_MOVED_OUT) + (<usize>m << 3), 1);
      store<u8>(dstAge + i, <u8>GONE);
      return 0;
    }
    event = b1 < load<i32>(demo, 8) ? 1 : 2;
  }
  const b2 = <i32>(triple32(counter ^ SECOND_DRAW) ^ BIAS);
  const change = tables + <usize>T_CHANGE + (<usize>changeIndex(cell, code) << 4);
  if (b2 < load<i32>(change, 12)) code = changeState(change, code, b2);
  const nextAge = age + 1;
  const w = weightUnits(tables, nextAge, code);
  store<u8>(dstAge + i, <u8>nextAge);
  store<u16>(dstCode + (<usize>i << 1), <u16>code);
  if (event == 0) return (w << 3) | (1 << 1);
  if (rows >= dstCapacity) return ROW_FULL;
  let newAge = nextAge;
  let newCode = code;
  let nw = w;
  if (event == 1) {
    addTo(sums + S_MOVED_IN + (<usize>m << 3), 1);
  } else {
    addTo(sums + S_BIRTHS + (<usize>m << 3), 1);
    // A newborn: sex from low bits of the draw (independent of the comparison above), the
    // mother's education (under-30s carry their parents') and origin; everything else zero.
    const sex: u32 = (u1 & 0xffff) < girlThreshold16 ? 1 : 0;
    newAge = 0;
    newCode = (sex << 10) | (code & (3 << 6)) | (code & 2);
    nw = weightUnits(tables, 0, newCode);
  }
  store<u8>(dstAge + rows, <u8>newAge);
  store<u16>(dstCode + (<usize>rows << 1), <u16>newCode);
  store<u8>(muni + rows, <u8>m);
  store<u16>(clinic + (<usize>rows << 1), <u16>k);
  return ((w + nw) << 3) | (2 << 1) | 1;
}




// @ts-ignore: decorator
@inline
function endRun(
  sums: usize, clinicResidents: usize, clinicWeight: usize, m: u32, k: u32, residents: i32, units: i64, unitsV: v128,
  deathsV: v128, movedOutV: v128, movedInV: v128, birthsV: v128,
): void {
  // Exact: an integer below 2^53 times a power of two.
  const weight = <f64>(units + i64x2.extract_lane(unitsV, 0) + i64x2.extract_lane(unitsV, 1)) * WEIGHT_UNIT;
  const at = <usize>m << 3;
  addTo(clinicResidents + (<usize>k << 3), <f64>residents);
  addTo(clinicWeight + (<usize>k << 3), weight);
  addTo(sums + S_RESIDENTS + at, <f64>residents);
  addTo(sums + S_WEIGHT + at, weight);
  addTo(sums + S_DEATHS + at, <f64>laneSum(deathsV));
  addTo(sums + S_MOVED_OUT + at, <f64>laneSum(movedOutV));
  addTo(sums + S_MOVED_IN + at, <f64>laneSum(movedInV));
  addTo(sums + S_BIRTHS + at, <f64>laneSum(birthsV));
}


/** Writes the SIMD constants into VECTORS . */
// @ts-ignore: decorator
@inline
function writeVectors(vectors: usize): void {
  v128.store(vectors, i32x4.splat(<i32>GONE), V_GONE);
  v128.store(vectors, i32x4.splat(<i32>MAX_AGE), V_MAX_AGE);
  v128.store(vectors, i32x4(0, 1, 2, 3), V_LANES);
  v128.store(vectors, i32x4.splat(<i32>RESIDENT_GAMMA), V_GAMMA);
  v128.store(vectors, i32x4.splat(<i32>BIAS), V_BIAS);
  v128.store(vectors, i32x4.splat(<i32>SECOND_DRAW), V_SECOND_DRAW);
  v128.store(vectors, i32x4.splat(STEP_AGES), V_AGES);
  v128.store(vectors, i32x4.splat(0x39), V_CHANGE_BITS);
  v128.store(vectors, i32x4.splat(6), V_CIVIL_X2_BITS);
  v128.store(vectors, i32x4.splat(3), V_TWO_BITS);
  v128.store(vectors, i32x4.splat(0x300), V_CIVIL_BITS);
  v128.store(vectors, i32x4.splat(2 << 8), V_DIVORCED);
  v128.store(vectors, i32x4.splat(1 << 8), V_MARRIED);
  v128.store(vectors, i32x4.splat(1), V_ONE);
  v128.store(vectors, i32x4.splat(3 << 8), V_WIDOWED);
  v128.store(vectors, i32x4.splat(1 << 3), V_CHRONIC_ONE);
  v128.store(vectors, i32x4.splat(0x3ff), V_CONTRIB_BITS);
  v128.store(vectors, i32x4.splat(<i32>0xed5ad4bb), V_M1);
  v128.store(vectors, i32x4.splat(<i32>0xac4c1b51), V_M2);
  v128.store(vectors, i32x4.splat(<i32>0x31848bab), V_M3);
}

/**
 * Steps rows 0…srcRows−1: age and code from the source columns into the destination columns
 * (the same memory for an in-place step), muni and clinic as they stand. New residents (births,
 * in-movers) are appended after the last row. Returns the destination row count, or
 * STEP_STATUS_CAPACITY when they would not fit in dstCapacity.
 */
export function stepYear(
  srcAge: usize, srcCode: usize, dstAge: usize, dstCode: usize, muni: usize, clinic: usize,
  srcRows: i32, dstCapacity: i32, tables: usize, sums: usize, clinicSlots: i32,
  key: u32, girlThreshold16: u32,
): i32 {
  const clinicResidents = sums + <usize>(6 * STEP_MUNICIPALITIES * 8);
  const clinicWeight = clinicResidents + (<usize>clinicSlots << 3);
  let rows = srcRows;
  // The current run: municipality, clinic, both repeated over four rows' bytes, its DEMO rows.
  let inRun = false;
  let runM: u32 = 0;
  let runK: u32 = 0;
  let muniPattern: u32 = 0;
  let clinicPattern: u64 = 0;
  let demoRun: usize = 0;
  let runResidents: i32 = 0;
  let runUnits: i64 = 0;
  let runUnitsV = i64x2.splat(0);
  // Events of the run's four-row groups, one count per lane (a lane mask is −1: subtracted).
  let deathsV = i32x4.splat(0);
  let movedOutV = i32x4.splat(0);
  let movedInV = i32x4.splat(0);
  let birthsV = i32x4.splat(0);
  const keyV = i32x4.splat(<i32>key);
  const vectors = tables + <usize>T_VECTORS;
  writeVectors(vectors);
  let i: i32 = 0;
  while (i < srcRows) {
    if (inRun && i + 4 <= srcRows && load<u32>(muni + i) == muniPattern && load<u64>(clinic + (<usize>i << 1)) == clinicPattern) {
      const ages4 = load<u32>(srcAge + i);
      const codes4 = load<u64>(srcCode + (<usize>i << 1));
      const rawAges = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(i32x4.splat(<i32>ages4)));
      const wasGone = i32x4.eq(rawAges, v128.load(vectors, V_GONE));
      const live = v128.not(wasGone);
      const ages = i32x4.min_u(rawAges, v128.load(vectors, V_MAX_AGE)); // a valid cell for gone rows too
      const codes = i32x4.extend_low_i16x8_u(i64x2.splat(<i64>codes4));
      const rowsV = i32x4.add(i32x4.splat(i), v128.load(vectors, V_LANES));
      const counters = v128.xor(i32x4.mul(rowsV, v128.load(vectors, V_GAMMA)), keyV);
      const u1 = triple32x4(counters, v128.load(vectors, V_M1), v128.load(vectors, V_M2), v128.load(vectors, V_M3)); // the births' sex takes its low bits
      const b1 = v128.xor(u1, v128.load(vectors, V_BIAS));
      const b2 = v128.xor(triple32x4(v128.xor(counters, v128.load(vectors, V_SECOND_DRAW)), v128.load(vectors, V_M1), v128.load(vectors, V_M2), v128.load(vectors, V_M3)), v128.load(vectors, V_BIAS));
      const cells = i32x4.add(i32x4.mul(i32x4.shr_u(codes, 10), v128.load(vectors, V_AGES)), ages);
      // The four DEMO rows, transposed to one vector per threshold.
      const demoAt = i32x4.shl(cells, 4);
      const d0 = v128.load(demoRun + <usize>i32x4.extract_lane(demoAt, 0));
      const d1 = v128.load(demoRun + <usize>i32x4.extract_lane(demoAt, 1));
      const d2 = v128.load(demoRun + <usize>i32x4.extract_lane(demoAt, 2));
      const d3 = v128.load(demoRun + <usize>i32x4.extract_lane(demoAt, 3));
      const d01a = i32x4.shuffle(d0, d1, 0, 4, 1, 5);
      const d23a = i32x4.shuffle(d2, d3, 0, 4, 1, 5);
      const d01b = i32x4.shuffle(d0, d1, 2, 6, 3, 7);
      const d23b = i32x4.shuffle(d2, d3, 2, 6, 3, 7);
      const old = i32x4.eq(ages, v128.load(vectors, V_MAX_AGE)); // ages are clamped to MAX_AGE
      const died = v128.and(v128.or(i32x4.lt_s(b1, i32x4.shuffle(d01a, d23a, 0, 1, 4, 5)), old), live);
      const left = v128.and(v128.or(i32x4.lt_s(b1, i32x4.shuffle(d01a, d23a, 2, 3, 6, 7)), old), live); // died or moved out
      const belowIn = i32x4.lt_s(b1, i32x4.shuffle(d01b, d23b, 0, 1, 4, 5));
      const belowBirth = v128.and(i32x4.lt_s(b1, i32x4.shuffle(d01b, d23b, 2, 3, 6, 7)), live);
      const movedIn = v128.andnot(v128.and(belowIn, live), left);
      const born = v128.andnot(belowBirth, v128.or(left, belowIn));
      const stays = v128.andnot(live, left);
      deathsV = i32x4.sub(deathsV, died);
      movedOutV = i32x4.sub(movedOutV, v128.andnot(left, died));
      movedInV = i32x4.sub(movedInV, movedIn);
      birthsV = i32x4.sub(birthsV, born);
      const changeIndices = v128.or(
        v128.or(i32x4.shl(cells, 6), v128.and(codes, v128.load(vectors, V_CHANGE_BITS))),
        v128.and(i32x4.shr_u(codes, 7), v128.load(vectors, V_CIVIL_X2_BITS)),
      );
      // Changes of state, without branches: the four CHANGE rows transposed like DEMO's.
      const changeAt = i32x4.shl(changeIndices, 4);
      const c0 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 0));
      const c1 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 1));
      const c2 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 2));
      const c3 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 3));
      const c01a = i32x4.shuffle(c0, c1, 0, 4, 1, 5);
      const c23a = i32x4.shuffle(c2, c3, 0, 4, 1, 5);
      const c01b = i32x4.shuffle(c0, c1, 2, 6, 3, 7);
      const c23b = i32x4.shuffle(c2, c3, 2, 6, 3, 7);
      const changes = v128.and(i32x4.lt_s(b2, i32x4.shuffle(c01b, c23b, 2, 3, 6, 7)), stays);
      const civil = v128.and(i32x4.shr_u(codes, 8), v128.load(vectors, V_TWO_BITS));
      const otherCivil = v128.andnot(codes, v128.load(vectors, V_CIVIL_BITS));
      const marriedToDivorced = v128.bitselect(v128.load(vectors, V_DIVORCED), v128.load(vectors, V_MARRIED), i32x4.eq(civil, v128.load(vectors, V_ONE)));
      let changed = v128.xor(codes, v128.load(vectors, V_ONE)); // labour market, the last interval
      changed = v128.bitselect(v128.or(otherCivil, v128.load(vectors, V_WIDOWED)), changed, i32x4.lt_s(b2, i32x4.shuffle(c01b, c23b, 0, 1, 4, 5)));
      changed = v128.bitselect(v128.or(otherCivil, marriedToDivorced), changed, i32x4.lt_s(b2, i32x4.shuffle(c01a, c23a, 2, 3, 6, 7)));
      changed = v128.bitselect(i32x4.add(codes, v128.load(vectors, V_CHRONIC_ONE)), changed, i32x4.lt_s(b2, i32x4.shuffle(c01a, c23a, 0, 1, 4, 5)));
      const newCodes = v128.bitselect(changed, codes, changes);
      const units = v128.and(
        i32x4.add(
          gather32(tables + <usize>T_BASE_W + 4, i32x4.shl(cells, 2)), // the base weight at age + 1
          gather32(tables + <usize>T_CONTRIB, i32x4.shl(v128.and(newCodes, v128.load(vectors, V_CONTRIB_BITS)), 2)),
        ),
        stays,
      );
      runUnitsV = i64x2.add(runUnitsV, i64x2.add(i64x2.extend_low_i32x4_s(units), i64x2.extend_high_i32x4_s(units)));
      const nextAges = v128.bitselect(v128.load(vectors, V_GONE), i32x4.add(ages, v128.load(vectors, V_ONE)), v128.or(wasGone, left));
      const next16 = i16x8.narrow_i32x4_u(nextAges, nextAges);
      v128.store32_lane(dstAge + i, i8x16.narrow_i16x8_u(next16, next16), 0);
      v128.store64_lane(dstCode + (<usize>i << 1), i16x8.narrow_i32x4_u(newCodes, newCodes), 0);
      let appends = <u32>i32x4.bitmask(v128.or(movedIn, born));
      runResidents += <i32>popcnt(<u32>i32x4.bitmask(stays)) + <i32>popcnt(appends);
      if (appends != 0) {
        // New rows in row order: a clone (the row's new age and code) or a newborn.
        const births = <u32>i32x4.bitmask(born);
        if (rows + <i32>popcnt(appends) > dstCapacity) return STEP_STATUS_CAPACITY;
        do {
          const lane = ctz(appends);
          appends &= appends - 1;
          const row = i + <i32>lane;
          let newAge = ((ages4 >> (lane << 3)) & 0xff) + 1;
          let newCode = <u32>load<u16>(dstCode + (<usize>row << 1));
          if ((births >> lane) & 1) {
            const sex: u32 = (triple32(residentCounter(key, <u32>row)) & 0xffff) < girlThreshold16 ? 1 : 0;
            newAge = 0;
            newCode = (sex << 10) | (newCode & (3 << 6)) | (newCode & 2);
          }
          store<u8>(dstAge + rows, <u8>newAge);
          store<u16>(dstCode + (<usize>rows << 1), <u16>newCode);
          store<u8>(muni + rows, <u8>runM);
          store<u16>(clinic + (<usize>rows << 1), <u16>runK);
          runUnits += weightUnits(tables, newAge, newCode);
          rows++;
        } while (appends != 0);
      }
      i += 4;
      continue;
    }
    // One row.
    const age = <u32>load<u8>(srcAge + i);
    if (age == GONE) {
      store<u8>(dstAge + i, <u8>GONE);
      i++;
      continue;
    }
    const m = <u32>load<u8>(muni + i);
    const k = <u32>load<u16>(clinic + (<usize>i << 1));
    if (!inRun || m != runM || k != runK) {
      if (inRun) endRun(sums, clinicResidents, clinicWeight, runM, runK, runResidents, runUnits, runUnitsV, deathsV, movedOutV, movedInV, birthsV);
      inRun = true;
      runM = m;
      runK = k;
      muniPattern = m * 0x01010101;
      clinicPattern = <u64>k * 0x0001000100010001;
      demoRun = tables + <usize>T_DEMO + <usize>m * <usize>(CELLS * 16);
      runResidents = 0;
      runUnits = 0;
      runUnitsV = i64x2.splat(0);
      deathsV = i32x4.splat(0);
      movedOutV = i32x4.splat(0);
      movedInV = i32x4.splat(0);
      birthsV = i32x4.splat(0);
    }
    const r = stepRow(
      i, age, <u32>load<u16>(srcCode + (<usize>i << 1)), m, k, demoRun,
      dstAge, dstCode, muni, clinic, rows, dstCapacity, tables, sums, key, girlThreshold16,
    );
    if (r == ROW_FULL) return STEP_STATUS_CAPACITY;
    runUnits += r >> 3;
    runResidents += <i32>((r >> 1) & 3);
    rows += <i32>(r & 1);
    i++;
  }
  if (inRun) endRun(sums, clinicResidents, clinicWeight, runM, runK, runResidents, runUnits, runUnitsV, deathsV, movedOutV, movedInV, birthsV);
  return rows;
}

/** Byte size of the tables block, so the host can check its mirror of the layout. */
export function stepTableBytes(): i32 {
  return STEP_TABLE_BYTES;
}
