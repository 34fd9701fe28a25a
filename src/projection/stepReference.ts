import { SECOND_DRAW, residentCounter, triple32 } from "./rng.js";
import {
  CELLS,
  GONE,
  MAX_AGE,
  STEP_AGES,
  STEP_MUNICIPALITIES,
  STEP_STATUS_CAPACITY,
  STEP_TABLE_BYTES,
  T_ANY,
  T_BASE_W,
  T_CHRONIC,
  T_CIVIL_A,
  T_CIVIL_B,
  T_CONTRIB,
  T_DEMO,
  T_LABOUR,
  type StepColumns,
} from "./stepLayout.js";

/** Two views over the same table bytes (every offset is a multiple of 8). */
export interface StepTableViews {
  u32: Uint32Array;
  f64: Float64Array;
}

export function makeStepTableViews(buffer: ArrayBufferLike, byteOffset = 0): StepTableViews {
  return {
    u32: new Uint32Array(buffer, byteOffset, STEP_TABLE_BYTES / 4),
    f64: new Float64Array(buffer, byteOffset, STEP_TABLE_BYTES / 8),
  };
}

/**
 * The plain-TS reference of assembly/step.ts: the same draws, the same order of additions, so
 * columns and sums agree bit for bit. Tests use it as the oracle; the benchmark uses it as the
 * baseline for resident-years per second.
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
  const t64 = tables.f64;
  const u32 = (byte: number): number => t32[byte >> 2] ?? 0;
  const f64 = (byte: number): number => t64[byte >> 3] ?? Number.NaN;
  const weightOf = (age: number, code: number): number =>
    f64(T_BASE_W + ((code >> 10) * STEP_AGES + age) * 8) + f64(T_CONTRIB + (code & 0x3ff) * 8);
  const clinicResidents = 6 * STEP_MUNICIPALITIES;
  const clinicWeight = clinicResidents + clinicSlots;
  let rows = srcRows;
  let current = -1;
  let residents = 0, weight = 0, deaths = 0, movedOut = 0, movedIn = 0, births = 0;
  const flush = (): void => {
    if (current < 0) return;
    const b = STEP_MUNICIPALITIES;
    sums[current] = (sums[current] ?? 0) + residents;
    sums[current + b] = (sums[current + b] ?? 0) + weight;
    sums[current + 2 * b] = (sums[current + 2 * b] ?? 0) + deaths;
    sums[current + 3 * b] = (sums[current + 3 * b] ?? 0) + movedOut;
    sums[current + 4 * b] = (sums[current + 4 * b] ?? 0) + movedIn;
    sums[current + 5 * b] = (sums[current + 5 * b] ?? 0) + births;
  };
  const addClinic = (clinic: number, w: number): void => {
    sums[clinicResidents + clinic] = (sums[clinicResidents + clinic] ?? 0) + 1;
    sums[clinicWeight + clinic] = (sums[clinicWeight + clinic] ?? 0) + w;
  };
  for (let i = 0; i < srcRows; i++) {
    const age = src.age[i] ?? GONE;
    if (age === GONE) {
      dst.age[i] = GONE;
      continue;
    }
    const m = src.muni[i] ?? 0;
    if (m !== current) {
      flush();
      current = m;
      residents = 0; weight = 0; deaths = 0; movedOut = 0; movedIn = 0; births = 0;
    }
    let code = src.code[i] ?? 0;
    const clinic = src.clinic[i] ?? 0;
    const counter = residentCounter(key, i);
    const u1 = triple32(counter);
    const cell = (code >> 10) * STEP_AGES + age;
    const demo = T_DEMO + (m * CELLS + cell) * 16;
    let event = 0;
    if (u1 < u32(demo + 12) || age >= MAX_AGE) {
      if (u1 < u32(demo) || age >= MAX_AGE) {
        deaths += 1;
        dst.age[i] = GONE;
        continue;
      }
      if (u1 < u32(demo + 4)) {
        movedOut += 1;
        dst.age[i] = GONE;
        continue;
      }
      event = u1 < u32(demo + 8) ? 1 : 2;
    }
    const u2 = triple32((counter ^ SECOND_DRAW) >>> 0);
    if (u2 < u32(T_ANY + cell * 4)) code = changeState(u32, cell, code, u2);
    const nextAge = age + 1;
    const w = weightOf(nextAge, code);
    dst.age[i] = nextAge;
    dst.code[i] = code;
    dst.muni[i] = m;
    dst.clinic[i] = clinic;
    residents += 1;
    weight += w;
    addClinic(clinic, w);
    if (event === 0) continue;
    if (rows >= dstCapacity) return STEP_STATUS_CAPACITY;
    let newAge = nextAge;
    let newCode = code;
    let nw = w;
    if (event === 1) {
      movedIn += 1;
    } else {
      births += 1;
      const sex = (u1 & 0xffff) < girlThreshold16 ? 1 : 0;
      newAge = 0;
      newCode = (sex << 10) | (code & (3 << 6)) | (code & 2);
      nw = weightOf(0, newCode);
    }
    dst.age[rows] = newAge;
    dst.code[rows] = newCode;
    dst.muni[rows] = m;
    dst.clinic[rows] = clinic;
    rows++;
    residents += 1;
    weight += nw;
    addClinic(clinic, nw);
  }
  flush();
  return rows;
}

function changeState(u32: (byte: number) => number, cell: number, code: number, u: number): number {
  const chronic = (code >> 3) & 7;
  const civil = (code >> 8) & 3;
  const t1 = u32(T_CHRONIC + (cell * 8 + chronic) * 4);
  if (u < t1) return code + (1 << 3);
  const t2 = t1 + u32(T_CIVIL_A + (cell * 4 + civil) * 4);
  if (u < t2) return (code & ~(3 << 8)) | ((civil === 1 ? 2 : 1) << 8);
  const t3 = t2 + u32(T_CIVIL_B + (cell * 4 + civil) * 4);
  if (u < t3) return (code & ~(3 << 8)) | (3 << 8);
  const t4 = t3 + u32(T_LABOUR + (cell * 2 + (code & 1)) * 4);
  if (u < t4) return code ^ 1;
  return code;
}
