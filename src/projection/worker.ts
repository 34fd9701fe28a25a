import { workerData } from "node:worker_threads";
import { FordelingError } from "../errors.js";
import { kernelTask } from "../kernel/worker.js";
import type { ProjectionLayout } from "../kernel/step/slots.js";
import { projectReplication, type ProjectionContext, type ReplicationResult } from "./replication.js";
import { makeWasmSimulator } from "./simulators.js";
import { stepKernelOf, type StepExports } from "../kernel/step/kernel.js";

/**
 * Pool worker: runs whole replications. The host sizes one scratch slot per thread; a task
 * takes a free slot with an atomic compare-and-swap on the slot flags and frees it when done,
 * so no two running tasks share a slot whichever worker Piscina picks. A replication's draws
 * depend only on (seed, replication), so its result is the same on any worker.
 */
export interface ReplicationTask {
  replication: number;
}

export interface ReplicationTaskResult extends ReplicationResult {
  ok: true;
}

interface ProjectionWorkerData {
  memory: WebAssembly.Memory;
  context: ProjectionContext;
  layout: ProjectionLayout;
  /** Byte address of one Int32 flag per slot (0 free, 1 taken). */
  slotFlags: number;
}

const data = workerData as ProjectionWorkerData;

function acquireSlot(flags: Int32Array): number {
  for (let s = 0; s < flags.length; s++) if (Atomics.compareExchange(flags, s, 0, 1) === 0) return s;
  throw new FordelingError("FD_ERR_WORKER", `all ${flags.length} projection slots are taken; more tasks run at once than threads`);
}

export default kernelTask<ReplicationTask, ReplicationTaskResult, StepExports>((task, kernel) => {
  const flags = new Int32Array(data.memory.buffer, data.slotFlags, data.layout.slots.length);
  const slot = acquireSlot(flags);
  try {
    const simulate = makeWasmSimulator(stepKernelOf(kernel), data.memory, data.layout, slot, data.context.weightTable, data.context.seed);
    return { ok: true, ...projectReplication(data.context, task.replication, simulate) };
  } finally {
    Atomics.store(flags, slot, 0);
  }
});
