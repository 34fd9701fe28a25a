import { FordelingError } from "../../errors.js";
import { ARENA_RESERVED_BYTES, ArenaPlan, MAX_ARENA_PAGES, WASM_PAGE_BYTES, alignUp, makeKernelMemory } from "../memory.js";
import { STEP_TABLE_BYTES, copyGroups, sumsLength, type StepColumns } from "./layout.js";

/**
 * The projection's shared WebAssembly.Memory, sized once up front (growing it would invalidate
 * every view and slow JS loops, see src/kernel/memory.ts):
 *
 *   0 ─ RESERVED             the module's own static data (none today; kept free)
 *   base columns  N rows     age u8 │ code u16 │ muni u8 │ clinic u16   (read-only, shared by all)
 *   slot 0 … slot S−1        each: columns of `capacity` rows │ step tables │ sums per year
 *
 * A slot is one worker's scratch for one replication at a time; the host hands slots to tasks,
 * so two tasks never share one. Every block starts on a 16-byte boundary. A row's municipality
 * and clinic never change, so every slot's muni and clinic columns take the base's once, when the
 * memory is filled; a replication then writes only age and code, and the rows it appends.
 */
/** One Int32 per slot (0 free, 1 taken) at the top of the reserved block. */
export const SLOT_FLAGS_BYTE = ARENA_RESERVED_BYTES - 256;
export const MAX_SLOTS = 64;
const ALIGN_BYTES = 16;

export interface ColumnsLayout {
  age: number;
  code: number;
  muni: number;
  clinic: number;
  rows: number;
  bytes: number;
}

export interface SlotLayout {
  columns: ColumnsLayout;
  tables: number;
  /** Sums of year y start at sums + y × sumsBytesPerYear. */
  sums: number;
  sumsBytesPerYear: number;
}

export interface ProjectionLayout {
  base: ColumnsLayout;
  slots: SlotLayout[];
  clinicSlots: number;
  years: number;
  capacity: number;
  totalBytes: number;
  pages: number;
}

function columnsAt(plan: ArenaPlan, rows: number): ColumnsLayout {
  const age = plan.reserve(rows, ALIGN_BYTES);
  const code = plan.reserve(2 * rows, ALIGN_BYTES);
  const muni = plan.reserve(rows, ALIGN_BYTES);
  const clinic = plan.reserve(2 * rows, ALIGN_BYTES);
  const end = alignUp(plan.usedBytes, ALIGN_BYTES);
  return { age, code, muni, clinic, rows, bytes: end - age };
}

/**
 * Rows of a slot for a horizon of `years`. Short horizons keep every row: room for the base plus
 * every birth and in-mover (≈ 6 % a year, with a margin). Long ones reclaim the rows of residents
 * who died or moved out between years (src/kernel/step/compact.ts), so they need room only for the
 * live residents at the horizon (growth of at most 1.2 % a year: twice the observed 2025 change, as
 * the largest migration.netFactor draws) plus one year's appends with the compaction's margin
 * (1.25 × 5.6 % + 0.5 %, within the 20 % allowed).
 */
export function slotCapacity(baseRows: number, years: number): number {
  const keepingEveryRow = 1.02 + 0.06 * years;
  const reclaiming = (1 + 0.012 * years) * 1.2;
  return Math.ceil(baseRows * Math.min(keepingEveryRow, reclaiming)) + 1024;
}

export function planProjectionMemory(baseRows: number, years: number, slots: number, clinicSlots: number): ProjectionLayout {
  if (!(slots >= 1 && slots <= MAX_SLOTS))
    throw new FordelingError("FD_ERR_ARGUMENT", `threads must be 1…${MAX_SLOTS}, got ${slots}`, { field: "threads" });
  const plan = new ArenaPlan();
  const base = columnsAt(plan, baseRows);
  const capacity = slotCapacity(baseRows, years);
  const sumsBytesPerYear = alignUp(sumsLength(clinicSlots) * 8, ALIGN_BYTES);
  const list: SlotLayout[] = [];
  for (let s = 0; s < slots; s++) {
    const columns = columnsAt(plan, capacity);
    const tables = plan.reserve(STEP_TABLE_BYTES, ALIGN_BYTES);
    const sums = plan.reserve(sumsBytesPerYear * (years + 1), ALIGN_BYTES);
    list.push({ columns, tables, sums, sumsBytesPerYear });
  }
  const offset = plan.usedBytes;
  const pages = Math.ceil(offset / WASM_PAGE_BYTES);
  if (pages > MAX_ARENA_PAGES) {
    throw new FordelingError(
      "FD_ERR_ARGUMENT",
      `the projection needs ${(offset / 2 ** 30).toFixed(1)} GiB of memory, more than the 4 GiB a WASM memory allows: use fewer threads or a smaller population`,
    );
  }
  return { base, slots: list, clinicSlots, years, capacity, totalBytes: offset, pages };
}

export function makeProjectionMemory(layout: ProjectionLayout): WebAssembly.Memory {
  return makeKernelMemory(layout.pages * WASM_PAGE_BYTES, layout.pages);
}

export function columnsView(buffer: ArrayBufferLike, c: ColumnsLayout): StepColumns {
  return {
    age: new Uint8Array(buffer, c.age, c.rows),
    code: new Uint16Array(buffer, c.code, c.rows),
    muni: new Uint8Array(buffer, c.muni, c.rows),
    clinic: new Uint16Array(buffer, c.clinic, c.rows),
  };
}

/** Writes the base population and gives every slot the base rows' muni and clinic (see above). */
export function fillProjectionMemory(memory: WebAssembly.Memory, layout: ProjectionLayout, base: StepColumns): void {
  const view = columnsView(memory.buffer, layout.base);
  const rows = layout.base.rows;
  view.age.set(base.age.subarray(0, rows));
  view.code.set(base.code.subarray(0, rows));
  view.muni.set(base.muni.subarray(0, rows));
  view.clinic.set(base.clinic.subarray(0, rows));
  for (const slot of layout.slots) copyGroups(view, columnsView(memory.buffer, slot.columns), rows);
}
