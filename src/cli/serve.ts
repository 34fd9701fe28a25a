import { Command } from "commander";
import type { FastifyInstance } from "fastify";
import { buildApp, DEFAULT_MAX_QUEUED, DEFAULT_REQUEST_TIMEOUT_MS } from "../api/app.js";
import { FordelingError } from "../errors.js";
import { wholeNumber } from "./options.js";
import { addDistributedOptions, distributedOptionsOf, type DistributedFlags } from "./distributedOptions.js";

interface ServeFlags extends DistributedFlags {
  port: number;
  dataDir: string;
  host: string;
  maxQueue: number;
  apiKeyEnv?: string;
  threads?: number;
  logLevel: string;
  requestTimeout: number;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** The key from the named environment variable: a key never appears on the command line (ps, shell history). */
export function apiKeyFromEnv(name: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/u.test(name)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `'${name}' is not an environment variable name`, { field: "--api-key-env" });
  }
  const key = env[name];
  if (key === undefined || key.trim() === "") {
    throw new FordelingError("FD_ERR_ARGUMENT", `the environment variable ${name} is not set or empty; set it to the API key`, {
      field: "--api-key-env",
    });
  }
  return key.trim();
}

/**
 * Listens until SIGTERM or SIGINT, then shuts down gracefully: stops accepting connections
 * (new requests get 503), aborts the running projection (reported `interrupted`, like runs
 * still waiting), closes the workers, and resolves so the process exits with code 0.
 */
export async function serve(flags: ServeFlags): Promise<void> {
  const apiKey = apiKeyFromEnv(flags.apiKeyEnv);
  if (!LOG_LEVELS.includes(flags.logLevel)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `'${flags.logLevel}' is not a log level (allowed: ${LOG_LEVELS.join(", ")})`, {
      field: "--log-level",
    });
  }
  const distributed = distributedOptionsOf(flags);
  const app: FastifyInstance = await buildApp({
    ...(distributed !== undefined ? { distributed } : {}),
    dataDir: flags.dataDir,
    maxQueued: flags.maxQueue,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    logger: { level: flags.logLevel },
    requestTimeoutMs: flags.requestTimeout * 1000,
  });
  let address: string;
  try {
    address = await app.listen({ port: flags.port, host: flags.host });
  } catch (cause) {
    await app.close();
    throw new FordelingError(
      "FD_ERR_ARGUMENT",
      `cannot listen on ${flags.host}:${flags.port}: ${(cause as Error).message}`,
      { field: "--port" },
      { cause },
    );
  }
  process.stderr.write(`fordeling: serving on ${address} (docs ${address}/docs, data dir ${app.fordeling.dataDir.root})\n`);
  if (apiKey === undefined && !["127.0.0.1", "::1", "localhost"].includes(flags.host)) {
    process.stderr.write(
      "fordeling: warning: listening beyond loopback without --api-key-env; anyone who reaches the port can start runs\n",
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.stderr.write(`fordeling: ${signal}: stopping (running projections are interrupted)…\n`);
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      void app.close().then(resolve, (error: unknown) => {
        process.stderr.write(`fordeling: error while stopping: ${(error as Error).message}\n`);
        resolve();
      });
    };
    const onTerm = (): void => stop("SIGTERM");
    const onInt = (): void => stop("SIGINT");
    process.once("SIGTERM", onTerm);
    process.once("SIGINT", onInt);
  });
  process.stderr.write("fordeling: stopped\n");
}

export function makeServeCommand(): Command {
  const command = new Command("serve")
    .summary("serve scenarios, runs and results over HTTP")
    .description(
      "Serve the HTTP API: scenarios, projection runs (queued, run in the worker pool, stored in the data dir) " +
        "and their results as JSON, CSV or Arrow. OpenAPI at /openapi.json, interactive docs at /docs.",
    )
    .requiredOption("--port <port>", "TCP port (0 picks a free one)", wholeNumber("--port", 0, 65535))
    .requiredOption("--data-dir <dir>", "where scenarios, run records and results are kept (created when missing)")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option(
      "--max-queue <n>",
      "runs that may wait behind the running one before requests get 429",
      wholeNumber("--max-queue", 0, 1000),
      DEFAULT_MAX_QUEUED,
    )
    .option("--api-key-env <name>", "require the key in this environment variable on write endpoints (X-API-Key or Bearer)")
    .option("--threads <n>", "worker threads per projection (default: all cores)", wholeNumber("--threads", 1, 64))
    .option("--log-level <level>", `request log level (${LOG_LEVELS.join(", ")})`, "warn")
    .option(
      "--request-timeout <seconds>",
      "time a client has to send a whole request before it gets 408",
      wholeNumber("--request-timeout", 1, 3600),
      DEFAULT_REQUEST_TIMEOUT_MS / 1000,
    )
    .action(async (flags: ServeFlags) => serve(flags));
  return addDistributedOptions(command);
}
