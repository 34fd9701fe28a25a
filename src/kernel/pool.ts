import { existsSync } from "node:fs";
import { Piscina } from "piscina";
import { FordelingError, errorFromWire, type WireError } from "../errors.js";

/**
 * A Piscina pool bound to one shared kernel memory, for any per-resident kernel.
 *
 *   const pool = makeKernelPool({ filename: join(DIST_DIR, "kernel/weigh/worker.js"), memory, threads: 2 });
 *   try {
 *     const results = await pool.runAll(tasks, (index, result) => progress(index));
 *   } finally {
 *     await pool.close();
 *   }
 *
 * Workers receive the memory once, through workerData, and write into blocks the host
 * reserved for each task; tasks and results are small plain objects. The worker module wraps
 * its handler with `kernelTask` (src/kernel/worker.ts), so it answers `{ ok: true, ... }`
 * or a WireError, never throws across the boundary. `runAll` waits for every task (none is
 * left running behind an error), returns results in task order and, when tasks failed,
 * rejects with the failure of the lowest task index: the same error whatever the thread count.
 */

export interface KernelPoolOptions {
  /** Compiled worker module (workers always load JS from dist: use DIST_DIR). */
  filename: string;
  memory: WebAssembly.Memory;
  threads: number;
  /** Extra data for every worker, next to `memory`. */
  workerData?: Record<string, unknown>;
  /** A task running longer is aborted (its worker terminated) and fails with FD_ERR_WORKER. */
  taskTimeoutMs?: number;
}

export interface TaskOk {
  ok: true;
}

export interface KernelPool {
  readonly threads: number;
  runAll<T, R extends TaskOk>(tasks: readonly T[], onDone?: (index: number, result: R) => void): Promise<R[]>;
  close(): Promise<void>;
}

export const DEFAULT_TASK_TIMEOUT_MS = 120_000;

let openPools = 0;
/** Pools created and not yet closed, in this thread: lets tests prove the pool shuts down. */
export function openKernelPoolCount(): number {
  return openPools;
}

function isWireError(value: unknown): value is WireError {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false;
}

function workerFailure(index: number, reason: unknown, timeoutMs: number): FordelingError {
  const error = reason as Error;
  if (error?.name === "AbortError") {
    return new FordelingError(
      "FD_ERR_WORKER",
      `task ${index} did not finish within ${timeoutMs} ms; its worker was stopped`,
      {},
      { cause: reason },
    );
  }
  return new FordelingError(
    "FD_ERR_WORKER",
    `task ${index} failed in its worker: ${error?.message ?? String(reason)}`,
    {},
    { cause: reason },
  );
}

export function makeKernelPool(options: KernelPoolOptions): KernelPool {
  if (!Number.isInteger(options.threads) || options.threads < 1) {
    throw new FordelingError("FD_ERR_ARGUMENT", `threads must be a whole number ≥ 1, got ${options.threads}`, { field: "threads" });
  }
  if (!existsSync(options.filename)) {
    throw new FordelingError("FD_ERR_WORKER", "the worker module is missing; run `npm run build` (workers run compiled code from dist)", {
      file: options.filename,
    });
  }
  const timeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const piscina = new Piscina({
    filename: options.filename,
    minThreads: options.threads,
    maxThreads: options.threads,
    // Workers idle between tasks only within one run; the pool is closed after it.
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { ...options.workerData, memory: options.memory },
  });
  openPools++;
  let closed = false;

  return {
    threads: options.threads,

    async runAll<T, R extends TaskOk>(tasks: readonly T[], onDone?: (index: number, result: R) => void): Promise<R[]> {
      if (closed) throw new FordelingError("FD_ERR_WORKER", "the kernel pool is closed");
      const settled = await Promise.allSettled(
        tasks.map(async (task, index) => {
          const result = (await piscina.run(task, { signal: AbortSignal.timeout(timeoutMs) })) as R | WireError;
          if (!isWireError(result)) onDone?.(index, result);
          return result;
        }),
      );
      const results: R[] = [];
      for (const [index, outcome] of settled.entries()) {
        if (outcome.status === "rejected") throw workerFailure(index, outcome.reason, timeoutMs);
        if (isWireError(outcome.value)) throw errorFromWire(outcome.value);
        results.push(outcome.value);
      }
      return results;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      openPools--;
      await piscina.destroy();
    },
  };
}
