import { SECOND_DRAW, residentCounter, triple32 } from "../rng.js";
import {
  CELLS,
  EDUCATION_OWN_FROM_AGE,
  GONE,
  MAX_AGE,
  STEP_AGES,
  STEP_MUNICIPALITIES,
  STEP_STATUS_CAPACITY,
  STEP_TABLE_BYTES,
  T_BASE_W,
  T_CHANGE,
  T_CONTRIB,
  T_DEMO,
  THRESHOLD_BIAS,
  WEIGHT_UNITS_PER_ONE,
  changeStateOf,
  switchToOwnEducation,
  type StepColumns,
} from "./layout.js";

/** Two views over the same table bytes (every offset is a multiple of 4). */
export interface StepTableViews {
  u32: Uint32Array;
  i32: Int32Array;
}

export function makeStepTableViews(buffer: ArrayBufferLike, byteOffset = 0): StepTableViews {
  return {
    u32: new Uint32Array(buffer, byteOffset, STEP_TABLE_BYTES / 4),
    i32: new Int32Array(buffer, byteOffset, STEP_TABLE_BYTES / 4),
  };
}

/**
 * The plain-TS reference of assembly/step.ts, one row at a time: the same draws and the same
 * rows as the kernel (whose four-row path steps rows exactly as its one-row path does), and the
 * same sums, since sums of whole weight units are exact in any order; tests check columns and
 * sums bit for bit. The benchmark uses it as the baseline for resident-years per second. Age and
 * code go from `src` to `dst`; muni and clinic are `dst`'s, which must hold rows 0…srcRows−1
 * already (copyGroups).
 */
export function stepYearReference(
  src: StepColumns,
  srcRows: number,
  dst: StepColumns,
  dstCapacity: number,
  tables: StepTableViews,
  sums: Float64Array,
  clinicSlots: number,
  key: number,
  girlThreshold16: number,
): number {
  const t32 = tables.u32;
  const ti32 = tables.i32;
  /** DEMO and CHANGE store thresholds with the top bit flipped (THRESHOLD_BIAS); unflipped here. */
  const threshold = (byte: number): number => ((t32[byte >> 2] ?? 0) ^ THRESHOLD_BIAS) >>> 0;
  const i32 = (byte: number): number => ti32[byte >> 2] ?? Number.NaN;
  /** A weight in units of 2^-26 (an integer: sums of them are exact in doubles below 2^53). */
  const weightUnits = (age: number, code: number): number =>
    i32(T_BASE_W + (((code >> 10) & 1) * STEP_AGES + age) * 4) + i32(T_CONTRIB + (code & 0x3ff) * 4);
  const b = STEP_MUNICIPALITIES;
  const clinicResidents = 6 * b;
  const clinicWeight = clinicResidents + clinicSlots;
  const add = (at: number, value: number): void => {
    sums[at] = (sums[at] ?? 0) + value;
  };
  let rows = srcRows;
  let run = -1;
  let runResidents = 0;
  let runUnits = 0;
  const endRun = (): void => {
    if (run < 0) return;
    const clinic = run & 0xffff;
    const m = run >>> 16;
    add(clinicResidents + clinic, runResidents);
    add(clinicWeight + clinic, runUnits / WEIGHT_UNITS_PER_ONE);
    add(m, runResidents);
    add(b + m, runUnits / WEIGHT_UNITS_PER_ONE);
  };
  for (let i = 0; i < srcRows; i++) {
    const age = src.age[i] ?? GONE;
    if (age === GONE) {
      dst.age[i] = GONE;
      continue;
    }
    const m = dst.muni[i] ?? 0;
    const clinic = dst.clinic[i] ?? 0;
    const runKey = (m << 16) | clinic;
    if (runKey !== run) {
      endRun();
      run = runKey;
      runResidents = 0;
      runUnits = 0;
    }
    let code = src.code[i] ?? 0;
    const counter = residentCounter(key, i);
    const u1 = triple32(counter);
    const cell = ((code >> 10) & 1) * STEP_AGES + age;
    const demo = T_DEMO + (m * CELLS + cell) * 16;
    let event = 0;
    if (u1 < threshold(demo + 12) || age >= MAX_AGE) {
      if (u1 < threshold(demo + 4) || age >= MAX_AGE) {
        const died = u1 < threshold(demo) || age >= MAX_AGE;
        add((died ? 2 : 3) * b + m, 1);
        dst.age[i] = GONE;
        continue;
      }
      event = u1 < threshold(demo + 8) ? 1 : 2;
    }
    const u2 = triple32((counter ^ SECOND_DRAW) >>> 0);
    const change = T_CHANGE + (cell * 64 + changeStateOf(code)) * 16;
    if (u2 < threshold(change + 12)) code = changeState(threshold, change, code, u2);
    const nextAge = age + 1;
    const w = weightUnits(nextAge, code);
    dst.age[i] = nextAge;
    dst.code[i] = code;
    runResidents += 1;
    runUnits += w;
    if (event === 0) continue;
    if (rows >= dstCapacity) return STEP_STATUS_CAPACITY;
    let newAge = nextAge;
    let newCode = code;
    let nw = w;
    if (event === 1) {
      add(4 * b + m, 1);
    } else {
      add(5 * b + m, 1);
      const sex = (u1 & 0xffff) < girlThreshold16 ? 1 : 0;
      newAge = 0;
      // The mother's education in force as both classes (its own class only counts from 30).
      newCode = (sex << 10) | (code & (3 << 6)) | ((code & (3 << 6)) << 5) | (code & 2);
      nw = weightUnits(0, newCode);
    }
    dst.age[rows] = newAge;
    dst.code[rows] = newCode;
    dst.muni[rows] = m;
    dst.clinic[rows] = clinic;
    rows++;
    runResidents += 1;
    runUnits += nw;
  }
  endRun();
  // Turning 30 (assembly/step.ts, switchEducationAt30): the own education class takes over, and
  // the year's weight moves by the difference of the two classes' contributions.
  for (let i = 0; i < rows; i++) {
    if (dst.age[i] !== EDUCATION_OWN_FROM_AGE) continue;
    const code = dst.code[i] ?? 0;
    const own = switchToOwnEducation(code);
    if (own === code) continue;
    dst.code[i] = own;
    const delta = (i32(T_CONTRIB + (own & 0x3ff) * 4) - i32(T_CONTRIB + (code & 0x3ff) * 4)) / WEIGHT_UNITS_PER_ONE;
    add(b + (dst.muni[i] ?? 0), delta);
    add(clinicWeight + (dst.clinic[i] ?? 0), delta);
  }
  return rows;
}

/** The state after the change drawn by `u` from the CHANGE row at byte `at`, given u < its total. */
function changeState(threshold: (byte: number) => number, at: number, code: number, u: number): number {
  if (u < threshold(at)) return code + (1 << 3);
  const civil = (code >> 8) & 3;
  if (u < threshold(at + 4)) return (code & ~(3 << 8)) | ((civil === 1 ? 2 : 1) << 8);
  if (u < threshold(at + 8)) return (code & ~(3 << 8)) | (3 << 8);
  return code ^ 1;
}
