import type { WeightTable } from "../model/weightTable.js";
import type { ProjectionLayout } from "../kernel/step/slots.js";
import { sumsFromBlock, type BasePopulation } from "./basePopulation.js";
import type { ResidentSimulator, ResidentYearSums } from "./replication.js";
import { STREAM, streamKey } from "../kernel/rng.js";
import type { StepKernel } from "../kernel/step/kernel.js";
import { STEP_TABLE_BYTES, allocateStepColumns, copyGroups, sumsLength } from "../kernel/step/layout.js";
import { makeStepTableViews, stepYearReference } from "../kernel/step/reference.js";
import { encodeStepTables } from "./tables.js";

/** Girls among births as a threshold on 16 random bits. */
export const girlThreshold16 = (girlShare: number): number => Math.round(girlShare * 65536);

/** The key of the resident draws of one replication-year. */
export const residentKey = (seed: number, replication: number, year: number): number => streamKey(seed, replication, year, STREAM.residents);

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
    for (let year = 1; year <= years; year++) {
      const block = new Float64Array(sumsLength(base.clinicSlots));
      rows = stepYearReference(year === 1 ? base.columns : scratch, rows, scratch, capacity, views, block, base.clinicSlots,
        residentKey(seed, replication, year), girlThreshold16(p.num("births.girlShare")));
      if (rows < 0) throw new Error("scratch too small");
      out.push(sumsFromBlock(block, base.clinicSlots));
    }
    return out;
  };
}

/**
 * WASM residents in one slot of the shared memory: year 1 reads the base rows (copy-on-step).
 * The slot's muni and clinic columns already hold the base's (fillProjectionMemory).
 */
export function makeWasmSimulator(kernel: StepKernel, memory: WebAssembly.Memory, layout: ProjectionLayout, slot: number, weightTable: WeightTable, seed: number): ResidentSimulator {
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
    for (let year = 1; year <= years; year++) {
      const at = s.sums + (year - 1) * s.sumsBytesPerYear;
      rows = kernel.step(year === 1 ? layout.base : s.columns, rows, s.columns, s.tables, at, layout.clinicSlots,
        residentKey(seed, replication, year), girlThreshold16(p.num("births.girlShare")));
      out.push(sumsFromBlock(new Float64Array(memory.buffer, at, perYear), layout.clinicSlots));
    }
    return out;
  };
}

