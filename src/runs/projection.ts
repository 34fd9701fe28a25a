import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { DistributedOptions } from "../distributed/distributedRun.js";
import { FordelingError, errorFromWire } from "../errors.js";
import { DATA_DIR, DIST_DIR, PACKAGE_ROOT, WASM_PATH } from "../paths.js";
import { MODEL_VERSION } from "../projection/run.js";
import { RESULT_FILES } from "../projection/write.js";
import type { DataDir } from "./dataDir.js";
import type { RunWorkerData, RunWorkerMessage } from "./runWorker.js";
import type { RunExecutor, RunJob } from "./types.js";

/**
 * The one module that ties runs to the projection: what a stored result looks like, the model
 * version that enters every run key, and the executor that prepares the population and runs
 * the projection in its worker pool.
 */

export const RESULT_LEVELS = ["council", "municipality", "national", "island"] as const;
export type ResultLevel = (typeof RESULT_LEVELS)[number];

export interface LevelLayout {
  /** The Arrow file writeProjectionResult writes for the level. */
  file: string;
  yearColumn: string;
  /** The column `?area=` matches (council id, municipality code, island name); none for national. */
  areaColumn?: string;
  /** Columns that identify a row; a comparison joins two runs on them. */
  keyColumns: readonly string[];
}

export const RESULT_LAYOUT: Readonly<Record<ResultLevel, LevelLayout>> = {
  council: { file: `${RESULT_FILES.council}.arrow`, yearColumn: "year", areaColumn: "council_id", keyColumns: ["council_id", "year"] },
  municipality: {
    file: `${RESULT_FILES.municipality}.arrow`,
    yearColumn: "year",
    areaColumn: "municipality_code",
    keyColumns: ["municipality_code", "year"],
  },
  national: { file: `${RESULT_FILES.national}.arrow`, yearColumn: "year", keyColumns: ["year"] },
  island: { file: `${RESULT_FILES.island}.arrow`, yearColumn: "year", areaColumn: "island", keyColumns: ["island", "year"] },
};

/**
 * Package version + a hash of what the result depends on besides the request: the model data
 * (data/model/*.json, reference CSVs) and the compiled kernel. Computed once per process.
 */
let cachedModelVersion: string | undefined;
export function modelVersion(): string {
  if (cachedModelVersion !== undefined) return cachedModelVersion;
  const hash = createHash("sha256");
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  const files = [
    ...readdirSync(join(DATA_DIR, "model")).map((n) => join(DATA_DIR, "model", n)),
    ...readdirSync(DATA_DIR)
      .filter((n) => n.endsWith(".csv"))
      .map((n) => join(DATA_DIR, n)),
    WASM_PATH,
  ].sort();
  for (const file of files) {
    try {
      hash.update(file.slice(PACKAGE_ROOT.length)).update(readFileSync(file));
    } catch {
      hash.update(`${file}:missing`);
    }
  }
  cachedModelVersion = `${pkg.version}+${MODEL_VERSION}+${hash.digest("hex").slice(0, 12)}`;
  return cachedModelVersion;
}

export interface ProjectionExecutorOptions {
  dataDir: DataDir;
  /** Worker threads of the projection's pool; default: the projection's own default. */
  threads?: number;
  /** Runs replications over `fordeling worker`s on Redis (docs/SCALE.md). */
  distributed?: DistributedOptions;
  /** How long an aborted run may take to stop before its thread is terminated. */
  abortGraceMs?: number;
}

const RUN_WORKER = join(DIST_DIR, "runs", "runWorker.js");

/**
 * Runs each job in a run worker thread (src/runs/runWorker.ts), which runs the projection in
 * its pool. Abort asks the worker to stop (the projection closes its pool and rejects); a
 * worker that does not stop within the grace period is terminated.
 */
export function makeProjectionExecutor(options: ProjectionExecutorOptions): RunExecutor {
  const active = new Set<Worker>();
  const graceMs = options.abortGraceMs ?? 5_000;
  removeTemporaryFiles(options.dataDir.generated);
  return {
    execute(job: RunJob): Promise<void> {
      const data: RunWorkerData = {
        job: { id: job.id, request: job.request, files: job.files, outDir: job.outDir },
        generatedDir: options.dataDir.generated,
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        ...(options.distributed !== undefined ? { distributed: options.distributed } : {}),
      };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(RUN_WORKER, { workerData: data });
        active.add(worker);
        job.onProgress({ phase: "starting", completedUnits: 0, totalUnits: 1 });
        let outcome: { ok: true } | { ok: false; error: FordelingError } | undefined;
        const onAbort = (): void => {
          worker.postMessage({ type: "abort" });
          setTimeout(() => void worker.terminate(), graceMs).unref();
        };
        if (job.signal.aborted) onAbort();
        job.signal.addEventListener("abort", onAbort, { once: true });
        worker.on("message", (message: RunWorkerMessage) => {
          if (message.type === "progress") job.onProgress(message.progress);
          else if (message.type === "done") outcome = { ok: true };
          else outcome = { ok: false, error: errorFromWire(message.error) };
        });
        worker.on("error", (error) => {
          outcome ??= {
            ok: false,
            error: new FordelingError("FD_ERR_WORKER", `the run thread failed: ${error.message}`, {}, { cause: error }),
          };
        });
        worker.on("exit", (exitCode) => {
          active.delete(worker);
          job.signal.removeEventListener("abort", onAbort);
          if (outcome?.ok === true) return resolve();
          if (outcome !== undefined) return reject(outcome.error);
          reject(
            job.signal.aborted
              ? new FordelingError("FD_ERR_CANCELLED", "the run was cancelled")
              : new FordelingError("FD_ERR_WORKER", `the run thread stopped (exit code ${exitCode}) without a result`),
          );
        });
      });
    },
    async close(): Promise<void> {
      await Promise.all([...active].map((worker) => worker.terminate()));
    },
  };
}

/** Hidden temp files a killed generator left behind (`.name.pid.random.tmp`). */
function removeTemporaryFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".") && name.endsWith(".tmp")) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
