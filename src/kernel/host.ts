import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";
import { RESIDENT_COLUMNS, type ResidentColumns } from "../population/schema.js";
import { SharedArena } from "../engine/arena.js";
import { weighSumsFromBlock } from "../engine/sums.js";
import { BATCH_BYTES, STATUS_BYTES, STATUS_OK, SUMS_BYTES, TABLES_BYTES } from "./abi.js";
import { weighRange, writeBatchDescriptor } from "./calls.js";
import type { KernelOutcome } from "./reference.js";
import { prepareKernelTables } from "./tables.js";
import { instantiateKernel, type WeighKernel } from "./wasm.js";

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

/** Copies columns into a shared arena (one `set` per column) and prepares the tables. */
export function placeColumns(columns: ResidentColumns, table: WeightTable, geography: Geography, options: { weights?: boolean } = {}): PlacedColumns {
  const rows = columns.municipalityCode.length;
  const columnBytes = RESIDENT_COLUMNS.map((c) => rows * (c.arrowType === "Uint16" ? 2 : 1));
  const weightBytes = options.weights === true ? rows * 8 : 0;
  const arena = new SharedArena(
    SharedArena.capacityFor([TABLES_BYTES, BATCH_BYTES, STATUS_BYTES, SUMS_BYTES, weightBytes, ...columnBytes]),
  );
  const kernel = instantiateKernel(arena.memory);
  const tables = arena.reserve(TABLES_BYTES);
  prepareKernelTables(kernel, arena.memory, tables, table, geography);
  const batch = arena.reserve(BATCH_BYTES);
  const statusRecord = arena.reserve(STATUS_BYTES);
  const sums = arena.reserve(SUMS_BYTES);
  const weights = weightBytes > 0 ? arena.reserve(weightBytes) : 0;
  const addresses = RESIDENT_COLUMNS.map((spec, i) => {
    const address = arena.reserve(columnBytes[i] ?? 0);
    const source = columns[spec.name];
    arena.bytes.set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength), address);
    return address;
  });
  writeBatchDescriptor(arena.memory, batch, rows, addresses);
  return { arena, kernel, rows, tables, batch, sums, statusRecord, weights };
}

/** A whole single-thread pass over placed columns: clear, weigh, read the sums. */
export function weighPlaced(placed: PlacedColumns, geography: Geography): KernelOutcome {
  placed.kernel.clearSums(placed.sums);
  const outcome = weighRange(placed.kernel, placed.arena.memory, placed, 0, placed.rows);
  if (outcome.status !== STATUS_OK) return { ok: false, status: outcome.status, row: outcome.row };
  return { ok: true, sums: weighSumsFromBlock(placed.arena.memory, placed.sums, geography) };
}
