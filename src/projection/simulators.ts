import type { WeightTable } from "../model/weightTable.js";
import { columnsView, type ProjectionLayout } from "../kernel/step/slots.js";
import { sumsFromBlock, type BasePopulation } from "./basePopulation.js";
import { compactRows, shouldCompact } from "../kernel/step/compact.js";
import type { ResidentSimulator, ResidentYearSums } from "./replication.js";
import { STREAM, streamKey } from "../kernel/rng.js";
import type { StepKernel } from "../kernel/step/kernel.js";
import { STEP_TABLE_BYTES, allocateStepColumns, copyGroups, sumsLength, type StepColumns } from "../kernel/step/layout.js";
import { makeStepTableViews, stepYearReference } from "../kernel/step/reference.js";
import { encodeStepTables } from "./tables.js";

/** Girls among births as a threshold on 16 random bits. */
export const girlThreshold16 = (girlShare: number): number => Math.round(girlShare * 65536);

/** The key of the resident draws of one replication-year. */
export const residentKey = (seed: number, replication: number, year: number): number =>
  streamKey(seed, replication, year, STREAM.residents);

/** Plain-TS residents (the oracle, and the fallback without workers). */
export function makeReferenceSimulator(base: BasePopulation, weightTable: WeightTable, seed: number, capacity: number): ResidentSimulator {
  const scratch = allocateStepColumns(capacity);
  // Rows keep their municipality and clinic: the scratch takes the base's once.
  copyGroups(base.columns, scratch, base.rows);
  const views = makeStepTableViews(new ArrayBuffer(STEP_TABLE_BYTES));
  return (rates, p, replication, years) => {
    encodeStepTables(rates, weightTable, views);
    const out: ResidentYearSums[] = [];
    let rows = base.rows;
    let compacted = false;
    for (let year = 1; year <= years; year++) {
      const block = new Float64Array(sumsLength(base.clinicSlots));
      rows = stepYearReference(
        year === 1 ? base.columns : scratch,
        rows,
        scratch,
        capacity,
        views,
        block,
        base.clinicSlots,
        residentKey(seed, replication, year),
        girlThreshold16(p.num("births.girlShare")),
      );
      if (rows < 0) throw new Error("scratch too small");
      out.push(sumsFromBlock(block, base.clinicSlots));
      if (year < years) rows = reclaim(scratch, rows, capacity, out[out.length - 1]!, () => (compacted = true));
    }
    if (compacted) restoreBaseGroups(base.columns, scratch, base.rows);
    return out;
  };
}

/**
 * WASM residents in one slot of the shared memory: year 1 reads the base rows (copy-on-step).
 * The slot's muni and clinic columns already hold the base's (fillProjectionMemory).
 */
export function makeWasmSimulator(
  kernel: StepKernel,
  memory: WebAssembly.Memory,
  layout: ProjectionLayout,
  slot: number,
  weightTable: WeightTable,
  seed: number,
): ResidentSimulator {
  const s = layout.slots[slot];
  if (s === undefined) throw new RangeError(`no slot ${slot}`);
  const views = makeStepTableViews(memory.buffer, s.tables);
  const perYear = sumsLength(layout.clinicSlots);
  return (rates, p, replication, years) => {
    encodeStepTables(rates, weightTable, views);
    const sums = new Float64Array(memory.buffer, s.sums, (s.sumsBytesPerYear / 8) * (years + 1));
    sums.fill(0);
    const out: ResidentYearSums[] = [];
    let rows = layout.base.rows;
    let compacted = false;
    const slotView = columnsView(memory.buffer, s.columns);
    for (let year = 1; year <= years; year++) {
      const at = s.sums + (year - 1) * s.sumsBytesPerYear;
      rows = kernel.step(
        year === 1 ? layout.base : s.columns,
        rows,
        s.columns,
        s.tables,
        at,
        layout.clinicSlots,
        residentKey(seed, replication, year),
        girlThreshold16(p.num("births.girlShare")),
      );
      out.push(sumsFromBlock(new Float64Array(memory.buffer, at, perYear), layout.clinicSlots));
      if (year < years) rows = reclaim(slotView, rows, layout.capacity, out[out.length - 1]!, () => (compacted = true));
    }
    if (compacted) restoreBaseGroups(columnsView(memory.buffer, layout.base), slotView, layout.base.rows);
    return out;
  };
}

const total = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);

/** Compacts the scratch between two years when shouldCompact says so; fails clearly if even that leaves no room. */
function reclaim(columns: StepColumns, rows: number, capacity: number, sums: ResidentYearSums, onCompact: () => void): number {
  const live = total(sums.residents);
  const appended = total(sums.births) + total(sums.movedIn);
  if (!shouldCompact(rows, live, appended, capacity)) return rows;
  onCompact();
  // Whether the next year fits is the step's to say (it stops with FD_ERR_KERNEL when it would not):
  // the bound above is deliberately loose, so a short horizon's tighter scratch is not refused here.
  return compactRows(columns, rows);
}

/** After a compaction the scratch's first rows no longer hold the base rows' muni and clinic, which the next year 1 expects. */
function restoreBaseGroups(base: StepColumns, scratch: StepColumns, rows: number): void {
  scratch.muni.set(base.muni.subarray(0, rows));
  scratch.clinic.set(base.clinic.subarray(0, rows));
}
