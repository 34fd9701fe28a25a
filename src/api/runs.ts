import type { FastifyInstance, FastifyReply } from "fastify";
import { FordelingError, isFordelingError } from "../errors.js";
import { baselineScenario, type Scenario } from "../model/scenario.js";
import { MAX_HORIZON_YEAR } from "../projection/run.js";
import { BASE_YEAR } from "../projection/replication.js";
import { FILE_NAME_PATTERN, RUN_ID_PATTERN, SCENARIO_ID_PATTERN } from "../runs/dataDir.js";
import type { PopulationSpec, RunRecord } from "../runs/types.js";
import type { ApiContext } from "./context.js";
import { ok, okList, RUN_CANCELLED_RESPONSES, RUN_RESPONSE, RUN_SUBMITTED_RESPONSES } from "./responseSchemas.js";
import { publicErrorBody } from "./serverPaths.js";
import { parseScenarioFromBody, scenarioBodySchema } from "./scenarios.js";

/** Limits of a run request; a run beyond them would hold the pool for hours. */
export const RUN_LIMITS = {
  replications: { minimum: 1, maximum: 10_000, default: 200 },
  seed: { minimum: 0, maximum: 4_294_967_295, default: 1 },
  horizonYear: { minimum: BASE_YEAR + 1, maximum: MAX_HORIZON_YEAR, default: 2027 },
  scale: { minimum: 0.0001, maximum: 1 },
} as const;

const POPULATION_SCHEMA = {
  type: "object",
  description: "the population to project: the default synthetic one, a file in the data dir, or one generated for the run",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    { type: "object", additionalProperties: false, required: ["kind"], properties: { kind: { const: "default" } } },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "name"],
      properties: {
        kind: { const: "file" },
        name: { type: "string", pattern: FILE_NAME_PATTERN, description: "an Arrow population file in DATA_DIR/populations" },
        register: {
          type: "string",
          pattern: FILE_NAME_PATTERN,
          description: "a GP register CSV in DATA_DIR/registers (default: the synthetic one)",
        },
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "scale", "seed"],
      properties: {
        kind: { const: "generated" },
        scale: { type: "number", ...RUN_LIMITS.scale, description: "share of the real population (1 = 6.0 M residents)" },
        seed: { type: "integer", minimum: 0, maximum: RUN_LIMITS.seed.maximum },
      },
    },
  ],
  default: { kind: "default" },
} as const;

export const RUN_REQUEST_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    scenario: scenarioBodySchema(),
    scenarioId: {
      type: "string",
      pattern: SCENARIO_ID_PATTERN,
      description: "a stored scenario (POST /v1/scenarios); neither: the baseline",
    },
    replications: { type: "integer", ...RUN_LIMITS.replications },
    seed: { type: "integer", ...RUN_LIMITS.seed },
    horizonYear: { type: "integer", ...RUN_LIMITS.horizonYear, description: "last projected year" },
    population: POPULATION_SCHEMA,
  },
} as const;

const RUN_ID_PARAMS = {
  type: "object",
  required: ["runId"],
  properties: { runId: { type: "string", pattern: RUN_ID_PATTERN } },
} as const;

interface RunBody {
  scenario?: unknown;
  scenarioId?: string;
  replications: number;
  seed: number;
  horizonYear: number;
  population: PopulationSpec;
}

/** A record with links a client can follow; an error in it names no server path. */
export function runView(record: RunRecord, dataDirRoot: string): RunRecord & { links: Record<string, string> } {
  const self = `/v1/runs/${record.id}`;
  const links: Record<string, string> = { self, cancel: `${self}/cancel` };
  if (record.status === "succeeded") {
    links["results"] = `${self}/results`;
    links["manifest"] = `${self}/manifest`;
  }
  const view = record.error === undefined ? record : { ...record, error: publicErrorBody(record.error, dataDirRoot) };
  return { ...view, links };
}

/** How long DELETE/cancel waits for a running run to stop before answering 202. */
const CANCEL_WAIT_MS = 10_000;

export function runRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: RunBody }>(
    "/v1/runs",
    {
      config: { write: true },
      schema: {
        summary: "Start a projection run (202); an identical earlier run answers from its stored result (200)",
        tags: ["runs"],
        operationId: "startRun",
        body: RUN_REQUEST_SCHEMA,
        response: RUN_SUBMITTED_RESPONSES,
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.scenario !== undefined && body.scenarioId !== undefined) {
        throw new FordelingError("FD_ERR_BAD_VALUE", "give either 'scenario' or 'scenarioId', not both", { field: "body.scenarioId" });
      }
      const scenario = await resolveScenario(ctx, body);
      try {
        const { record, outcome } = await ctx.runs.submit({
          scenario,
          replications: body.replications,
          seed: body.seed,
          horizonYear: body.horizonYear,
          population: body.population,
        });
        return await reply
          .status(outcome === "stored" ? 200 : 202)
          .header("location", `/v1/runs/${record.id}`)
          .send({ ...runView(record, ctx.dataDir.root), outcome });
      } catch (error) {
        if (isFordelingError(error) && error.code === "FD_ERR_QUEUE_FULL") {
          reply.header("retry-after", String(ctx.runs.queue.retryAfterSeconds()));
        }
        throw error;
      }
    },
  );

  app.get<{ Querystring: { status?: RunRecord["status"]; limit: number } }>(
    "/v1/runs",
    {
      schema: {
        summary: "Runs, newest first",
        tags: ["runs"],
        operationId: "listRuns",
        response: okList(RUN_RESPONSE, "the runs, newest first"),
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] },
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (request) =>
      ctx.runs
        .list()
        .filter((r) => request.query.status === undefined || r.status === request.query.status)
        .slice(0, request.query.limit)
        .map((record) => runView(record, ctx.dataDir.root)),
  );

  app.get<{ Params: { runId: string } }>(
    "/v1/runs/:runId",
    {
      schema: {
        summary: "A run's status, progress and ETA",
        tags: ["runs"],
        operationId: "getRun",
        params: RUN_ID_PARAMS,
        response: ok(RUN_RESPONSE, "the run"),
      },
    },
    async (request) => runView(ctx.runs.get(request.params.runId), ctx.dataDir.root),
  );

  const cancel = async (runId: string, reply: FastifyReply): Promise<FastifyReply> => {
    const stopped = ctx.runs.cancel(runId).then(() => true);
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), CANCEL_WAIT_MS).unref());
    const done = await Promise.race([stopped, timeout]);
    return reply.status(done ? 200 : 202).send(runView(ctx.runs.get(runId), ctx.dataDir.root));
  };
  const cancelSchema = {
    summary: "Cancel a queued or running run",
    tags: ["runs"],
    params: RUN_ID_PARAMS,
    response: RUN_CANCELLED_RESPONSES,
  };
  app.delete<{ Params: { runId: string } }>(
    "/v1/runs/:runId",
    { config: { write: true }, schema: { ...cancelSchema, operationId: "deleteRun" } },
    async (request, reply) => cancel(request.params.runId, reply),
  );
  app.post<{ Params: { runId: string } }>(
    "/v1/runs/:runId/cancel",
    { config: { write: true }, schema: { ...cancelSchema, operationId: "cancelRun" } },
    async (request, reply) => cancel(request.params.runId, reply),
  );
}

async function resolveScenario(ctx: ApiContext, body: RunBody): Promise<Scenario> {
  if (body.scenarioId !== undefined) return ctx.scenarios.get(body.scenarioId, "body.scenarioId");
  if (body.scenario === undefined) return baselineScenario();
  return parseScenarioFromBody(ctx, body.scenario, "body.scenario");
}
