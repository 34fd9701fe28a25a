import { FordelingError, isFordelingError } from "../errors.js";
import { type ResolvedFiles, scenarioWithResolvedFiles } from "./runKey.js";
import type { RunStore } from "./store.js";
import type { RunErrorInfo, RunExecutor, RunProgress, RunRecord } from "./types.js";

export interface RunQueueOptions {
  store: RunStore;
  executor: RunExecutor;
  /** Runs that may wait behind the running one; a further submission gets FD_ERR_QUEUE_FULL. */
  maxQueued: number;
  /** How long the queue waits before trying again to start a run whose record could not be written. */
  startRetryMs?: number;
  /** Where the queue reports a start it had to put off (the server's log). */
  log?: (message: string, details: Record<string, unknown>) => void;
}

/** A full disk is rarely freed within seconds; trying again every few seconds costs nothing. */
const DEFAULT_START_RETRY_MS = 5_000;

/** What a submission became: a new queued run, or the same run already accepted and not finished. */
export interface QueueSubmission {
  record: RunRecord;
  joined: boolean;
}

/** Retry-After when nothing better is known: a small projection takes about this long. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * A bounded FIFO that runs one projection at a time: a projection already spreads over every
 * worker thread of the pool, so running two at once would only make both slower. The request
 * thread only starts runs and records their progress; the work happens in the executor.
 *
 * Slots are counted synchronously: a submission reserves its slot before the record is written,
 * so a burst of concurrent POSTs cannot all pass the limit while their writes are in flight. A
 * run enters the waiting list only once its record is on disk, so a submission answered with
 * an error never runs later. Nothing the runner does may throw past it: a failed write (full
 * disk) makes the running run `failed` (in memory at least); a run that cannot even be recorded
 * as running goes back to the head of the line and the queue tries again a few seconds later.
 */
export class RunQueue {
  private readonly waiting: string[] = [];
  /** Submissions whose record is being written: they hold a slot but are not waiting yet. */
  private readonly pending = new Map<string, { record: RunRecord; written: Promise<unknown> }>();
  /** Paths resolved at submission; kept in memory only (a restart interrupts waiting runs). */
  private readonly files = new Map<string, ResolvedFiles>();
  private running: { id: string; controller: AbortController; settled: Promise<void>; shutdown: boolean } | undefined;
  private closing = false;
  /** Set while starts are put off after a failed record write (full disk): waiting runs wait. */
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunQueueOptions) {}

  get queuedCount(): number {
    return this.waiting.length + this.pending.size;
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
  async submit(record: RunRecord, files: ResolvedFiles = {}): Promise<QueueSubmission> {
    if (this.closing) throw new FordelingError("FD_ERR_UNAVAILABLE", "the server is shutting down and accepts no runs");
    // The same run submitted twice at once: the second joins the first.
    const inFlight = this.pending.get(record.id);
    if (inFlight !== undefined) return { record: inFlight.record, joined: true };
    if (this.running?.id === record.id || this.waiting.includes(record.id)) {
      return { record: this.options.store.get(record.id) ?? record, joined: true };
    }
    // Everything up to the reservation is synchronous: one running slot plus maxQueued waiting.
    const occupied = this.waiting.length + this.pending.size + (this.running === undefined ? 0 : 1);
    if (occupied >= this.options.maxQueued + 1) {
      throw new FordelingError(
        "FD_ERR_QUEUE_FULL",
        `the queue is full (${occupied} runs running or waiting; ` +
          `the limit is one running and ${this.options.maxQueued} waiting); retry later`,
      );
    }
    const queued: RunRecord = { ...record, status: "queued" };
    const written = this.options.store.save(queued);
    this.pending.set(queued.id, { record: queued, written: written.catch(() => undefined) });
    try {
      await written;
    } finally {
      this.pending.delete(queued.id);
    }
    if (this.closing) {
      // Shutdown began while the record was being written: report it like the other waiting runs.
      await this.finish(queued.id, "interrupted", cancelledError("the server shut down before the run started"));
      throw new FordelingError("FD_ERR_UNAVAILABLE", "the server is shutting down and accepts no runs");
    }
    this.waiting.push(queued.id);
    this.files.set(queued.id, files);
    this.pump();
    return { record: this.options.store.get(queued.id) ?? queued, joined: false };
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
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await Promise.all([...this.pending.values()].map((p) => p.written));
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
    if (this.running !== undefined || this.closing || this.retryTimer !== undefined) return;
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

  /** Runs one job to a final status; never rejects (pump() relies on it settling). */
  private async execute(id: string, controller: AbortController): Promise<void> {
    const { store, executor } = this.options;
    const record = store.get(id);
    if (record === undefined) return;
    const files = this.files.get(id) ?? {};
    this.files.delete(id);
    const startedAt = Date.now();
    try {
      await store.save({ ...record, status: "running", startedAt: new Date(startedAt).toISOString() });
    } catch (error) {
      this.putOff(id, files, error);
      return;
    }
    let outDir: string | undefined;
    try {
      outDir = await store.makeTempResultDir(id);
      // Cancelled or shut down while the record was written: an executor would never see the abort.
      if (controller.signal.aborted) throw cancelledFordelingError();
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
      if (outDir !== undefined) await store.discardTemp(outDir);
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

  /** The run could not be recorded as running: it waits at the head of the line, and so do the others. */
  private putOff(id: string, files: ResolvedFiles, error: unknown): void {
    this.waiting.unshift(id);
    this.files.set(id, files);
    const delayMs = this.options.startRetryMs ?? DEFAULT_START_RETRY_MS;
    this.options.log?.(`cannot record run ${id} as running; it and the runs behind it wait, retrying in ${delayMs} ms`, {
      runId: id,
      error: (error as Error).message,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delayMs);
    this.retryTimer.unref();
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

  /**
   * Records a final status. When even that write fails (full disk) the status is kept in memory
   * and logged: clients see the truth, and the disk's stale status becomes `interrupted` on the
   * next start. It never throws, so the runner goes on to the next run.
   */
  private async finish(id: string, status: RunRecord["status"], error?: RunErrorInfo): Promise<void> {
    const record = this.options.store.get(id);
    if (record === undefined) return;
    const { error: _previous, ...rest } = record;
    const finished: RunRecord = { ...rest, status, finishedAt: new Date().toISOString() };
    if (error !== undefined) finished.error = error;
    if (status === "succeeded" && record.progress !== undefined) {
      finished.progress = { ...record.progress, completedUnits: record.progress.totalUnits, fraction: 1, etaSeconds: 0 };
    }
    await this.options.store.saveOrRemember(finished);
  }
}

function cancelledFordelingError(): FordelingError {
  return new FordelingError("FD_ERR_CANCELLED", "the run was cancelled");
}

function cancelledError(message: string): RunErrorInfo {
  return { code: "FD_ERR_CANCELLED", message, location: {} };
}

const WRITE_FAILURES: ReadonlySet<string> = new Set(["ENOSPC", "EDQUOT", "EROFS", "EIO"]);

function errorInfo(error: unknown): RunErrorInfo {
  if (isFordelingError(error)) return { code: error.code, message: error.message, location: error.location };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // A disk that is full, read-only or failing while the run's files are written is an output error.
  if (code !== undefined && WRITE_FAILURES.has(code)) {
    return { code: "FD_ERR_OUTPUT", message: `cannot write the run's files: ${(error as Error).message}`, location: {} };
  }
  return { code: "FD_ERR_INTERNAL", message: (error as Error)?.message ?? String(error), location: {} };
}
