/**
 * The memory layout of the resident step (assembly/step.ts draws it, docs/ABI.md "The resident
 * step" documents it): column codes and the byte offsets of the rate tables. Every constant the
 * kernel exports is compared with its mirror here by test/kernel/abi.test.ts.
 */

export const STEP_MUNICIPALITIES = 98;
export const STEP_AGES = 111;
export const CELLS = 2 * STEP_AGES;
export const MAX_AGE = 110;
/** Age code of a resident who died or moved out. */
export const GONE = 255;

export const T_DEMO = 0;
export const T_CHANGE = T_DEMO + STEP_MUNICIPALITIES * CELLS * 16;
export const T_BASE_W = T_CHANGE + CELLS * 64 * 16;
export const T_CONTRIB = T_BASE_W + CELLS * 4;
/**
 * The kernel's own scratch, written by it on every call (assembly/step.ts says why): its SIMD
 * constants (VECTOR_COUNT vectors, assembly/stepVectors.ts), the base weights at the next age at
 * DEMO's 16-byte stride, the queue of four-row groups that append rows (QUEUE_GROUPS × u64) and
 * the call record.
 */
export const VECTOR_COUNT = 19;
export const QUEUE_GROUPS = 1024;
export const T_VECTORS = T_CONTRIB + 1024 * 4;
export const T_NEXT_W = T_VECTORS + VECTOR_COUNT * 16;
export const T_QUEUE = T_NEXT_W + CELLS * 16;
/** The kernel's call record (StepCall in assembly/step.ts): the arguments every row of a call shares. */
export const T_CALL = T_QUEUE + QUEUE_GROUPS * 8;
export const STEP_CALL_BYTES = 64;
export const STEP_TABLE_BYTES = T_CALL + STEP_CALL_BYTES;

/**
 * Weights in the step are fixed point: whole units of 2^-26. Sums of units are exact integers
 * (below 2^53), so they do not depend on the order of additions (the kernel adds four rows at a
 * time). A table entry must stay below WEIGHT_LIMIT in magnitude so a weight fits an i32.
 */
export const WEIGHT_UNITS_PER_ONE = 2 ** 26;
export const WEIGHT_LIMIT = 16;
/**
 * DEMO and CHANGE store each 32-bit threshold t as t ^ THRESHOLD_BIAS, so the kernel compares
 * flipped draws as signed integers (one x64 instruction in SIMD; unsigned takes four).
 */
export const THRESHOLD_BIAS = 0x80000000;

export const STEP_STATUS_CAPACITY = -1;

/** f64 sums per year: six municipality blocks, then residents and Σ weight per clinic slot. */
export const SUM_BLOCKS = ["residents", "weight", "deaths", "movedOut", "movedIn", "births"] as const;
export function sumsLength(clinicSlots: number): number {
  return SUM_BLOCKS.length * STEP_MUNICIPALITIES + 2 * clinicSlots;
}

/**
 * Residents under 30 are classed by their parents' education; the step switches the class in
 * force (bits 7-6) to the resident's own (bits 12-11) as the resident turns 30.
 */
export const EDUCATION_OWN_FROM_AGE = 30;

/**
 * Packs a resident's characteristics into the step's 13-bit code: the 11 bits the tables read
 * (`education` is the class in force) and the own education class above them.
 */
export function packCode(
  sex: number,
  civilStatus: number,
  education: number,
  chronicDiseaseCount: number,
  psychiatric: number,
  menapt: number,
  outsideLabourMarket: number,
  ownEducation: number = education,
): number {
  const flags = (psychiatric << 2) | (menapt << 1) | outsideLabourMarket;
  return (ownEducation << 11) | (sex << 10) | (civilStatus << 8) | (education << 6) | (chronicDiseaseCount << 3) | flags;
}

/** The code as the resident turns 30: the own education class becomes the class in force. */
export const switchToOwnEducation = (code: number): number => (code & ~(3 << 6)) | ((code >> 5) & (3 << 6));

/** A code's state in the CHANGE table: chronic count << 3 | civil << 1 | labour flag (64 states). */
export const changeStateOf = (code: number): number => (code & 0x38) | ((code >> 7) & 6) | (code & 1);

export const codeSex = (code: number): number => (code >> 10) & 1;
export const codeCivil = (code: number): number => (code >> 8) & 3;
export const codeEducation = (code: number): number => (code >> 6) & 3;
export const codeOwnEducation = (code: number): number => (code >> 11) & 3;
export const codeChronic = (code: number): number => (code >> 3) & 7;
export const codePsychiatric = (code: number): number => (code >> 2) & 1;
export const codeMenapt = (code: number): number => (code >> 1) & 1;
export const codeLabour = (code: number): number => code & 1;

/**
 * The step's resident columns over some memory (a WASM arena or plain arrays in tests). A row's
 * muni and clinic never change: a step reads age and code from its source and writes them to its
 * destination, whose muni and clinic must already hold the source rows (see copyGroups).
 */
export interface StepColumns {
  age: Uint8Array;
  code: Uint16Array;
  muni: Uint8Array;
  clinic: Uint16Array;
}

export function allocateStepColumns(capacity: number): StepColumns {
  return {
    age: new Uint8Array(capacity),
    code: new Uint16Array(capacity),
    muni: new Uint8Array(capacity),
    clinic: new Uint16Array(capacity),
  };
}

/** Copies rows 0…rows−1 of muni and clinic, which a step takes as they stand in its destination. */
export function copyGroups(from: StepColumns, to: StepColumns, rows: number): void {
  if (from.muni === to.muni) return;
  to.muni.set(from.muni.subarray(0, rows));
  to.clinic.set(from.clinic.subarray(0, rows));
}
