import { FordelingError } from "../errors.js";
import type { DataDir } from "./dataDir.js";
import { RunQueue } from "./queue.js";
import { makeRunIdentity, runIdFromIdentity } from "./runKey.js";
import { RunStore, type StoreLog } from "./store.js";
import { type RunExecutor, type RunRecord, type RunRequest, TERMINAL_STATUSES } from "./types.js";

export interface RunServiceOptions {
  dataDir: DataDir;
  executor: RunExecutor;
  maxQueued: number;
  modelVersion: string;
  /** Where the store reports damaged records and writes that failed. */
  log?: StoreLog;
  /** The store's file-system seam for record writes (tests). */
  writeJson?: (file: string, value: unknown) => Promise<void>;
  /** See RunQueueOptions.startRetryMs. */
  startRetryMs?: number;
}

/** What a submission led to: a new run, one already queued or running, or a stored result. */
export interface Submission {
  record: RunRecord;
  outcome: "queued" | "in-progress" | "stored";
}

/**
 * Runs as the API sees them: submit (deduplicated by run key), look up, cancel, shut down.
 * The only place that ties the store, the queue and the run key together.
 */
export class RunService {
  private constructor(
    readonly store: RunStore,
    readonly queue: RunQueue,
    private readonly options: RunServiceOptions,
  ) {}

  static async open(options: RunServiceOptions): Promise<RunService> {
    const store = await RunStore.open(options.dataDir, {
      ...(options.log !== undefined ? { log: options.log } : {}),
      ...(options.writeJson !== undefined ? { writeJson: options.writeJson } : {}),
    });
    const queue = new RunQueue({
      store,
      executor: options.executor,
      maxQueued: options.maxQueued,
      ...(options.log !== undefined ? { log: options.log } : {}),
      ...(options.startRetryMs !== undefined ? { startRetryMs: options.startRetryMs } : {}),
    });
    return new RunService(store, queue, options);
  }

  get modelVersion(): string {
    return this.options.modelVersion;
  }

  async submit(request: RunRequest): Promise<Submission> {
    const { identity, files } = await makeRunIdentity(request, this.options.dataDir, this.options.modelVersion);
    const id = runIdFromIdentity(identity);
    const existing = this.store.get(id);
    if (existing?.status === "succeeded" && this.store.hasResult(id)) return { record: existing, outcome: "stored" };
    if (existing !== undefined && !TERMINAL_STATUSES.has(existing.status)) return { record: existing, outcome: "in-progress" };
    // A failed, cancelled or interrupted run of the same key is simply run again.
    const record: RunRecord = { id, status: "queued", request, identity, createdAt: new Date().toISOString() };
    const submitted = await this.queue.submit(record, files);
    return { record: submitted.record, outcome: submitted.joined ? "in-progress" : "queued" };
  }

  get(id: string): RunRecord {
    const record = this.store.get(id);
    if (record === undefined) throw new FordelingError("FD_ERR_NOT_FOUND", `no run with id '${id}'`, { field: "params.runId" });
    return record;
  }

  list(): RunRecord[] {
    return this.store.list();
  }

  /** Cancels a queued or running run; a finished run cannot be cancelled (409), a stopped one is left as is. */
  async cancel(id: string): Promise<RunRecord> {
    const record = this.get(id);
    if (record.status === "succeeded") {
      throw new FordelingError("FD_ERR_CONFLICT", `run '${id}' has already succeeded; there is nothing to cancel`, {
        field: "params.runId",
      });
    }
    if (!TERMINAL_STATUSES.has(record.status)) await this.queue.cancel(id);
    return this.get(id);
  }

  /** The result dir of a succeeded run, or a 404/409 naming why there is none. */
  resultDir(id: string): string {
    const record = this.get(id);
    if (record.status !== "succeeded" || !this.store.hasResult(id)) {
      throw new FordelingError("FD_ERR_CONFLICT", `run '${id}' has status '${record.status}'; results exist only once it has succeeded`, {
        field: "params.runId",
      });
    }
    return this.store.containedResultDir(id);
  }

  async close(): Promise<void> {
    await this.queue.shutdown();
  }
}
