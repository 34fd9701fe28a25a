import { BATCH_BYTES, BATCH_COLUMNS, BATCH_ROW_COUNT, STATUS_BYTES, STATUS_OK, STATUS_ROW, STATUS_STATUS } from "../abi.js";
import type { WeighKernel } from "../wasm.js";

/**
 * The two host-side steps of every kernel call, kept free of heavy imports because worker
 * threads load this module.
 */

/**
 * Rows per kernel call. V8 first runs a WASM function on its baseline tier and swaps in the
 * optimised code only at the next call, so one long call would run unoptimised throughout;
 * calls of this size reach the optimised tier after a few, and cost nothing to split.
 */
export const KERNEL_CALL_ROWS = 65_536;

/** Writes a batch descriptor: row count and each column's byte address in RESIDENT_COLUMNS order. */
export function writeBatchDescriptor(
  memory: WebAssembly.Memory,
  address: number,
  rowCount: number,
  columnAddresses: readonly number[],
): void {
  const words = new Uint32Array(memory.buffer, address, BATCH_BYTES / 4);
  words.fill(0);
  words[BATCH_ROW_COUNT / 4] = rowCount;
  columnAddresses.forEach((columnAddress, i) => {
    words[BATCH_COLUMNS / 4 + i] = columnAddress;
  });
}

export interface RangeOutcome {
  status: number;
  /** Batch row index of the first bad row when status ≠ STATUS_OK. */
  row: number;
}

/**
 * Weighs rows [rowBegin, rowEnd) of one batch in calls of KERNEL_CALL_ROWS rows; `weights` is
 * the address of row rowBegin's weight, or 0. The sums block must have been cleared by the caller.
 */
export function weighRange(
  kernel: WeighKernel,
  memory: WebAssembly.Memory,
  at: { tables: number; batch: number; sums: number; statusRecord: number; weights: number },
  rowBegin: number,
  rowEnd: number,
): RangeOutcome {
  for (let begin = rowBegin; begin < rowEnd; begin += KERNEL_CALL_ROWS) {
    const end = Math.min(rowEnd, begin + KERNEL_CALL_ROWS);
    const weights = at.weights === 0 ? 0 : at.weights + (begin - rowBegin) * 8;
    const status = kernel.weighRows(at.tables, at.batch, begin, end, at.sums, weights, at.statusRecord);
    if (status !== STATUS_OK) {
      const record = new Int32Array(memory.buffer, at.statusRecord, STATUS_BYTES / 4);
      return { status: record[STATUS_STATUS / 4] ?? status, row: record[STATUS_ROW / 4] ?? -1 };
    }
  }
  return { status: STATUS_OK, row: -1 };
}
