import { describe, expect, it } from "vitest";
import * as abi from "../../src/kernel/abi.js";
import { makeKernelMemory } from "../../src/kernel/memory.js";
import * as step from "../../src/kernel/step/layout.js";
import { instantiateKernel, loadKernelModule } from "../../src/kernel/wasm.js";

/** Every constant of the step kernel's ABI by its export name, with the host's mirror. */
const STEP_MIRROR: Record<string, number> = {
  STEP_MUNICIPALITIES: step.STEP_MUNICIPALITIES,
  STEP_AGES: step.STEP_AGES,
  STEP_CELLS: step.CELLS,
  STEP_MAX_AGE: step.MAX_AGE,
  STEP_GONE: step.GONE,
  T_DEMO: step.T_DEMO,
  T_CHANGE: step.T_CHANGE,
  T_BASE_W: step.T_BASE_W,
  T_CONTRIB: step.T_CONTRIB,
  T_VECTORS: step.T_VECTORS,
  T_NEXT_W: step.T_NEXT_W,
  T_QUEUE: step.T_QUEUE,
  T_CALL: step.T_CALL,
  STEP_CALL_BYTES: step.STEP_CALL_BYTES,
  STEP_VECTOR_COUNT: step.VECTOR_COUNT,
  STEP_QUEUE_GROUPS: step.QUEUE_GROUPS,
  STEP_TABLE_BYTES: step.STEP_TABLE_BYTES,
  STEP_WEIGHT_UNITS_PER_ONE: step.WEIGHT_UNITS_PER_ONE,
  STEP_THRESHOLD_BIAS: step.THRESHOLD_BIAS,
  STEP_SUM_BLOCKS: step.SUM_BLOCKS.length,
  STEP_STATUS_CAPACITY: step.STEP_STATUS_CAPACITY,
};

/** The weighing kernel's status codes (the other STATUS_ names are offsets in the status record). */
const STATUS_CODES = [
  "STATUS_OK",
  "STATUS_UNKNOWN_MUNICIPALITY",
  "STATUS_BAD_SEX",
  "STATUS_BAD_AGE",
  "STATUS_BAD_CIVIL_STATUS",
  "STATUS_BAD_EDUCATION",
  "STATUS_BAD_CHRONIC_DISEASE_COUNT",
  "STATUS_BAD_PSYCHIATRIC",
  "STATUS_BAD_MENAPT",
  "STATUS_BAD_OUTSIDE_LABOUR_MARKET",
  "STATUS_BAD_TABLES",
] as const;

describe("kernel ABI", () => {
  const exports = new WebAssembly.Instance(loadKernelModule(), { env: { memory: makeKernelMemory(65_536) } }).exports;

  it("has the ABI version the host expects", () => {
    expect((exports["abiVersion"] as WebAssembly.Global).value).toBe(abi.ABI_VERSION);
  });

  it("exports every layout constant with the value mirrored in src/kernel/abi.ts", () => {
    const globals = Object.entries(exports).filter(([name, value]) => value instanceof WebAssembly.Global && name !== "abiVersion");
    // Only constants this side mirrors are compared; other kernels in the module export their own.
    const mirrored = globals.filter(([name]) => name in abi);
    expect(mirrored.length).toBeGreaterThanOrEqual(25);
    for (const [name, global] of mirrored) {
      expect((global as WebAssembly.Global).value, name).toBe(abi[name as keyof typeof abi]);
    }
  });

  it("lays the sums block out as 32-byte slots for 128 municipalities, 32 councils and 65,536 clinics, then the run partials", () => {
    expect(abi.SUMS_PARTIALS).toBe((abi.SUMS_CLINIC_SLOT + abi.CLINIC_SLOTS) * abi.SLOT_BYTES);
    expect(abi.SUMS_BYTES).toBe(abi.SUMS_PARTIALS + abi.CLINIC_SLOTS * abi.PARTIAL_BYTES);
    expect(abi.SUMS_COUNCIL_SLOT).toBe(abi.MAX_MUNICIPALITIES);
    expect(abi.SUMS_CLINIC_SLOT - abi.SUMS_COUNCIL_SLOT).toBe(abi.MAX_COUNCILS);
    expect(abi.TABLES_BYTES).toBe(abi.TABLES_LUT + 2 ** 18 * 16);
  });

  it("mirrors all 11 status codes, each with its own value", () => {
    const values = STATUS_CODES.map((name) => (exports[name] as WebAssembly.Global | undefined)?.value);
    expect(values).toEqual(STATUS_CODES.map((name) => abi[name]));
    expect(new Set(values).size).toBe(11);
  });

  it("has a host mirror for every step constant the kernel exports, and no mirror without an export", () => {
    const exported = Object.entries(exports).filter(([name, value]) => value instanceof WebAssembly.Global && /^(STEP_|T_)/.test(name));
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(STEP_MIRROR).sort());
  });

  // WASM globals are i32: `| 0` reads the host's 0x80000000 as the kernel's −2^31.
  it.each(Object.entries(STEP_MIRROR))("exports the step's %s with the value in src/kernel/step/layout.ts", (name, value) => {
    expect((exports[name] as WebAssembly.Global).value).toBe(value | 0);
  });

  it("lays the step tables out back to back: DEMO, CHANGE, BASE_W, CONTRIB, then the kernel's scratch", () => {
    expect(step.T_CHANGE - step.T_DEMO).toBe(step.STEP_MUNICIPALITIES * step.CELLS * 16);
    expect(step.T_BASE_W - step.T_CHANGE).toBe(step.CELLS * 64 * 16);
    expect(step.T_CONTRIB - step.T_BASE_W).toBe(step.CELLS * 4);
    expect(step.T_VECTORS - step.T_CONTRIB).toBe(1024 * 4);
    expect(step.T_CALL).toBe(step.T_QUEUE + step.QUEUE_GROUPS * 8);
    expect(step.STEP_TABLE_BYTES).toBe(step.T_CALL + step.STEP_CALL_BYTES);
  });

  it("refuses a memory that is not shared", () => {
    const unshared = new WebAssembly.Memory({ initial: 1, maximum: 65_536 });
    expect(() => instantiateKernel(unshared)).toThrow();
  });
});
