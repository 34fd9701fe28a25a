import { describe, expect, it } from "vitest";
import * as abi from "../../src/kernel/abi.js";
import { makeKernelMemory } from "../../src/kernel/memory.js";
import { instantiateKernel, loadKernelModule } from "../../src/kernel/wasm.js";

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

  it("refuses a memory that is not shared", () => {
    const unshared = new WebAssembly.Memory({ initial: 1, maximum: 65_536 });
    expect(() => instantiateKernel(unshared)).toThrow();
  });
});
