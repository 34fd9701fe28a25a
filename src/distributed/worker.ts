import { Worker, type Job } from "bullmq";
import { availableParallelism } from "node:os";
import { FordelingError, isFordelingError } from "../errors.js";
import { openReplicationPool, prepareProjection, type PreparedProjection, type ReplicationPool } from "../projection/run.js";
import { makeDataCache } from "./dataCache.js";
import { checkJobPayload, type JobPayload } from "./payload.js";
import { DEFAULT_QUEUE, redisConnection } from "./redis.js";
import { encodeReplications } from "./resultCodec.js";

/**
 * `fordeling worker`: takes jobs (a run, a range of replications) from the BullMQ queue and
 * simulates them in its own Piscina pool. A run is prepared once per worker (data fetched and
 * verified, calibrations done) and its pool kept while jobs of that run keep coming; the
 * result is the replications' values as Arrow IPC stream bytes (src/distributed/resultCodec.ts), base64
 * in the job's return value. Any error fails the job; BullMQ retries it (maybe elsewhere).
 */
export interface WorkerOptions {
  redis: string;
  cacheDir: string;
  threads?: number;
  concurrency?: number;
  queue?: string;
  /** How long a job's lock lasts without renewal: a killed worker's job is given to another after about this. */
  lockMs?: number;
  log?: (line: string) => void;
}

export interface JobResult {
  from: number;
  count: number;
  /** Arrow IPC stream bytes, base64. */
  data: string;
}

interface PreparedRun {
  prepared: PreparedProjection;
  pool: ReplicationPool;
  active: number;
  lastUsed: number;
}

/** Runs kept prepared at most (each holds a pool and the population in memory). */
const KEPT_RUNS = 2;

export interface RunningWorker {
  close(): Promise<void>;
  /** Resolves when the worker is connected and taking jobs. */
  ready: Promise<void>;
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const log = options.log ?? ((line: string) => process.stderr.write(`fordeling worker: ${line}\n`));
  const threads = options.threads ?? availableParallelism();
  const cache = makeDataCache(options.cacheDir);
  const runs = new Map<string, Promise<PreparedRun>>();

  async function runFor(payload: JobPayload): Promise<PreparedRun> {
    const key = JSON.stringify([payload.scenario, payload.seed, payload.horizonYear, payload.population.sha256, payload.register.sha256]);
    let entry = runs.get(key);
    if (entry === undefined) {
      entry = (async () => {
        const [populationFile, registerFile] = await Promise.all([cache.resolve(payload.population), cache.resolve(payload.register)]);
        const prepared = await prepareProjection({
          scenario: payload.scenario,
          seed: payload.seed,
          horizonYear: payload.horizonYear,
          replications: payload.replications,
          populationFile,
          registerFile,
        });
        log(`prepared run ${payload.runId} (${prepared.rows} residents, ${threads} threads)`);
        return { prepared, pool: openReplicationPool(prepared, threads), active: 0, lastUsed: Date.now() };
      })();
      runs.set(key, entry);
      entry.catch(() => runs.delete(key));
    }
    return entry;
  }

  async function evictIdle(): Promise<void> {
    if (runs.size <= KEPT_RUNS) return;
    const settled = await Promise.all([...runs.entries()].map(async ([key, p]) => ({ key, run: await p.catch(() => undefined) })));
    const idle = settled.filter((s) => s.run !== undefined && s.run.active === 0).sort((a, b) => a.run!.lastUsed - b.run!.lastUsed);
    for (const { key, run } of idle.slice(0, runs.size - KEPT_RUNS)) {
      runs.delete(key);
      await run!.pool.close();
    }
  }

  async function handle(job: Job): Promise<JobResult> {
    const jobId = job.id ?? "(no id)";
    try {
      const payload = checkJobPayload(job.data, jobId);
      const run = await runFor(payload);
      run.active++;
      try {
        const replications = Array.from({ length: payload.count }, (_, k) => payload.from + k);
        let done = 0;
        const results = await run.pool.run(replications, () => void job.updateProgress(++done).catch(() => undefined));
        return { from: payload.from, count: payload.count, data: encodeReplications(results).toString("base64") };
      } finally {
        run.active--;
        run.lastUsed = Date.now();
        await evictIdle();
      }
    } catch (error) {
      const e = isFordelingError(error) ? error : new FordelingError("FD_ERR_WORKER", String(error), {}, { cause: error });
      log(`job ${jobId} failed: ${e.code}: ${e.message}`);
      // The code travels in the failure reason, which the coordinator reports.
      throw new Error(`${e.code}: ${e.message}`);
    }
  }

  const lockMs = options.lockMs ?? 30_000;
  const worker = new Worker(options.queue ?? DEFAULT_QUEUE, handle, {
    connection: redisConnection(options.redis),
    concurrency: options.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    // A job whose worker died twice is still retried once more before the run fails.
    maxStalledCount: 2,
  });
  worker.on("error", (e) => log(`queue error: ${e.message}`));
  return {
    ready: worker.waitUntilReady().then(() => undefined),
    async close() {
      await worker.close();
      const prepared = await Promise.all([...runs.values()].map((p) => p.catch(() => undefined)));
      runs.clear();
      await Promise.all(prepared.map((r) => r?.pool.close()));
    },
  };
}
