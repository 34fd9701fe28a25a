// One projection year for every resident: death, moving out, an in-mover (a clone), a birth,
// then at most one change of state (one more chronic disease, a civil-status change, a move in
// or out of the labour market), ageing, and the resident's new weight added to the sums of its
// municipality and clinic. Pure loops over linear memory: no allocation, no statics, no throws.
// src/projection/stepReference.ts is the plain-TS oracle and must stay in step with this file.
//
// Residents are four parallel columns (structure of arrays), `rows` long:
//   age    u8   years 0…110; 255 = gone (died or moved out in an earlier year)
//   code   u16  bit 10 sex | 9-8 civil | 7-6 education | 5-3 chronic count | 2 psychiatric | 1 MENAPT | 0 outside labour market
//   muni   u8   municipality index 0…97
//   clinic u16  dense clinic index (clinicSlots − 1 = not listed)
//
// Tables (byte offsets from `tables`; cells are (sex, age) = sex * 111 + age):
//   DEMO     u32[98][2][111][4]  cumulative thresholds on draw 1: death, +move out, +in-mover, +birth
//   ANY      u32[2][111]         upper bound of the state-change thresholds (fast reject)
//   CHRONIC  u32[2][111][8]      one more chronic disease, by current count
//   CIVIL_A  u32[2][111][4]      never→married, married→divorced, divorced→married, widowed→married
//   CIVIL_B  u32[2][111][4]      married→widowed (other statuses 0)
//   LABOUR   u32[2][111][2]      toggle of the outside-labour-market flag, by current flag
//   BASE_W   f64[2][111]         base weight by sex and single year of age
//   CONTRIB  f64[1024]           Σ contributions by code & 0x3ff (civil, education, chronic, flags)
//
// Sums (f64, added to; the host zeroes them): six blocks of 98 (residents, Σ weight, deaths,
// moved out, in-movers, births) then clinicSlots residents and clinicSlots Σ weight.

import { SECOND_DRAW, residentCounter, triple32 } from "./rng";

export const STEP_MUNICIPALITIES: i32 = 98;
export const STEP_AGES: i32 = 111;
const CELLS: i32 = 2 * STEP_AGES;
const MAX_AGE: u32 = 110;
const GONE: u32 = 255;

export const T_DEMO: i32 = 0;
export const T_ANY: i32 = T_DEMO + STEP_MUNICIPALITIES * CELLS * 16;
export const T_CHRONIC: i32 = T_ANY + CELLS * 4;
export const T_CIVIL_A: i32 = T_CHRONIC + CELLS * 8 * 4;
export const T_CIVIL_B: i32 = T_CIVIL_A + CELLS * 4 * 4;
export const T_LABOUR: i32 = T_CIVIL_B + CELLS * 4 * 4;
export const T_BASE_W: i32 = T_LABOUR + CELLS * 2 * 4;
export const T_CONTRIB: i32 = T_BASE_W + CELLS * 8;
export const STEP_TABLE_BYTES: i32 = T_CONTRIB + 1024 * 8;

export const STEP_STATUS_CAPACITY: i32 = -1;

// @ts-ignore: decorator
@inline
function weightOf(tables: usize, age: u32, code: u32): f64 {
  const cell = ((code >> 10) * <u32>STEP_AGES + age) << 3;
  return load<f64>(tables + <usize>T_BASE_W + cell) + load<f64>(tables + <usize>T_CONTRIB + ((code & 0x3ff) << 3));
}

/** The state after at most one change drawn from `u`; `u` below ANY[cell] is rare. */
// @ts-ignore: decorator
@inline
function changeState(tables: usize, cell: u32, code: u32, u: u32): u32 {
  const chronic = (code >> 3) & 7;
  const civil = (code >> 8) & 3;
  const t1 = load<u32>(tables + <usize>T_CHRONIC + ((cell * 8 + chronic) << 2));
  if (u < t1) return code + (1 << 3);
  const t2 = t1 + load<u32>(tables + <usize>T_CIVIL_A + ((cell * 4 + civil) << 2));
  if (u < t2) {
    const next: u32 = civil == 1 ? 2 : 1;
    return (code & ~(<u32>3 << 8)) | (next << 8);
  }
  const t3 = t2 + load<u32>(tables + <usize>T_CIVIL_B + ((cell * 4 + civil) << 2));
  if (u < t3) return (code & ~(<u32>3 << 8)) | (3 << 8);
  const t4 = t3 + load<u32>(tables + <usize>T_LABOUR + ((cell * 2 + (code & 1)) << 2));
  if (u < t4) return code ^ 1;
  return code;
}

/**
 * Steps rows 0…srcRows−1 of the source columns into the destination columns (the same memory
 * for an in-place step, the base population for the first year: copy-on-step). New residents
 * (births, in-movers) are appended after the last row. Returns the destination row count, or
 * STEP_STATUS_CAPACITY when they would not fit in dstCapacity.
 */
export function stepYear(
  srcAge: usize, srcCode: usize, srcMuni: usize, srcClinic: usize, srcRows: i32,
  dstAge: usize, dstCode: usize, dstMuni: usize, dstClinic: usize, dstCapacity: i32,
  tables: usize, sums: usize, clinicSlots: i32, key: u32, girlThreshold16: u32,
): i32 {
  const clinicResidents = sums + <usize>(6 * STEP_MUNICIPALITIES * 8);
  const clinicWeight = clinicResidents + (<usize>clinicSlots << 3);
  let rows = srcRows;
  let current: i32 = -1;
  let residents: f64 = 0, weight: f64 = 0, deaths: f64 = 0, movedOut: f64 = 0, movedIn: f64 = 0, births: f64 = 0;
  for (let i: i32 = 0; i < srcRows; i++) {
    const age = <u32>load<u8>(srcAge + i);
    if (age == GONE) {
      store<u8>(dstAge + i, <u8>GONE);
      continue;
    }
    const m = <i32>load<u8>(srcMuni + i);
    if (m != current) {
      if (current >= 0) flush(sums, current, residents, weight, deaths, movedOut, movedIn, births);
      current = m;
      residents = 0; weight = 0; deaths = 0; movedOut = 0; movedIn = 0; births = 0;
    }
    let code = <u32>load<u16>(srcCode + (<usize>i << 1));
    const clinic = <usize>load<u16>(srcClinic + (<usize>i << 1));
    const counter = residentCounter(key, <u32>i);
    const u1 = triple32(counter);
    const cell = (code >> 10) * <u32>STEP_AGES + age;
    const demo = tables + <usize>T_DEMO + (((<usize>m * <usize>CELLS + cell) << 4));
    let event: i32 = 0; // 0 none, 1 in-mover, 2 birth
    if (u1 < load<u32>(demo, 12) || age >= MAX_AGE) {
      if (u1 < load<u32>(demo, 0) || age >= MAX_AGE) {
        deaths += 1;
        store<u8>(dstAge + i, <u8>GONE);
        continue;
      }
      if (u1 < load<u32>(demo, 4)) {
        movedOut += 1;
        store<u8>(dstAge + i, <u8>GONE);
        continue;
      }
      event = u1 < load<u32>(demo, 8) ? 1 : 2;
    }
    const u2 = triple32(counter ^ SECOND_DRAW);
    if (u2 < load<u32>(tables + <usize>T_ANY + (cell << 2))) code = changeState(tables, cell, code, u2);
    const nextAge = age + 1;
    const w = weightOf(tables, nextAge, code);
    store<u8>(dstAge + i, <u8>nextAge);
    store<u16>(dstCode + (<usize>i << 1), <u16>code);
    store<u8>(dstMuni + i, <u8>m);
    store<u16>(dstClinic + (<usize>i << 1), <u16>clinic);
    residents += 1;
    weight += w;
    store<f64>(clinicResidents + (clinic << 3), load<f64>(clinicResidents + (clinic << 3)) + 1);
    store<f64>(clinicWeight + (clinic << 3), load<f64>(clinicWeight + (clinic << 3)) + w);
    if (event == 0) continue;
    if (rows >= dstCapacity) return STEP_STATUS_CAPACITY;
    let newAge = nextAge;
    let newCode = code;
    let nw = w;
    if (event == 1) {
      movedIn += 1;
    } else {
      births += 1;
      // A newborn: sex from low bits of the draw (independent of the comparison above), the
      // mother's education (under-30s carry their parents') and origin; everything else zero.
      const sex: u32 = (u1 & 0xffff) < girlThreshold16 ? 1 : 0;
      newAge = 0;
      newCode = (sex << 10) | (code & (3 << 6)) | (code & 2);
      nw = weightOf(tables, 0, newCode);
    }
    store<u8>(dstAge + rows, <u8>newAge);
    store<u16>(dstCode + (<usize>rows << 1), <u16>newCode);
    store<u8>(dstMuni + rows, <u8>m);
    store<u16>(dstClinic + (<usize>rows << 1), <u16>clinic);
    rows++;
    residents += 1;
    weight += nw;
    store<f64>(clinicResidents + (clinic << 3), load<f64>(clinicResidents + (clinic << 3)) + 1);
    store<f64>(clinicWeight + (clinic << 3), load<f64>(clinicWeight + (clinic << 3)) + nw);
  }
  if (current >= 0) flush(sums, current, residents, weight, deaths, movedOut, movedIn, births);
  return rows;
}

// @ts-ignore: decorator
@inline
function flush(sums: usize, m: i32, residents: f64, weight: f64, deaths: f64, movedOut: f64, movedIn: f64, births: f64): void {
  const at = sums + (<usize>m << 3);
  const block = <usize>(STEP_MUNICIPALITIES * 8);
  store<f64>(at, load<f64>(at) + residents);
  store<f64>(at + block, load<f64>(at + block) + weight);
  store<f64>(at + 2 * block, load<f64>(at + 2 * block) + deaths);
  store<f64>(at + 3 * block, load<f64>(at + 3 * block) + movedOut);
  store<f64>(at + 4 * block, load<f64>(at + 4 * block) + movedIn);
  store<f64>(at + 5 * block, load<f64>(at + 5 * block) + births);
}

/** Byte size of the tables block, so the host can check its mirror of the layout. */
export function stepTableBytes(): i32 {
  return STEP_TABLE_BYTES;
}
