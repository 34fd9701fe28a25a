import type { Geography } from "../../geo/geography.js";
import type { WeightTable } from "../../model/weightTable.js";
import type { ResidentColumns } from "../../population/schema.js";
import { SharedArena } from "../memory.js";
import { weighSumsFromBlock } from "./sums.js";
import { BATCH_BYTES, STATUS_BYTES, STATUS_OK, SUMS_BYTES, TABLES_BYTES } from "../abi.js";
import { weighRange, writeBatchDescriptor } from "./calls.js";
import { columnByteLengths, copyColumnsIntoArena } from "./plan.js";
import type { KernelOutcome } from "./reference.js";
import { prepareKernelTables } from "./tables.js";
import { instantiateKernel, type WeighKernel } from "../wasm.js";

/** One population's columns copied into a fresh arena with everything a single-thread pass needs. */
export interface PlacedColumns {
  arena: SharedArena;
  kernel: WeighKernel;
  rows: number;
  tables: number;
  batch: number;
  sums: number;
  statusRecord: number;
  /** Address of the per-resident weight column, or 0 when not requested. */
  weights: number;
}

/**
 * Copies columns into a shared arena sized for one single-thread pass (the columns as in
 * planWeighingColumns, but one sums block, not one per shard) and prepares the tables.
 */
export function placeColumns(
  columns: ResidentColumns,
  table: WeightTable,
  geography: Geography,
  options: { weights?: boolean } = {},
): PlacedColumns {
  const rows = columns.municipalityCode.length;
  const weightBytes = options.weights === true ? rows * 8 : 0;
  const arena = new SharedArena(
    SharedArena.capacityFor([TABLES_BYTES, BATCH_BYTES, STATUS_BYTES, SUMS_BYTES, weightBytes, ...columnByteLengths(columns)]),
  );
  const kernel = instantiateKernel(arena.memory);
  const tables = arena.reserve(TABLES_BYTES);
  prepareKernelTables(kernel, arena.memory, tables, table, geography);
  const batch = arena.reserve(BATCH_BYTES);
  const statusRecord = arena.reserve(STATUS_BYTES);
  const sums = arena.reserve(SUMS_BYTES);
  const weights = weightBytes > 0 ? arena.reserve(weightBytes) : 0;
  writeBatchDescriptor(arena.memory, batch, rows, copyColumnsIntoArena(arena, columns));
  return { arena, kernel, rows, tables, batch, sums, statusRecord, weights };
}

/** A whole single-thread pass over placed columns: clear, weigh, read the sums. */
export function weighPlaced(placed: PlacedColumns, geography: Geography): KernelOutcome {
  placed.kernel.clearSums(placed.sums);
  const outcome = weighRange(placed.kernel, placed.arena.memory, placed, 0, placed.rows);
  if (outcome.status !== STATUS_OK) return { ok: false, status: outcome.status, row: outcome.row };
  return { ok: true, sums: weighSumsFromBlock(placed.arena.memory, placed.sums, geography) };
}
