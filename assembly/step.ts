// One projection year for every resident: death, moving out, an in-mover (a clone), a birth,
// then at most one change of state (one more chronic disease, a civil-status change, a move in
// or out of the labour market), ageing, and the resident's new weight added to the sums of its
// municipality and clinic. Pure loops over linear memory: no allocation, no statics, no throws.
// src/kernel/step/reference.ts is the plain-TS oracle and must stay in step with this file.
//
// Residents are four parallel columns (structure of arrays):
//   age    u8   years 0…110; 255 = gone (died or moved out in an earlier year)
//   code   u16  bits 12-11 own education | 10 sex | 9-8 civil | 7-6 education (the class in force) | 5-3 chronic count |
//                2 psychiatric | 1 MENAPT | 0 outside labour market
//                Under 30 the class in force is the parents'; on turning 30 it becomes the own class
//                (bits 12-11: switchEducationAt30). Every table index masks the sex bit, so the own
//                class never reaches one.
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
// Then the kernel's own scratch, written by stepYear on every call:
//   VECTORS  v128[19]            the four-row path's constants (assembly/stepVectors.ts says why)
//   NEXT_W   i32[2][111] at a 16-byte stride: BASE_W at age + 1, so the offsets extracted for the
//                                DEMO rows (cell × 16) address it too (no second set of extracts)
//   QUEUE    u64[1024]           four-row groups that append rows: first row | masks << 32
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
// Run by run: the kernel finds where the run ends (eight rows per compare), steps its rows four
// at a time, then its last 0-3 rows one at a time (`stepRow`). In a four-row group both draws,
// all thresholds (DEMO and CHANGE rows loaded whole and transposed), the events, the change of
// state, the next ages and the weights are computed in lanes without branches (a gone row is a
// lane that does nothing). A group that appends rows (in-movers, births: ≈ 5.5 % of rows, one
// group in five) is only queued; the queue is written out, one new row at a time in row order,
// after every 1,024 groups and at the run's end: the group loop has no branch (it mispredicted
// one group in five). With NEXT_W and the telescoped state change, ≈ 4 % less time per
// resident-year than the loop that checked the run and appended inside (A/B in one process).
// Both paths step a row, and append its new row, exactly as a plain row-by-row loop does.

import { RESIDENT_GAMMA, SECOND_DRAW, residentCounter, triple32, triple32x4 } from "./rng";
import {
  VECTOR_COUNT, V_AGES, V_BIAS, V_CHANGE_BITS, V_CHRONIC_ONE, V_CIVIL_BITS, V_CIVIL_LABOUR_BITS, V_CIVIL_X2_BITS,
  V_CONTRIB_BITS, V_GAMMA, V_GAMMA4, V_GONE, V_LANES, V_M1, V_M2, V_M3, V_MARRIED, V_MAX_AGE, V_ONE, V_SECOND_DRAW,
  gather32, laneSum,
} from "./stepVectors";

// The step's ABI: exported by assembly/index.ts, mirrored in src/kernel/step/layout.ts and
// compared one by one by test/kernel/abi.test.ts; docs/ABI.md, "The resident step", draws them.
export const STEP_MUNICIPALITIES: i32 = 98;
export const STEP_AGES: i32 = 111;
/** (sex, age) cells of every per-age table: cell = sex * STEP_AGES + age. */
export const CELLS: i32 = 2 * STEP_AGES;
export const MAX_AGE: u32 = 110;
/** Age code of a resident who died or moved out in an earlier year. */
export const GONE: u32 = 255;
/** Residents under 30 carry their parents' education; the step switches it as they turn 30. */
const OWN_EDUCATION_AGE: u64 = 30;

export const T_DEMO: i32 = 0;
export const T_CHANGE: i32 = T_DEMO + STEP_MUNICIPALITIES * CELLS * 16;
export const T_BASE_W: i32 = T_CHANGE + CELLS * 64 * 16;
export const T_CONTRIB: i32 = T_BASE_W + CELLS * 4;
export const T_VECTORS: i32 = T_CONTRIB + 1024 * 4;
export const T_NEXT_W: i32 = T_VECTORS + VECTOR_COUNT * 16;
export const T_QUEUE: i32 = T_NEXT_W + CELLS * 16;
/** Four-row groups per chunk of the append queue (u64 entries). */
export const QUEUE_GROUPS: u32 = 1024;
/** The call record (StepCall below): what every row of one stepYear call shares. */
export const T_CALL: i32 = T_QUEUE + <i32>QUEUE_GROUPS * 8;
export const STEP_CALL_BYTES: i32 = 64;
export const STEP_TABLE_BYTES: i32 = T_CALL + STEP_CALL_BYTES;
/** Weight units per unit of weight (2^26), and the value of one unit. */
export const WEIGHT_UNITS_PER_ONE: i32 = 67108864;
const WEIGHT_UNIT: f64 = 1.0 / 67108864.0;
/**
 * DEMO and CHANGE hold thresholds with the top bit flipped (t ^ BIAS), and draws are flipped the
 * same way: u < t unsigned ⇔ (u ^ BIAS) < (t ^ BIAS) signed, and WASM SIMD's signed compare is
 * one x64 instruction where the unsigned one takes four.
 */
export const BIAS: u32 = 0x80000000;

/** f64 sums per year: STEP_SUM_BLOCKS blocks of STEP_MUNICIPALITIES, then two of clinicSlots. */
export const STEP_SUM_BLOCKS: i32 = 6;
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
  const cell = (((code >> 10) & 1) * <u32>STEP_AGES + age) << 2;
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
 * What every row of one stepYear call shares, written once per call into the CALL block of the
 * tables' scratch (T_CALL), so the run, row and queue steps take it instead of a dozen
 * arguments. @unmanaged: a view of that memory, never allocated. Hot loops copy the fields they
 * use into locals once per run.
 */
// @ts-ignore: decorator
@unmanaged
class StepCall {
  srcAge: usize;
  srcCode: usize;
  dstAge: usize;
  dstCode: usize;
  muni: usize;
  clinic: usize;
  tables: usize;
  sums: usize;
  /** The per-clinic sums: residents, then Σ weight (after the municipality blocks). */
  clinicResidents: usize;
  clinicWeight: usize;
  dstCapacity: i32;
  key: u32;
  girlThreshold16: u32;
  /** Written by flushQueue: how many of the rows it appended are births, and all their weight units. */
  flushedBirths: i32;
  flushedUnits: i64;
}

/**
 * Steps live row i (age, code as read) of municipality m and clinic k: events, change of state,
 * ageing, an appended row at `rows`. Returns (weight units << 3) | (residents << 1) | appended,
 * or ROW_FULL.
 */
// @ts-ignore: decorator
@inline
function stepRow(call: StepCall, i: i32, age: u32, code0: u32, m: u32, k: u32, demoRun: usize, rows: i32): i64 {
  const tables = call.tables;
  const sums = call.sums;
  const dstAge = call.dstAge;
  const dstCode = call.dstCode;
  let code = code0;
  const counter = residentCounter(call.key, <u32>i);
  const u1 = triple32(counter);
  const b1 = <i32>(u1 ^ BIAS);
  const cell = ((code >> 10) & 1) * <u32>STEP_AGES + age;
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
  if (rows >= call.dstCapacity) return ROW_FULL;
  let newAge = nextAge;
  let newCode = code;
  let nw = w;
  if (event == 1) {
    addTo(sums + S_MOVED_IN + (<usize>m << 3), 1);
  } else {
    addTo(sums + S_BIRTHS + (<usize>m << 3), 1);
    // A newborn: sex from low bits of the draw (independent of the comparison above), the
    // mother's education (under-30s carry their parents') as both classes, and origin;
    // everything else zero. Its own class only counts from 30, after the longest horizon.
    const sex: u32 = (u1 & 0xffff) < call.girlThreshold16 ? 1 : 0;
    newAge = 0;
    newCode = (sex << 10) | (code & (3 << 6)) | ((code & (3 << 6)) << 5) | (code & 2);
    nw = weightUnits(tables, 0, newCode);
  }
  appendRow(call, rows, newAge, newCode, m, k);
  return ((w + nw) << 3) | (2 << 1) | 1;
}

/** Writes a new row (an in-mover or a newborn) at index `row` of the destination columns. */
// @ts-ignore: decorator
@inline
function appendRow(call: StepCall, row: i32, age: u32, code: u32, m: u32, k: u32): void {
  store<u8>(call.dstAge + row, <u8>age);
  store<u16>(call.dstCode + (<usize>row << 1), <u16>code);
  store<u8>(call.muni + row, <u8>m);
  store<u16>(call.clinic + (<usize>row << 1), <u16>k);
}

/** Adds a run's residents, weight and events to its clinic's and its municipality's sums. */
// @ts-ignore: decorator
@inline
function endRun(
  call: StepCall, m: u32, k: u32, residents: i32, units: i64, deaths: i32, movedOut: i32, movedIn: i32, births: i32,
): void {
  // Exact: an integer below 2^53 times a power of two.
  const weight = <f64>units * WEIGHT_UNIT;
  const sums = call.sums;
  const at = <usize>m << 3;
  addTo(call.clinicResidents + (<usize>k << 3), <f64>residents);
  addTo(call.clinicWeight + (<usize>k << 3), weight);
  addTo(sums + S_RESIDENTS + at, <f64>residents);
  addTo(sums + S_WEIGHT + at, weight);
  addTo(sums + S_DEATHS + at, <f64>deaths);
  addTo(sums + S_MOVED_OUT + at, <f64>movedOut);
  addTo(sums + S_MOVED_IN + at, <f64>movedIn);
  addTo(sums + S_BIRTHS + at, <f64>births);
}

/** Writes the SIMD constants into VECTORS and the weights at the next age into NEXT_W. */
// @ts-ignore: decorator
@inline
function writeScratch(tables: usize): void {
  const vectors = tables + <usize>T_VECTORS;
  v128.store(vectors, i32x4.splat(<i32>GONE), V_GONE);
  v128.store(vectors, i32x4.splat(<i32>MAX_AGE), V_MAX_AGE);
  v128.store(vectors, i32x4(0, 1, 2, 3), V_LANES);
  v128.store(vectors, i32x4.splat(<i32>RESIDENT_GAMMA), V_GAMMA);
  v128.store(vectors, i32x4.splat(<i32>(RESIDENT_GAMMA << 2)), V_GAMMA4);
  v128.store(vectors, i32x4.splat(<i32>BIAS), V_BIAS);
  v128.store(vectors, i32x4.splat(<i32>SECOND_DRAW), V_SECOND_DRAW);
  v128.store(vectors, i32x4.splat(STEP_AGES), V_AGES);
  v128.store(vectors, i32x4.splat(0x39), V_CHANGE_BITS);
  v128.store(vectors, i32x4.splat(6), V_CIVIL_X2_BITS);
  v128.store(vectors, i32x4.splat(0x300), V_CIVIL_BITS);
  v128.store(vectors, i32x4.splat(1 << 8), V_MARRIED);
  v128.store(vectors, i32x4.splat(0x301), V_CIVIL_LABOUR_BITS);
  v128.store(vectors, i32x4.splat(1), V_ONE);
  v128.store(vectors, i32x4.splat(1 << 3), V_CHRONIC_ONE);
  v128.store(vectors, i32x4.splat(0x3ff), V_CONTRIB_BITS);
  v128.store(vectors, i32x4.splat(<i32>0xed5ad4bb), V_M1);
  v128.store(vectors, i32x4.splat(<i32>0xac4c1b51), V_M2);
  v128.store(vectors, i32x4.splat(<i32>0x31848bab), V_M3);
  // NEXT_W[cell] = BASE_W[cell + 1] at DEMO's stride, so one extracted offset addresses both
  // (the last cell, age 110, always leaves: its entry is never used).
  for (let cell: i32 = 0; cell < CELLS; cell++) {
    const next = cell + 1 < CELLS ? load<i32>(tables + <usize>T_BASE_W + (<usize>(cell + 1) << 2)) : 0;
    store<i32>(tables + <usize>T_NEXT_W + (<usize>cell << 4), next);
  }
}

/**
 * The end of the run that starts at row i: rows i…end−1 have municipality m and clinic k (gone
 * rows included: in the four-row path they are lanes that do nothing, the one-row path skips
 * them). Eight rows per compare, then one at a time.
 */
// @ts-ignore: decorator
@inline
function runEnd(muni: usize, clinic: usize, i: i32, srcRows: i32, m: u32, k: u32): i32 {
  const muniPattern: u64 = <u64>m * 0x0101010101010101;
  const clinicPattern: u64 = <u64>k * 0x0001000100010001;
  let end = i + 1;
  while (
    end + 8 <= srcRows && load<u64>(muni + end) == muniPattern &&
    load<u64>(clinic + (<usize>end << 1)) == clinicPattern && load<u64>(clinic + (<usize>end << 1), 8) == clinicPattern
  ) end += 8;
  while (end < srcRows && <u32>load<u8>(muni + end) == m && <u32>load<u16>(clinic + (<usize>end << 1)) == k) end++;
  return end;
}

/** Four draws from four counters, biased (u ^ BIAS) for signed compares against the biased thresholds. */
// @ts-ignore: decorator
@inline
function biasedDraws(counters: v128, vectors: usize): v128 {
  const hashed = triple32x4(counters, v128.load(vectors, V_M1), v128.load(vectors, V_M2), v128.load(vectors, V_M3));
  return v128.xor(hashed, v128.load(vectors, V_BIAS));
}

/**
 * Changes of state of a four-row group, without branches: the four CHANGE rows transposed like
 * DEMO's. The draw falls in one interval of the nested thresholds; the new code is code ^ delta,
 * with delta telescoped over the masks: Σ below_j & (delta_j ^ delta_j+1), delta_4 = 0.
 */
// @ts-ignore: decorator
@inline
function changeDelta(tables: usize, vectors: usize, cells: v128, codes: v128, b2: v128): v128 {
  const changeAt = i32x4.shl(
    v128.or(
      v128.or(i32x4.shl(cells, 6), v128.and(codes, v128.load(vectors, V_CHANGE_BITS))),
      v128.and(i32x4.shr_u(codes, 7), v128.load(vectors, V_CIVIL_X2_BITS)),
    ),
    4,
  );
  const c0 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 0));
  const c1 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 1));
  const c2 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 2));
  const c3 = v128.load(tables + <usize>T_CHANGE + <usize>i32x4.extract_lane(changeAt, 3));
  const c01a = i32x4.shuffle(c0, c1, 0, 4, 1, 5);
  const c23a = i32x4.shuffle(c2, c3, 0, 4, 1, 5);
  const c01b = i32x4.shuffle(c0, c1, 2, 6, 3, 7);
  const c23b = i32x4.shuffle(c2, c3, 2, 6, 3, 7);
  const civil = v128.and(codes, v128.load(vectors, V_CIVIL_BITS));
  // Civil status A: married → divorced, every other → married.
  const civilA = v128.xor(
    v128.load(vectors, V_MARRIED), v128.and(i32x4.eq(civil, v128.load(vectors, V_MARRIED)), v128.load(vectors, V_CIVIL_BITS)),
  );
  const chronicToA = v128.xor(v128.xor(codes, i32x4.add(codes, v128.load(vectors, V_CHRONIC_ONE))), v128.xor(civil, civilA));
  const aToB = v128.xor(civilA, v128.load(vectors, V_CIVIL_BITS));
  const bToLabour = v128.xor(civil, v128.load(vectors, V_CIVIL_LABOUR_BITS));
  return v128.xor(
    v128.xor(
      v128.and(i32x4.lt_s(b2, i32x4.shuffle(c01a, c23a, 0, 1, 4, 5)), chronicToA),
      v128.and(i32x4.lt_s(b2, i32x4.shuffle(c01a, c23a, 2, 3, 6, 7)), aToB),
    ),
    v128.xor(
      v128.and(i32x4.lt_s(b2, i32x4.shuffle(c01b, c23b, 0, 1, 4, 5)), bToLabour),
      v128.and(i32x4.lt_s(b2, i32x4.shuffle(c01b, c23b, 2, 3, 6, 7)), v128.load(vectors, V_ONE)),
    ),
  );
}

/**
 * Writes the new rows of the `queued` groups in the queue, in row order: a clone (the row's new
 * age and code) or a newborn. Returns how many rows it appended after row `rows`, or −1 when they
 * would not fit; leaves how many are births, and the weight units of all, in the call record.
 */
// @ts-ignore: decorator
@inline
function flushQueue(call: StepCall, queue: usize, queued: usize, rows: i32, m: u32, k: u32): i32 {
  const dstAge = call.dstAge;
  const dstCode = call.dstCode;
  const muni = call.muni;
  const clinic = call.clinic;
  const tables = call.tables;
  const capacity = call.dstCapacity;
  const key = call.key;
  const girlThreshold16 = call.girlThreshold16;
  let next = rows;
  let births: i32 = 0;
  let units: i64 = 0;
  for (let e: usize = 0; e < queued; e++) {
    const entry = load<u64>(queue + (e << 3));
    const first = <i32>(<u32>entry);
    let appendMask = <u32>(entry >> 32) & 15;
    const birthMask = appendMask & ~(<u32>(entry >> 36));
    if (next + <i32>popcnt(appendMask) > capacity) return -1;
    births += <i32>popcnt(birthMask);
    do {
      const lane = ctz(appendMask);
      appendMask &= appendMask - 1;
      const row = first + <i32>lane;
      let newAge = <u32>load<u8>(dstAge + row);
      let newCode = <u32>load<u16>(dstCode + (<usize>row << 1));
      if ((birthMask >> lane) & 1) {
        const sex: u32 = (triple32(residentCounter(key, <u32>row)) & 0xffff) < girlThreshold16 ? 1 : 0;
        newAge = 0;
        newCode = (sex << 10) | (newCode & (3 << 6)) | ((newCode & (3 << 6)) << 5) | (newCode & 2);
      }
      store<u8>(dstAge + next, <u8>newAge);
      store<u16>(dstCode + (<usize>next << 1), <u16>newCode);
      store<u8>(muni + next, <u8>m);
      store<u16>(clinic + (<usize>next << 1), <u16>k);
      units += weightUnits(tables, newAge, newCode);
      next++;
    } while (appendMask != 0);
  }
  call.flushedBirths = births;
  call.flushedUnits = units;
  return next - rows;
}

/**
 * Steps the run of rows begin…end−1 (municipality m, clinic k): four rows at a time, the groups
 * that append rows queued and written after every QUEUE_GROUPS groups, then the run's last 0–3
 * rows one at a time; adds the run's sums. Returns the destination row count after the run, or
 * STEP_STATUS_CAPACITY when its new rows would not fit.
 */
function stepRun(call: StepCall, begin: i32, end: i32, rowsBefore: i32, m: u32, k: u32): i32 {
  const srcAge = call.srcAge;
  const srcCode = call.srcCode;
  const dstAge = call.dstAge;
  const dstCode = call.dstCode;
  const tables = call.tables;
  const vectors = tables + <usize>T_VECTORS;
  const nextWeights = tables + <usize>T_NEXT_W;
  const queue = tables + <usize>T_QUEUE;
  const keyV = i32x4.splat(<i32>call.key);
  const demoRun = tables + <usize>T_DEMO + <usize>m * <usize>(CELLS * 16);
  let rows = rowsBefore;
  let i = begin;
  let runResidents: i32 = 0;
  let runUnits: i64 = 0;
  let runMovedIn: i32 = 0;
  let runBirths: i32 = 0;
  let groups: i32 = 0;
  // Per lane over the run's four-row groups (a mask is −1: subtracted): rows that were gone or
  // die now (or are 110), rows gone after the year, rows that were gone.
  let diedOrGoneV = i32x4.splat(0);
  let goneAfterV = i32x4.splat(0);
  let wasGoneV = i32x4.splat(0);
  let unitsV = i64x2.splat(0);
  while (i + 4 <= end) {
    // Groups that append rows are queued (row, masks) and their new rows written after the
    // chunk, in row order: no branch in the four-row loop.
    const chunkEnd = i + <i32>min<u32>(<u32>(end - i), QUEUE_GROUPS << 2);
    let queued: usize = 0;
    let rowGamma = i32x4.mul(i32x4.add(i32x4.splat(i), v128.load(vectors, V_LANES)), v128.load(vectors, V_GAMMA));
    while (i + 4 <= chunkEnd) {
      const ages4 = load<u32>(srcAge + i);
      const codes4 = load<u64>(srcCode + (<usize>i << 1));
      const counters = v128.xor(rowGamma, keyV);
      rowGamma = i32x4.add(rowGamma, v128.load(vectors, V_GAMMA4));
      const b1 = biasedDraws(counters, vectors);
      const b2 = biasedDraws(v128.xor(counters, v128.load(vectors, V_SECOND_DRAW)), vectors);
      const rawAges = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(i32x4.splat(<i32>ages4)));
      const codes = i32x4.extend_low_i16x8_u(i64x2.splat(<i64>codes4));
      const ages = i32x4.min_u(rawAges, v128.load(vectors, V_MAX_AGE)); // a valid cell for gone rows too
      const cells = i32x4.add(i32x4.mul(v128.and(i32x4.shr_u(codes, 10), v128.load(vectors, V_ONE)), v128.load(vectors, V_AGES)), ages);
      // The four DEMO rows, transposed to one vector per threshold; the same offsets address NEXT_W.
      const demoAt = i32x4.shl(cells, 4);
      const o0 = <usize>i32x4.extract_lane(demoAt, 0);
      const o1 = <usize>i32x4.extract_lane(demoAt, 1);
      const o2 = <usize>i32x4.extract_lane(demoAt, 2);
      const o3 = <usize>i32x4.extract_lane(demoAt, 3);
      const d0 = v128.load(demoRun + o0);
      const d1 = v128.load(demoRun + o1);
      const d2 = v128.load(demoRun + o2);
      const d3 = v128.load(demoRun + o3);
      const d01a = i32x4.shuffle(d0, d1, 0, 4, 1, 5);
      const d23a = i32x4.shuffle(d2, d3, 0, 4, 1, 5);
      const d01b = i32x4.shuffle(d0, d1, 2, 6, 3, 7);
      const d23b = i32x4.shuffle(d2, d3, 2, 6, 3, 7);
      // Thresholds are cumulative, so the masks nest: below death ⊆ below out ⊆ below in ⊆ below
      // birth. `old` covers gone rows (their age reads 110), so goneAfter = gone now or after the year.
      const old = i32x4.eq(ages, v128.load(vectors, V_MAX_AGE));
      const wasGone = i32x4.eq(rawAges, v128.load(vectors, V_GONE));
      const diedOrGone = v128.or(i32x4.lt_s(b1, i32x4.shuffle(d01a, d23a, 0, 1, 4, 5)), old);
      const goneAfter = v128.or(i32x4.lt_s(b1, i32x4.shuffle(d01a, d23a, 2, 3, 6, 7)), old);
      const belowInMask = <u32>i32x4.bitmask(i32x4.lt_s(b1, i32x4.shuffle(d01b, d23b, 0, 1, 4, 5)));
      const appendMask = <u32>i32x4.bitmask(v128.andnot(i32x4.lt_s(b1, i32x4.shuffle(d01b, d23b, 2, 3, 6, 7)), goneAfter));
      diedOrGoneV = i32x4.sub(diedOrGoneV, diedOrGone);
      goneAfterV = i32x4.sub(goneAfterV, goneAfter);
      wasGoneV = i32x4.sub(wasGoneV, wasGone);
      const newCodes = v128.xor(codes, v128.andnot(changeDelta(tables, vectors, cells, codes, b2), goneAfter));
      v128.store64_lane(dstCode + (<usize>i << 1), i16x8.narrow_i32x4_u(newCodes, newCodes), 0);
      const nextAges = v128.bitselect(v128.load(vectors, V_GONE), i32x4.add(ages, v128.load(vectors, V_ONE)), goneAfter);
      const next16 = i16x8.narrow_i32x4_u(nextAges, nextAges);
      v128.store32_lane(dstAge + i, i8x16.narrow_i16x8_u(next16, next16), 0);
      // Weights at the next age: NEXT_W by the DEMO offsets, CONTRIB by the new code.
      let baseUnits = i32x4.splat(load<i32>(nextWeights + o0));
      baseUnits = i32x4.replace_lane(baseUnits, 1, load<i32>(nextWeights + o1));
      baseUnits = i32x4.replace_lane(baseUnits, 2, load<i32>(nextWeights + o2));
      baseUnits = i32x4.replace_lane(baseUnits, 3, load<i32>(nextWeights + o3));
      const contribAt = i32x4.shl(v128.and(newCodes, v128.load(vectors, V_CONTRIB_BITS)), 2);
      const units = v128.andnot(i32x4.add(baseUnits, gather32(tables + <usize>T_CONTRIB, contribAt)), goneAfter);
      unitsV = i64x2.add(unitsV, i64x2.add(i64x2.extend_low_i32x4_s(units), i64x2.extend_high_i32x4_s(units)));
      store<u64>(queue + (queued << 3), <u64>i | (<u64>(appendMask | (belowInMask << 4)) << 32));
      queued += <usize>(appendMask != 0);
      i += 4;
      groups++;
    }
    const added = flushQueue(call, queue, queued, rows, m, k);
    if (added < 0) return STEP_STATUS_CAPACITY;
    rows += added;
    runResidents += added;
    runBirths += call.flushedBirths;
    runMovedIn += added - call.flushedBirths;
    runUnits += call.flushedUnits;
  }
  // The run's last rows, one at a time.
  while (i < end) {
    const age = <u32>load<u8>(srcAge + i);
    if (age == GONE) {
      store<u8>(dstAge + i, <u8>GONE);
      i++;
      continue;
    }
    const r = stepRow(call, i, age, <u32>load<u16>(srcCode + (<usize>i << 1)), m, k, demoRun, rows);
    if (r == ROW_FULL) return STEP_STATUS_CAPACITY;
    runUnits += r >> 3;
    runResidents += <i32>((r >> 1) & 3);
    rows += <i32>(r & 1);
    i++;
  }
  const diedOrGone = laneSum(diedOrGoneV);
  const goneAfter = laneSum(goneAfterV);
  endRun(
    call, m, k,
    runResidents + (groups << 2) - goneAfter, runUnits + i64x2.extract_lane(unitsV, 0) + i64x2.extract_lane(unitsV, 1),
    diedOrGone - laneSum(wasGoneV), goneAfter - diedOrGone, runMovedIn, runBirths,
  );
  return rows;
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
  const call = changetype<StepCall>(tables + <usize>T_CALL);
  call.srcAge = srcAge;
  call.srcCode = srcCode;
  call.dstAge = dstAge;
  call.dstCode = dstCode;
  call.muni = muni;
  call.clinic = clinic;
  call.tables = tables;
  call.sums = sums;
  call.clinicResidents = sums + <usize>(STEP_SUM_BLOCKS * STEP_MUNICIPALITIES * 8);
  call.clinicWeight = call.clinicResidents + (<usize>clinicSlots << 3);
  call.dstCapacity = dstCapacity;
  call.key = key;
  call.girlThreshold16 = girlThreshold16;
  writeScratch(tables);
  let rows = srcRows;
  let i: i32 = 0;
  while (i < srcRows) {
    const m = <u32>load<u8>(muni + i);
    const k = <u32>load<u16>(clinic + (<usize>i << 1));
    const end = runEnd(muni, clinic, i, srcRows, m, k);
    rows = stepRun(call, i, end, rows, m, k);
    if (rows == STEP_STATUS_CAPACITY) return STEP_STATUS_CAPACITY;
    i = end;
  }
  switchEducationAt30(dstAge, dstCode, muni, clinic, rows, tables, sums, call.clinicWeight);
  return rows;
}

/**
 * Residents who turned 30 in the year (destination age 30: a row that was 29, or an in-mover
 * cloned from one) take their own education class (bits 12-11 into 7-6), and their weight of
 * the year moves by the difference of the two classes' contributions, added to their
 * municipality's and clinic's sums (exact units: where they are added does not matter). A
 * newborn of the year took its mother's class before her birthday. A pass of its own, eight
 * ages per compare: done inside the four-row loop it cost about a quarter of the step's time
 * (A/B in one process, Dec 2026), here it touches one row in about eighty.
 */
function switchEducationAt30(
  dstAge: usize, dstCode: usize, muni: usize, clinic: usize, rows: i32, tables: usize, sums: usize, clinicWeight: usize,
): void {
  const pattern: u64 = OWN_EDUCATION_AGE * 0x0101010101010101;
  let i: i32 = 0;
  while (i < rows) {
    if (i + 8 <= rows) {
      // A byte equal to 30 is a zero byte of x (the classic has-zero-byte test).
      const x = load<u64>(dstAge + i) ^ pattern;
      if (((x - 0x0101010101010101) & ~x & 0x8080808080808080) == 0) {
        i += 8;
        continue;
      }
    }
    const end = min(i + 8, rows);
    for (; i < end; i++) {
      if (<u64>load<u8>(dstAge + i) != OWN_EDUCATION_AGE) continue;
      const code = <u32>load<u16>(dstCode + (<usize>i << 1));
      const own = (code & ~(<u32>3 << 6)) | ((code >> 5) & (3 << 6));
      if (own == code) continue;
      store<u16>(dstCode + (<usize>i << 1), <u16>own);
      const contrib = tables + <usize>T_CONTRIB;
      const delta = <f64>(load<i32>(contrib + ((own & 0x3ff) << 2)) - load<i32>(contrib + ((code & 0x3ff) << 2)));
      const weight = delta * WEIGHT_UNIT;
      addTo(sums + S_WEIGHT + (<usize>load<u8>(muni + i) << 3), weight);
      addTo(clinicWeight + (<usize>load<u16>(clinic + (<usize>i << 1)) << 3), weight);
    }
  }
}

/** Byte size of the tables block, so the host can check its mirror of the layout. */
export function stepTableBytes(): i32 {
  return STEP_TABLE_BYTES;
}
