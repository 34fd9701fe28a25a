import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { DEFAULT_QUEUE } from "../distributed/redis.js";
import { startWorker } from "../distributed/worker.js";
import { wholeNumber } from "./options.js";

interface WorkerFlags {
  redis: string;
  threads?: number;
  concurrency: number;
  cacheDir: string;
  queue: string;
  lockMs: number;
}

export function makeWorkerCommand(): Command {
  return new Command("worker")
    .summary("take replications of distributed projections from a Redis queue (BullMQ)")
    .description(
      "Run as a worker of distributed projections (docs/SCALE.md): take jobs from the BullMQ queue on --redis, fetch each run's " +
        "population and register once into --cache-dir (verified by SHA-256), simulate the job's replications in a pool of " +
        "--threads and return the results. Stops on SIGTERM or SIGINT after the jobs it is running.",
    )
    .requiredOption(
      "--redis <url>",
      "Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS (password also from FORDELING_REDIS_PASSWORD)",
    )
    .option("--threads <n>", "worker threads (default: available cores)", wholeNumber("--threads", 1, 64))
    .option("--concurrency <k>", "jobs taken at once (they share the threads)", wholeNumber("--concurrency", 1, 64), 1)
    .option("--cache-dir <dir>", "where fetched run data are kept by hash (may be a shared disk)", join(tmpdir(), "fordeling-worker-cache"))
    .option("--queue <name>", "queue name", DEFAULT_QUEUE)
    .option(
      "--lock-ms <ms>",
      "job lock; a job whose worker dies is given to another after about this long",
      wholeNumber("--lock-ms", 1000, 3_600_000),
      30_000,
    )
    .action(async (flags: WorkerFlags) => {
      const worker = startWorker({
        redis: flags.redis,
        cacheDir: flags.cacheDir,
        concurrency: flags.concurrency,
        queue: flags.queue,
        lockMs: flags.lockMs,
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      });
      await worker.ready;
      process.stderr.write(`fordeling worker: taking jobs from ${flags.queue} (cache ${flags.cacheDir})\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          process.stderr.write(`fordeling worker: ${signal}: finishing running jobs…\n`);
          void worker.close().then(resolve, resolve);
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      process.stderr.write("fordeling worker: stopped\n");
    });
}
