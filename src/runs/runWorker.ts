import { parentPort, workerData } from "node:worker_threads";
import { FordelingError, isFordelingError, type WireError } from "../errors.js";
import { openDistributedExecutor, type DistributedOptions } from "../distributed/distributedRun.js";
import { runProjection } from "../projection/run.js";
import { writeProjectionResult } from "../projection/write.js";
import { preparePopulation } from "./population.js";
import type { RunJob, RunProgress } from "./types.js";

/**
 * One run, in a thread of its own: prepare the population, run the projection (which fans its
 * replications out over its Piscina pool), write the result. Loading and packing millions of
 * residents, calibrating and summarising are synchronous work of seconds; done here, none of
 * it ever blocks the HTTP thread. Messages are plain data: progress, done, or a WireError.
 */
export interface RunWorkerData {
  job: Pick<RunJob, "id" | "request" | "files" | "outDir">;
  generatedDir: string;
  threads?: number;
  /** Replications over `fordeling worker`s on Redis instead of this process's pool (docs/SCALE.md). */
  distributed?: DistributedOptions;
}

export type RunWorkerMessage =
  | { type: "progress"; progress: Omit<RunProgress, "fraction"> }
  | { type: "done" }
  | { type: "error"; error: WireError };

const port = parentPort;
if (port === null) throw new Error("runWorker.js runs as a worker thread only");
const data = workerData as RunWorkerData;
const controller = new AbortController();
port.on("message", (message: { type: string }) => {
  if (message.type === "abort") controller.abort();
});
const post = (message: RunWorkerMessage): void => port.postMessage(message);

const distributed =
  data.distributed === undefined ? undefined : await openDistributedExecutor(data.distributed).catch((error: unknown) => error as Error);
try {
  if (distributed instanceof Error) throw distributed;
  const { job } = data;
  const files = await preparePopulation(job.request.population, job.files, data.generatedDir, (done, total) =>
    post({ type: "progress", progress: { phase: "generating population", completedUnits: done, totalUnits: total } }),
  );
  if (controller.signal.aborted) throw new FordelingError("FD_ERR_CANCELLED", "the run was cancelled");
  const result = await runProjection(
    {
      scenario: job.request.scenario,
      replications: job.request.replications,
      seed: job.request.seed,
      horizonYear: job.request.horizonYear,
      ...files,
      ...(data.threads !== undefined ? { threads: data.threads } : {}),
    },
    {
      signal: controller.signal,
      onProgress: (progress) => post({ type: "progress", progress }),
      ...(distributed !== undefined ? { executor: distributed.executor } : {}),
    },
  );
  if (controller.signal.aborted) throw new FordelingError("FD_ERR_CANCELLED", "the run was cancelled");
  await writeProjectionResult(result, job.outDir);
  post({ type: "done" });
} catch (error) {
  const wire = isFordelingError(error)
    ? error.toWire()
    : new FordelingError("FD_ERR_WORKER", `the run failed: ${(error as Error)?.message ?? String(error)}`).toWire();
  post({ type: "error", error: wire });
} finally {
  if (distributed !== undefined && !(distributed instanceof Error)) await distributed.close();
  port.close();
}
