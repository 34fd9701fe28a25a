import { FordelingError } from "../../errors.js";
import { instantiateKernel } from "../wasm.js";
import type { ColumnsLayout } from "./slots.js";
import { STEP_STATUS_CAPACITY, STEP_TABLE_BYTES } from "./layout.js";

/** The step kernel's exports (assembly/step.ts). */
export interface StepExports {
  stepYear(
    srcAge: number,
    srcCode: number,
    dstAge: number,
    dstCode: number,
    muni: number,
    clinic: number,
    srcRows: number,
    dstCapacity: number,
    tables: number,
    sums: number,
    clinicSlots: number,
    key: number,
    girlThreshold16: number,
  ): number;
  stepTableBytes(): number;
}

export interface StepKernel {
  /**
   * Steps `rows` rows: age and code from `src` into `dst`, muni and clinic as `dst` holds them
   * (copyGroups); returns the new row count.
   */
  step(
    src: ColumnsLayout,
    rows: number,
    dst: ColumnsLayout,
    tables: number,
    sums: number,
    clinicSlots: number,
    key: number,
    girlThreshold16: number,
  ): number;
}

export function instantiateStepKernel(memory: WebAssembly.Memory): StepKernel {
  return stepKernelOf(instantiateKernel<StepExports>(memory));
}

/** Wraps the exports of an instance (e.g. the one a pool worker already holds). */
export function stepKernelOf(exports: StepExports): StepKernel {
  if (exports.stepTableBytes() !== STEP_TABLE_BYTES) {
    throw new FordelingError(
      "FD_ERR_KERNEL",
      `the step kernel's table layout (${exports.stepTableBytes()} bytes) differs from the host's (${STEP_TABLE_BYTES}); run \`npm run build\``,
    );
  }
  return {
    step(src, rows, dst, tables, sums, clinicSlots, key, girlThreshold16) {
      const result = exports.stepYear(
        src.age,
        src.code,
        dst.age,
        dst.code,
        dst.muni,
        dst.clinic,
        rows,
        dst.rows,
        tables,
        sums,
        clinicSlots,
        key | 0,
        girlThreshold16,
      );
      if (result === STEP_STATUS_CAPACITY) {
        throw new FordelingError(
          "FD_ERR_KERNEL",
          `the step's scratch of ${dst.rows} rows is too small for the births and in-movers of the year`,
        );
      }
      return result;
    },
  };
}
