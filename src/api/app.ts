import compress from "@fastify/compress";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { FordelingError } from "../errors.js";
import { openDataDir } from "../runs/dataDir.js";
import { lockDataDir } from "../runs/dataDirLock.js";
import { makeProjectionExecutor, modelVersion } from "../runs/projection.js";
import { ScenarioStore } from "../runs/scenarios.js";
import { RunService } from "../runs/service.js";
import type { RunExecutor } from "../runs/types.js";
import { registerApiKey } from "./auth.js";
import { chartRoutes } from "./charts.js";
import { registerDashboard } from "./dashboard.js";
import type { ApiContext } from "./context.js";
import { FRAMEWORK_ERROR_OPTIONS, registerErrorHandling } from "./errors.js";
import { geoRoutes } from "./geo.js";
import { registerJsonBodyParser } from "./jsonBody.js";
import { registerOpenApi } from "./openapi.js";
import { ok, SERVICE_RESPONSE } from "./responseSchemas.js";
import { referenceRoutes } from "./reference.js";
import { ResultCache } from "./resultCache.js";
import { analysisRoutes } from "./analysis.js";
import { compareRoutes, makeRunReader } from "./compare.js";
import { resultRoutes } from "./results.js";
import { runRoutes } from "./runs.js";
import { scenarioRoutes } from "./scenarios.js";
import { makeValidatorCompiler } from "./validation.js";
import type { DistributedOptions } from "../distributed/distributedRun.js";

export interface AppOptions {
  /** Scenarios, runs and results live here; created when missing. */
  dataDir: string;
  /** Runs that may wait behind the running one before POST /v1/runs answers 429. Default 4. */
  maxQueued?: number;
  /** When set, every write endpoint needs this key (X-API-Key or Authorization: Bearer). */
  apiKey?: string;
  /** Largest accepted request body. Default 256 KiB: a scenario is a few hundred bytes. */
  bodyLimitBytes?: number;
  /**
   * Time a client has to send a whole request (headers and body) before it gets 408
   * FD_ERR_REQUEST_TIMEOUT and the connection is closed. Default 30 s: a slow or stalled client
   * must not hold a connection forever (Fastify's own default is no limit).
   */
  requestTimeoutMs?: number;
  /** Budget for serialised results kept in memory. Default 64 MiB. */
  resultCacheBytes?: number;
  /** Worker threads for projections (default: the projection's own). */
  threads?: number;
  /** Runs replications over `fordeling worker`s on Redis (docs/SCALE.md). */
  distributed?: DistributedOptions;
  /** Runs projections; default the real one. Tests may inject a small executor. */
  executor?: RunExecutor;
  /** Overrides the model version that enters run keys (tests). */
  modelVersion?: string;
  logger?: FastifyServerOptions["logger"];
  /** The run store's file-system seam for record writes (fault-injection tests). */
  writeRecordJson?: (file: string, value: unknown) => Promise<void>;
  /** Wait before trying again to start a run whose record could not be written. Default 5 s. */
  startRetryMs?: number;
}

export const DEFAULT_MAX_QUEUED = 4;
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Node looks for requests past their timeout this often (its default, 30 s, would let a 30 s limit run to 60 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
const DEFAULT_RESULT_CACHE_BYTES = 64 * 1024 * 1024;

declare module "fastify" {
  interface FastifyInstance {
    fordeling: ApiContext;
  }
}

/**
 * The HTTP API, ready for `inject()` or `listen()`: not listening yet. Closing the app stops
 * the run queue (a running projection is aborted and reported `interrupted`) and the workers.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    requestTimeout: requestTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, requestTimeoutMs) },
    // Ids in paths are validated by pattern; long URLs are refused before routing.
    routerOptions: { maxParamLength: 128, ignoreTrailingSlash: true },
    // Refused during shutdown by the hook below, so the 503 has the usual error body.
    return503OnClosing: false,
    ...FRAMEWORK_ERROR_OPTIONS,
  });
  const dataDir = openDataDir(options.dataDir);
  const lock = lockDataDir(dataDir);
  let runs: RunService;
  try {
    runs = await RunService.open({
      dataDir,
      executor:
        options.executor ??
        makeProjectionExecutor({
          dataDir,
          ...(options.threads !== undefined ? { threads: options.threads } : {}),
          ...(options.distributed !== undefined ? { distributed: options.distributed } : {}),
        }),
      maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED,
      modelVersion: options.modelVersion ?? modelVersion(),
      log: (message, details) => app.log.warn(details, message),
      ...(options.writeRecordJson !== undefined ? { writeJson: options.writeRecordJson } : {}),
      ...(options.startRetryMs !== undefined ? { startRetryMs: options.startRetryMs } : {}),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  const ctx: ApiContext = {
    dataDir,
    runs,
    scenarios: new ScenarioStore(dataDir),
    results: new ResultCache(options.resultCacheBytes ?? DEFAULT_RESULT_CACHE_BYTES),
  };

  app.decorate("fordeling", ctx);
  // Bodies are JSON only: a text body would reach validation as a string and confuse the error.
  app.removeContentTypeParser("text/plain");
  registerJsonBodyParser(app);
  app.setValidatorCompiler(makeValidatorCompiler());
  registerErrorHandling(app, dataDir.root);
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (!closing) return;
    reply.header("connection", "close");
    throw new FordelingError("FD_ERR_UNAVAILABLE", "the server is shutting down; retry against another instance or later");
  });
  // gzip/br/deflate by Accept-Encoding for bodies over 1 KiB; Parquet, Arrow and xlsx are
  // already compact and their types are not in the compressible list, so they go as they are.
  await app.register(compress, { global: true, threshold: 1024 });
  registerApiKey(app, options.apiKey);
  await registerOpenApi(app, { apiKey: options.apiKey !== undefined && options.apiKey !== "" });

  const serviceSchema = { summary: "Service status and model version", tags: ["service"], operationId: "getService" };
  app.get("/v1", { schema: { ...serviceSchema, response: ok(SERVICE_RESPONSE, "the service") } }, async () => ({
    service: "fordeling",
    modelVersion: runs.modelVersion,
    queue: { running: runs.queue.runningId ?? null, queued: runs.queue.queuedCount },
    docs: "/docs",
    openapi: "/openapi.json",
  }));
  referenceRoutes(app);
  geoRoutes(app);
  scenarioRoutes(app, ctx);
  runRoutes(app, ctx);
  resultRoutes(app, ctx);
  const runOf = makeRunReader(ctx);
  compareRoutes(app, ctx, runOf);
  analysisRoutes(app, ctx, runOf);
  chartRoutes(app, ctx);
  await registerDashboard(app);

  app.addHook("onClose", async () => {
    try {
      await runs.close();
    } finally {
      lock.release();
    }
  });
  return app;
}
