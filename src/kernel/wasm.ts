import { readFileSync } from "node:fs";
import { FordelingError } from "../errors.js";
import { WASM_PATH } from "../paths.js";
import { ABI_VERSION } from "./abi.js";

/**
 * Loading the kernel module (build/fordeling.wasm). The module imports one shared memory
 * (`env.memory`), so every thread instantiates the same module over the same bytes; the module
 * keeps no mutable state of its own, so instances are interchangeable.
 */

/** The weighting kernel's exports (docs/ABI.md). Other kernels in the module add their own. */
export interface WeighKernel {
  abiVersion: WebAssembly.Global;
  /** Builds the LUT inside the tables block; STATUS_OK or STATUS_BAD_TABLES. */
  prepareTables(tables: number): number;
  /** Weighs rows [rowBegin, rowEnd) of one batch into a sums block; returns a status. */
  weighRows(tables: number, batch: number, rowBegin: number, rowEnd: number, sums: number, weights: number, statusRecord: number): number;
  /** Zeroes a whole sums block. */
  clearSums(sums: number): void;
  /** Readies a shard's sums block and status record: zeroes what the last pass dirtied. */
  resetShard(sums: number, statusRecord: number): void;
  /** target += source over the area slots and the source shard's dirty clinic range. */
  addSums(target: number, source: number, sourceStatusRecord: number): void;
  /** The memory floor: a checksum over the same columns, as cheap as a pass can be. */
  floorPass(batch: number, rowBegin: number, rowEnd: number): number;
}

let cachedModule: WebAssembly.Module | undefined;

/** Compiles the module once per thread (synchronously: it is a few kilobytes). */
export function loadKernelModule(wasmPath: string = WASM_PATH): WebAssembly.Module {
  if (cachedModule !== undefined && wasmPath === WASM_PATH) return cachedModule;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(wasmPath));
  } catch (cause) {
    throw new FordelingError("FD_ERR_KERNEL", "the kernel module is missing; run `npm run build`", { file: wasmPath }, { cause });
  }
  const module = new WebAssembly.Module(bytes);
  if (wasmPath === WASM_PATH) cachedModule = module;
  return module;
}

/**
 * Instantiates the kernel over a shared memory (see makeKernelMemory in src/kernel/memory.ts).
 * Checks the ABI version so a stale build fails loudly instead of misreading memory.
 */
export function instantiateKernel<T extends object = WeighKernel>(
  memory: WebAssembly.Memory,
  module = loadKernelModule(),
): T & WeighKernel {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernel = instance.exports as unknown as T & WeighKernel;
  const version = kernel.abiVersion.value as number;
  if (version !== ABI_VERSION) {
    throw new FordelingError(
      "FD_ERR_KERNEL",
      `the kernel module has ABI version ${version}, the host expects ${ABI_VERSION}; run \`npm run build\``,
      { file: WASM_PATH },
    );
  }
  return kernel;
}
