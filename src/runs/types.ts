import type { ErrorCode, ErrorLocation } from "../errors.js";
import type { Scenario } from "../model/scenario.js";

/**
 * A run: one projection request, queued, executed in the worker pool and stored under the
 * data dir. The run id is a content hash of everything that determines the result (see
 * runKey.ts), so an identical request finds the stored result instead of recomputing it.
 */

/** Which population a run projects; every file named here lives inside the data dir. */
export type PopulationSpec =
  | { kind: "default" }
  | { kind: "file"; name: string; register?: string }
  | { kind: "generated"; scale: number; seed: number };

export interface RunRequest {
  scenario: Scenario;
  replications: number;
  seed: number;
  horizonYear: number;
  population: PopulationSpec;
}

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted";

/** Statuses after which a run never changes again (until an identical request re-runs it). */
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

export interface RunProgress {
  phase: string;
  completedUnits: number;
  totalUnits: number;
  /** completedUnits / totalUnits, 0…1. */
  fraction: number;
  etaSeconds?: number;
}

export interface RunErrorInfo {
  code: ErrorCode;
  message: string;
  location: ErrorLocation;
}

/** What the store persists per run (runs/<id>.json) and the API returns. */
export interface RunRecord {
  id: string;
  status: RunStatus;
  request: RunRequest;
  /** The identity the id hashes (model version, data fingerprints); shown for provenance. */
  identity: RunIdentity;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  progress?: RunProgress;
  error?: RunErrorInfo;
}

/** Everything that determines a run's result; its canonical JSON hashes to the run id. */
export interface RunIdentity {
  modelVersion: string;
  scenario: { id: string; parameters: Record<string, number | string> };
  replications: number;
  seed: number;
  horizonYear: number;
  /** How the population is made or, for files, a hash of their content. */
  population: Record<string, string | number>;
  /** Content hash of a weight table a scenario names, when it names one. */
  weightTable?: string;
}

/** What a run's execution needs and reports; tests may inject their own executor. */
export interface RunJob {
  id: string;
  /** The request with a scenario's weight table name replaced by its path in the data dir. */
  request: RunRequest;
  /** Population and register paths inside the data dir, for `{ kind: "file" }`. */
  files: { populationFile?: string; registerFile?: string };
  /** A path that does not exist yet: write the result files there; the queue renames it when done. */
  outDir: string;
  signal: AbortSignal;
  onProgress: (progress: Omit<RunProgress, "fraction">) => void;
}

export interface RunExecutor {
  /** Resolves when the result files are in `job.outDir`; rejects with FD_ERR_CANCELLED on abort. */
  execute(job: RunJob): Promise<void>;
  /** Releases worker threads; called once on shutdown. */
  close(): Promise<void>;
}
