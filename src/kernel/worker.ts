import { workerData } from "node:worker_threads";
import { FordelingError } from "../errors.js";
import type { WireError } from "../errors.js";
import { instantiateKernel, type WeighKernel } from "./wasm.js";

/**
 * The worker side of makeKernelPool: one kernel instance per worker over the pool's shared
 * memory (instantiated on the first task), and a wrapper that turns every failure into a
 * WireError, since error classes do not survive the thread boundary.
 *
 *   export default kernelTask((task: MyTask, kernel, memory) => { ...; return { ok: true, ... }; });
 */

let instance: { kernel: WeighKernel; memory: WebAssembly.Memory } | undefined;

function workerKernel(): { kernel: WeighKernel; memory: WebAssembly.Memory } {
  if (instance === undefined) {
    const memory = (workerData as { memory?: unknown } | null)?.memory;
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new FordelingError("FD_ERR_WORKER", "the worker was started without a shared kernel memory");
    }
    instance = { kernel: instantiateKernel(memory), memory };
  }
  return instance;
}

export function kernelTask<T, R extends { ok: true }, K extends object = WeighKernel>(
  handle: (task: T, kernel: K & WeighKernel, memory: WebAssembly.Memory) => R,
): (task: T) => R | WireError {
  return (task: T) => {
    try {
      const { kernel, memory } = workerKernel();
      return handle(task, kernel as K & WeighKernel, memory);
    } catch (error) {
      if (error instanceof FordelingError) return error.toWire();
      // A trap (out-of-bounds address) or any other fault: report, do not crash the worker.
      return new FordelingError("FD_ERR_KERNEL", `the kernel failed: ${(error as Error).message ?? String(error)}`).toWire();
    }
  };
}
