import { join } from "node:path";
import type { FordelingError } from "../../errors.js";
import type { Geography } from "../../geo/geography.js";
import type { WeightTable } from "../../model/weightTable.js";
import { RESIDENT_COLUMNS, type ResidentColumns } from "../../population/schema.js";
import { DIST_DIR } from "../../paths.js";
import { BATCH_BYTES, CLINIC_SLOTS, STATUS_BYTES, STATUS_CLINIC_MIN, STATUS_OK, SUMS_BYTES, TABLES_BYTES } from "../abi.js";
import { kernelStatusError } from "./status.js";
import { prepareKernelTables } from "./tables.js";
import { instantiateKernel, type WeighKernel } from "../wasm.js";
import { SharedArena } from "../memory.js";
import type { KernelPool } from "../pool.js";
import { planShards, SHARD_COUNT, type BatchLayout } from "./shards.js";
import { weighSumsFromBlock } from "./sums.js";
import type { WeighSums } from "./types.js";
import type { WeighTask, WeighTaskResult } from "./worker.js";

/**
 * The steps of a sharded weighing pass over batches already in an arena, shared by
 * weighPopulationFile and the benchmarks:
 *
 *   capacity = weighArenaCapacity(dataBytes, weightRows)   // plan the arena before creating it
 *   plan     = planWeighing(arena, batches, rows, table, geography, { weights })
 *   failure  = await runWeighing(pool, plan)              // pool over arena.memory, WEIGH_WORKER_FILE
 *   sums     = reduceWeighing(plan, geography)            // shard order: bit-identical for any thread count
 */

export const WEIGH_WORKER_FILE = join(DIST_DIR, "kernel", "weigh", "worker.js");
const CONTROL_BYTES = BATCH_BYTES + STATUS_BYTES;

/** Arena bytes for data of `dataBytes` plus everything a pass needs (and `weightRows` weights). */
export function weighArenaCapacity(dataBytes: number, weightRows: number): number {
  return SharedArena.capacityFor([
    dataBytes,
    TABLES_BYTES,
    ...Array<number>(SHARD_COUNT).fill(CONTROL_BYTES),
    ...Array<number>(SHARD_COUNT + 1).fill(SUMS_BYTES),
    weightRows * 8,
  ]);
}

export interface WeighPlan {
  arena: SharedArena;
  kernel: WeighKernel;
  batches: BatchLayout[];
  totalRows: number;
  tasks: WeighTask[];
  result: number;
  /** Address of row 0's weight, or 0 when no weights are written. */
  weights: number;
}

/** Builds the tables (rejecting a bad table before any worker starts) and one task per shard. */
export function planWeighing(
  arena: SharedArena,
  batches: BatchLayout[],
  totalRows: number,
  table: WeightTable,
  geography: Geography,
  options: { weights?: boolean } = {},
): WeighPlan {
  const kernel = instantiateKernel(arena.memory);
  const tables = arena.reserve(TABLES_BYTES);
  prepareKernelTables(kernel, arena.memory, tables, table, geography);
  const controls = Array.from({ length: SHARD_COUNT }, () => arena.reserve(CONTROL_BYTES));
  const shardSums = Array.from({ length: SHARD_COUNT }, () => arena.reserve(SUMS_BYTES));
  const result = arena.reserve(SUMS_BYTES);
  const weights = options.weights === true ? arena.reserve(totalRows * 8) : 0;
  const tasks: WeighTask[] = planShards(batches, totalRows).map((segments, shard) => {
    const control = controls[shard] ?? 0;
    return { shard, tables, control, statusRecord: control + BATCH_BYTES, sums: shardSums[shard] ?? 0, weights, batches, segments };
  });
  return { arena, kernel, batches, totalRows, tasks, result, weights };
}

/** Each column's bytes, in RESIDENT_COLUMNS order. */
export function columnByteLengths(columns: ResidentColumns): number[] {
  return RESIDENT_COLUMNS.map((c) => columns[c.name].byteLength);
}

/** Copies in-memory columns into the arena (one `set` per column); their addresses in RESIDENT_COLUMNS order. */
export function copyColumnsIntoArena(arena: SharedArena, columns: ResidentColumns): number[] {
  return RESIDENT_COLUMNS.map((c) => {
    const source = columns[c.name];
    const address = arena.reserve(source.byteLength);
    arena.bytes.set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength), address);
    return address;
  });
}

/** In-memory columns copied into a fresh arena as one batch, then planned. */
export function planWeighingColumns(
  columns: ResidentColumns,
  table: WeightTable,
  geography: Geography,
  options: { weights?: boolean } = {},
): WeighPlan {
  const rows = columns.municipalityCode.length;
  const bytes = columnByteLengths(columns);
  const arena = new SharedArena(weighArenaCapacity(SharedArena.capacityFor(bytes), options.weights === true ? rows : 0));
  const addresses = copyColumnsIntoArena(arena, columns);
  return planWeighing(arena, [{ firstRow: 0, rows, columns: addresses }], rows, table, geography, options);
}

/**
 * Runs every shard; returns undefined when all rows are valid, else the first bad value in
 * shard order (the same whatever the thread count) as the error to throw.
 */
export async function runWeighing(
  pool: KernelPool,
  plan: WeighPlan,
  file: string,
  onProgress?: (doneRows: number, totalRows: number) => void,
): Promise<FordelingError | undefined> {
  let doneRows = 0;
  onProgress?.(0, plan.totalRows);
  const outcomes = await pool.runAll<WeighTask, WeighTaskResult>(plan.tasks, (_, outcome) => {
    doneRows += outcome.rows;
    if (outcome.status === STATUS_OK) onProgress?.(doneRows, plan.totalRows);
  });
  const failed = outcomes.find((o) => o.status !== STATUS_OK);
  return failed === undefined ? undefined : badValueError(plan, failed, file);
}

/** Adds the shards' sums in shard order and reads them out (only the clinic ids any shard saw). */
export function reduceWeighing(plan: WeighPlan, geography: Geography): WeighSums {
  plan.kernel.clearSums(plan.result);
  let low = CLINIC_SLOTS;
  let high = -1;
  for (const task of plan.tasks) {
    plan.kernel.addSums(plan.result, task.sums, task.statusRecord);
    const range = plan.arena.uint32(task.statusRecord + STATUS_CLINIC_MIN, 2);
    if (task.segments.length > 0 && (range[0] ?? 1) <= (range[1] ?? 0)) {
      low = Math.min(low, range[0] ?? low);
      high = Math.max(high, range[1] ?? high);
    }
  }
  return weighSumsFromBlock(plan.arena.memory, plan.result, geography, [low, high]);
}

function badValueError(plan: WeighPlan, failed: WeighTaskResult, file: string): FordelingError {
  const batch = plan.batches[failed.batch];
  const column = RESIDENT_COLUMNS[failed.status - 1];
  const address = batch?.columns[failed.status - 1];
  let value: number | undefined;
  if (column !== undefined && address !== undefined) {
    const view = new DataView(plan.arena.memory.buffer);
    value = column.arrowType === "Uint16" ? view.getUint16(address + failed.row * 2, true) : view.getUint8(address + failed.row);
  }
  return kernelStatusError(failed.status, { file, row: (batch?.firstRow ?? 0) + failed.row }, value);
}
