/**
 * The memory layout of the resident step (assembly/step.ts draws it): column codes and the
 * byte offsets of the rate tables. A test checks STEP_TABLE_BYTES against the WASM export.
 */

export const STEP_MUNICIPALITIES = 98;
export const STEP_AGES = 111;
export const CELLS = 2 * STEP_AGES;
export const MAX_AGE = 110;
/** Age code of a resident who died or moved out. */
export const GONE = 255;

export const T_DEMO = 0;
export const T_ANY = T_DEMO + STEP_MUNICIPALITIES * CELLS * 16;
export const T_CHRONIC = T_ANY + CELLS * 4;
export const T_CIVIL_A = T_CHRONIC + CELLS * 8 * 4;
export const T_CIVIL_B = T_CIVIL_A + CELLS * 4 * 4;
export const T_LABOUR = T_CIVIL_B + CELLS * 4 * 4;
export const T_BASE_W = T_LABOUR + CELLS * 2 * 4;
export const T_CONTRIB = T_BASE_W + CELLS * 8;
export const STEP_TABLE_BYTES = T_CONTRIB + 1024 * 8;

export const STEP_STATUS_CAPACITY = -1;

/** f64 sums per year: six municipality blocks, then residents and Σ weight per clinic slot. */
export const SUM_BLOCKS = ["residents", "weight", "deaths", "movedOut", "movedIn", "births"] as const;
export function sumsLength(clinicSlots: number): number {
  return SUM_BLOCKS.length * STEP_MUNICIPALITIES + 2 * clinicSlots;
}

/** Packs a resident's characteristics into the step's 11-bit code. */
export function packCode(
  sex: number,
  civilStatus: number,
  education: number,
  chronicDiseaseCount: number,
  psychiatric: number,
  menapt: number,
  outsideLabourMarket: number,
): number {
  return (sex << 10) | (civilStatus << 8) | (education << 6) | (chronicDiseaseCount << 3) | (psychiatric << 2) | (menapt << 1) | outsideLabourMarket;
}

export const codeSex = (code: number): number => (code >> 10) & 1;
export const codeCivil = (code: number): number => (code >> 8) & 3;
export const codeEducation = (code: number): number => (code >> 6) & 3;
export const codeChronic = (code: number): number => (code >> 3) & 7;
export const codePsychiatric = (code: number): number => (code >> 2) & 1;
export const codeMenapt = (code: number): number => (code >> 1) & 1;
export const codeLabour = (code: number): number => code & 1;

/** The step's resident columns over some memory (a WASM arena or plain arrays in tests). */
export interface StepColumns {
  age: Uint8Array;
  code: Uint16Array;
  muni: Uint8Array;
  clinic: Uint16Array;
}

export function allocateStepColumns(capacity: number): StepColumns {
  return { age: new Uint8Array(capacity), code: new Uint16Array(capacity), muni: new Uint8Array(capacity), clinic: new Uint16Array(capacity) };
}
