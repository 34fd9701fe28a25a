import { FordelingError, isFordelingError } from "../errors.js";
import { type ResolvedFiles, scenarioWithResolvedFiles } from "./runKey.js";
import type { RunStore } from "./store.js";
import type { RunErrorInfo, RunExecutor, RunProgress, RunRecord } from "./types.js";

export interface RunQueueOptions {
  store: RunStore;
  executor: RunExecutor;
  /** Runs that may wait behind the running one; a further submission gets FD_ERR_QUEUE_FULL. */
  maxQueued: number;
}

/** Retry-After when nothing better is known: a small projection takes about this long. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * A bounded FIFO that runs one projection at a time: a projection already spreads over every
 * worker thread of the pool, so running two at once would only make both slower. The request
 * thread only starts runs and records their progress; the work happens in the executor.
 */
export class RunQueue {
  private readonly waiting: string[] = [];
  /** Paths resolved at submission; kept in memory only (a restart interrupts waiting runs). */
  private readonly files = new Map<string, ResolvedFiles>();
  private running: { id: string; controller: AbortController; settled: Promise<void>; shutdown: boolean } | undefined;
  private closing = false;

  constructor(private readonly options: RunQueueOptions) {}

  get queuedCount(): number {
    return this.waiting.length;
  }

  get runningId(): string | undefined {
    return this.running?.id;
  }

  /** Seconds until a slot is likely free: the running run's ETA, else a default. */
  retryAfterSeconds(): number {
    const eta = this.running === undefined ? undefined : this.options.store.get(this.running.id)?.progress?.etaSeconds;
    return Math.max(1, Math.ceil(eta ?? DEFAULT_RETRY_AFTER_SECONDS));
  }

  /** Persists the record as queued and starts it when the runner is free. */
  async submit(record: RunRecord, files: ResolvedFiles = {}): Promise<RunRecord> {
    if (this.closing) throw new FordelingError("FD_ERR_UNAVAILABLE", "the server is shutting down and accepts no runs");
    if (this.waiting.length >= this.options.maxQueued && this.running !== undefined) {
      throw new FordelingError(
        "FD_ERR_QUEUE_FULL",
        `${this.waiting.length} runs are waiting (the limit is ${this.options.maxQueued}); retry later`,
      );
    }
    const queued: RunRecord = { ...record, status: "queued" };
    this.waiting.push(queued.id);
    this.files.set(queued.id, files);
    await this.options.store.save(queued);
    this.pump();
    return this.options.store.get(queued.id) ?? queued;
  }

  /** Cancels a queued or running run; resolves once it has stopped (or at once when queued). */
  async cancel(id: string): Promise<void> {
    const index = this.waiting.indexOf(id);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.files.delete(id);
      await this.finish(id, "cancelled", cancelledError("the run was cancelled before it started"));
      return;
    }
    if (this.running?.id === id) {
      this.running.controller.abort();
      await this.running.settled;
    }
  }

  /**
   * Stops accepting runs, reports waiting runs as interrupted, aborts the running one (it
   * becomes `interrupted`, not `cancelled`: nobody asked to cancel it) and closes the executor.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    for (const id of this.waiting.splice(0)) {
      this.files.delete(id);
      await this.finish(id, "interrupted", cancelledError("the server shut down before the run started"));
    }
    if (this.running !== undefined) {
      this.running.shutdown = true;
      this.running.controller.abort();
      await this.running.settled;
    }
    await this.options.executor.close();
  }

  /** Resolves when nothing is running or waiting (tests and graceful shutdown use it). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running.settled;
  }

  private pump(): void {
    if (this.running !== undefined || this.closing) return;
    const id = this.waiting.shift();
    if (id === undefined) return;
    const controller = new AbortController();
    const slot = { id, controller, settled: Promise.resolve(), shutdown: false };
    this.running = slot;
    slot.settled = this.execute(id, controller).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  private async execute(id: string, controller: AbortController): Promise<void> {
    const { store, executor } = this.options;
    const record = store.get(id);
    if (record === undefined) return;
    const files = this.files.get(id) ?? {};
    this.files.delete(id);
    const startedAt = Date.now();
    await store.save({ ...record, status: "running", startedAt: new Date(startedAt).toISOString() });
    const outDir = await store.makeTempResultDir(id);
    try {
      await executor.execute({
        id,
        request: { ...record.request, scenario: scenarioWithResolvedFiles(record.request.scenario, files) },
        files,
        outDir,
        signal: controller.signal,
        onProgress: (p) => this.progress(id, p, startedAt),
      });
      if (controller.signal.aborted) throw cancelledFordelingError();
      await store.commitResult(id, outDir);
      await this.finish(id, "succeeded");
    } catch (error) {
      await store.discardTemp(outDir);
      if (controller.signal.aborted) {
        const shutdown = this.running?.shutdown === true;
        await this.finish(
          id,
          shutdown ? "interrupted" : "cancelled",
          cancelledError(shutdown ? "the server shut down while the run was running" : "the run was cancelled"),
        );
      } else {
        await this.finish(id, "failed", errorInfo(error));
      }
    }
  }

  private progress(id: string, p: Omit<RunProgress, "fraction">, startedAt: number): void {
    const record = this.options.store.get(id);
    if (record === undefined || record.status !== "running") return;
    const fraction = p.totalUnits > 0 ? Math.min(1, p.completedUnits / p.totalUnits) : 0;
    // The projection's own ETA is preferred; otherwise extrapolate from the elapsed time.
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const etaSeconds = p.etaSeconds ?? (fraction > 0 ? (elapsedSeconds * (1 - fraction)) / fraction : undefined);
    const progress: RunProgress = { phase: p.phase, completedUnits: p.completedUnits, totalUnits: p.totalUnits, fraction };
    if (etaSeconds !== undefined && Number.isFinite(etaSeconds)) progress.etaSeconds = Math.round(etaSeconds * 10) / 10;
    this.options.store.update({ ...record, progress });
  }

  private async finish(id: string, status: RunRecord["status"], error?: RunErrorInfo): Promise<void> {
    const record = this.options.store.get(id);
    if (record === undefined) return;
    const { error: _previous, ...rest } = record;
    const finished: RunRecord = { ...rest, status, finishedAt: new Date().toISOString() };
    if (error !== undefined) finished.error = error;
    if (status === "succeeded" && record.progress !== undefined) {
      finished.progress = { ...record.progress, completedUnits: record.progress.totalUnits, fraction: 1, etaSeconds: 0 };
    }
    await this.options.store.save(finished);
  }
}

function cancelledFordelingError(): FordelingError {
  return new FordelingError("FD_ERR_CANCELLED", "the run was cancelled");
}

function cancelledError(message: string): RunErrorInfo {
  return { code: "FD_ERR_CANCELLED", message, location: {} };
}

function errorInfo(error: unknown): RunErrorInfo {
  if (isFordelingError(error)) return { code: error.code, message: error.message, location: error.location };
  return { code: "FD_ERR_INTERNAL", message: (error as Error)?.message ?? String(error), location: {} };
}
