import { STATUS_OK } from "../abi.js";
import { weighRange, writeBatchDescriptor } from "./calls.js";
import { kernelTask } from "../worker.js";
import type { BatchLayout, Segment } from "./shards.js";

/**
 * Worker entry for one weighing shard (compiled to dist/src/kernel/weigh/worker.js). The worker
 * owns the shard's sums block and control block: it resets the sums, writes each batch
 * descriptor into its control block and runs the kernel. A bad value is not a worker failure:
 * the status goes back to the host, which knows the file and picks the first shard that failed.
 */

export interface WeighTask {
  shard: number;
  tables: number;
  /** Control block: batch descriptor (BATCH_BYTES) then status record. */
  control: number;
  statusRecord: number;
  sums: number;
  /** Address of global row 0's weight, or 0. */
  weights: number;
  batches: BatchLayout[];
  segments: Segment[];
}

export interface WeighTaskResult {
  ok: true;
  shard: number;
  status: number;
  /** When status ≠ STATUS_OK: the batch and its row holding the first bad value. */
  batch: number;
  row: number;
  rows: number;
}

export default kernelTask((task: WeighTask, kernel, memory): WeighTaskResult => {
  kernel.resetShard(task.sums, task.statusRecord);
  let rows = 0;
  for (const segment of task.segments) {
    const batch = task.batches[segment.batch];
    if (batch === undefined) throw new RangeError(`segment names batch ${segment.batch}, the task has ${task.batches.length}`);
    writeBatchDescriptor(memory, task.control, batch.rows, batch.columns);
    const weights = task.weights === 0 ? 0 : task.weights + (batch.firstRow + segment.rowBegin) * 8;
    const at = { tables: task.tables, batch: task.control, sums: task.sums, statusRecord: task.statusRecord, weights };
    const outcome = weighRange(kernel, memory, at, segment.rowBegin, segment.rowEnd);
    if (outcome.status !== STATUS_OK) {
      return { ok: true, shard: task.shard, status: outcome.status, batch: segment.batch, row: outcome.row, rows };
    }
    rows += segment.rowEnd - segment.rowBegin;
  }
  return { ok: true, shard: task.shard, status: STATUS_OK, batch: -1, row: -1, rows };
});
