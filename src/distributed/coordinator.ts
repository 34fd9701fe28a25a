import { randomUUID } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { FordelingError } from "../errors.js";
import { AREA_COUNT } from "../projection/metrics.js";
import type { ReplicationResult } from "../projection/replication.js";
import type { PreparedProjection, ReplicationExecutor } from "../projection/run.js";
import type { DataServer } from "./dataServer.js";
import { MAX_JOB_REPLICATIONS, JOB_PAYLOAD_VERSION, type JobPayload } from "./payload.js";
import { DEFAULT_QUEUE, redisConnection } from "./redis.js";
import { decodeReplications } from "./resultCodec.js";
import type { JobResult } from "./worker.js";

/**
 * The coordinator's executor: splits a run into jobs of `jobSize` replications on the BullMQ
 * queue, gathers each job's results as it completes (in any order, from any worker) and hands
 * them back in replication order, so the summaries, and so the written files, are the same
 * bytes as a local run's. A job that fails on every attempt fails the run, naming the job.
 */
export interface RedisExecutorOptions {
  redis: string;
  jobSize: number;
  data: DataServer;
  queue?: string;
  /** Attempts per job (a stalled job, whose worker died, is retried by BullMQ separately). */
  attempts?: number;
  /** A Redis not reached within this (connecting) fails the run instead of waiting for it forever. */
  connectTimeoutMs?: number;
}

export const DEFAULT_JOB_SIZE = 10;

export function checkJobSize(jobSize: number): void {
  if (!Number.isInteger(jobSize) || jobSize < 1 || jobSize > MAX_JOB_REPLICATIONS) {
    throw new FordelingError("FD_ERR_ARGUMENT", `the job size must be a whole number from 1 to ${MAX_JOB_REPLICATIONS}, got ${jobSize}`, {
      field: "--job-size",
    });
  }
}

export function redisExecutor(options: RedisExecutorOptions): ReplicationExecutor {
  checkJobSize(options.jobSize);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  return {
    // Threads are the workers' business; the manifest records none on the coordinator.
    threads: () => 0,
    async run(prepared, { onDone, signal }) {
      const { req } = prepared;
      const table = req.scenario.parameters["model.weightTableFile"];
      if (typeof table === "string" && table !== "") {
        throw new FordelingError(
          "FD_ERR_ARGUMENT",
          "a scenario with its own weight table file cannot run distributed (workers take no file paths)",
          {
            field: "model.weightTableFile",
          },
        );
      }
      const connection = redisConnection(options.redis);
      await checkReachable(options.redis, options.connectTimeoutMs ?? 10_000);
      const queue = new Queue(queueName, { connection });
      const events = new QueueEvents(queueName, { connection });
      try {
        await events.waitUntilReady();
        return await collect(prepared, {
          queue,
          events,
          onDone,
          signal,
          jobSize: options.jobSize,
          attempts: options.attempts ?? 3,
          data: options.data,
        });
      } finally {
        await events.close();
        await queue.close();
      }
    },
  };
}

/**
 * One PING with no retries before the queue opens: BullMQ's connections retry forever (as a
 * worker should, waiting for Redis), so an unreachable Redis would leave the coordinator waiting.
 */
async function checkReachable(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis({
    ...(redisConnection(url) as RedisOptions),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (cause) {
    throw new FordelingError(
      "FD_ERR_ARGUMENT",
      `cannot reach Redis at ${new URL(url).host}: ${(cause as Error).message}`,
      { field: "--redis" },
      { cause },
    );
  } finally {
    client.disconnect();
  }
}

interface Collecting {
  queue: Queue;
  events: QueueEvents;
  onDone: () => void;
  signal: AbortSignal | undefined;
  jobSize: number;
  attempts: number;
  data: DataServer;
}

async function collect(prepared: PreparedProjection, c: Collecting): Promise<ReplicationResult[]> {
  const { req } = prepared;
  const runId = randomUUID();
  const [population, register] = await Promise.all([
    c.data.offer(req.populationFile, prepared.populationHash),
    c.data.offer(req.registerFile, prepared.registerHash),
  ]);
  const jobs: { id: string; payload: JobPayload }[] = [];
  for (let from = 0; from < req.replications; from += c.jobSize) {
    const count = Math.min(c.jobSize, req.replications - from);
    const payload: JobPayload = {
      version: JOB_PAYLOAD_VERSION,
      runId,
      scenario: req.scenario,
      seed: req.seed,
      horizonYear: req.horizonYear,
      replications: req.replications,
      population,
      register,
      from,
      count,
    };
    jobs.push({ id: `${runId}-${from}`, payload });
  }
  const index = new Map(jobs.map((j, k) => [j.id, k]));
  const byJob: (ReplicationResult[] | undefined)[] = jobs.map(() => undefined);
  const progress = jobs.map(() => 0);
  const cells = (prepared.years + 1) * AREA_COUNT;
  let reported = 0;
  let remaining = jobs.length;

  const advance = (k: number, done: number): void => {
    if (done <= progress[k]!) return;
    progress[k] = done;
    const total = progress.reduce((s, v) => s + v, 0);
    // Progress never runs backwards: a retried job counts as far as it ever got.
    for (; reported < total; reported++) c.onDone();
  };

  const finished = new Promise<void>((resolve, reject) => {
    c.events.on("progress", ({ jobId, data }) => {
      const k = index.get(jobId);
      if (k !== undefined && typeof data === "number") advance(k, Math.min(data, jobs[k]!.payload.count));
    });
    c.events.on("completed", ({ jobId, returnvalue }) => {
      const k = index.get(jobId);
      if (k === undefined || byJob[k] !== undefined) return;
      const job = jobs[k]!;
      try {
        const result = returnvalue as unknown as JobResult;
        if (typeof result?.data !== "string") throw new FordelingError("FD_ERR_JOB_FAILED", `job ${jobId} returned no result data`);
        byJob[k] = decodeReplications(Buffer.from(result.data, "base64"), {
          jobId,
          from: job.payload.from,
          count: job.payload.count,
          cells,
        });
      } catch (error) {
        reject(error);
        return;
      }
      advance(k, job.payload.count);
      if (--remaining === 0) resolve();
    });
    c.events.on("failed", ({ jobId, failedReason }) => {
      const k = index.get(jobId);
      if (k === undefined) return;
      const { from, count } = jobs[k]!.payload;
      reject(
        new FordelingError(
          "FD_ERR_JOB_FAILED",
          `job ${jobId} (replications ${from}…${from + count - 1}) failed on every attempt: ${failedReason}`,
          { field: jobId },
        ),
      );
    });
    c.signal?.addEventListener("abort", () => reject(new FordelingError("FD_ERR_CANCELLED", "the projection was cancelled")), {
      once: true,
    });
  });
  finished.catch(() => undefined);

  try {
    await c.queue.addBulk(
      jobs.map((j) => ({
        name: "replications",
        data: j.payload,
        opts: {
          jobId: j.id,
          attempts: c.attempts,
          backoff: { type: "fixed", delay: 500 },
          // The result travels in the completion event; Redis keeps nothing once it is collected.
          removeOnComplete: true,
          removeOnFail: { age: 24 * 3600 },
        },
      })),
    );
    await finished;
  } finally {
    if (remaining > 0)
      await removeJobs(
        c.queue,
        jobs.filter((_, k) => byJob[k] === undefined).map((j) => j.id),
      );
  }
  return byJob.flatMap((r) => r ?? []);
}

/** Takes the jobs of a failed or cancelled run off the queue (a job running now finishes unheard). */
async function removeJobs(queue: Queue, ids: readonly string[]): Promise<void> {
  for (const id of ids) await queue.remove(id).catch(() => undefined);
}
