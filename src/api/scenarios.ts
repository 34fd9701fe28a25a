import type { FastifyInstance } from "fastify";
import { FordelingError, isFordelingError } from "../errors.js";
import type { Scenario } from "../model/scenario.js";
import { SCENARIO_JSON_SCHEMA } from "../model/scenario.js";
import { SCENARIO_ID_PATTERN } from "../runs/dataDir.js";
import type { ApiContext } from "./context.js";
import { ERROR_RESPONSE_SCHEMA } from "./errors.js";
import { ok, okList, SCENARIO_RESPONSE, SCENARIO_STORED_RESPONSES } from "./responseSchemas.js";

/** The scenario schema as a body schema: without the keys that make it a standalone document. */
export function scenarioBodySchema(): Record<string, unknown> {
  const { $schema: _s, $id: _i, title: _t, ...schema } = SCENARIO_JSON_SCHEMA as Record<string, unknown>;
  return { ...schema, description: "a scenario: overrides on the baseline projection parameters (GET /v1/model/scenario-schema)" };
}

/**
 * Validates a scenario from a request body and names fields from the body down
 * (`body.parameters.training.fillRate`, `body.scenario.…` inside a run), like schema errors do.
 */
export function parseScenarioFromBody(ctx: ApiContext, value: unknown, prefix: string): Scenario {
  try {
    return ctx.scenarios.parse(value);
  } catch (error) {
    if (!isFordelingError(error) || error.location.field === undefined) throw error;
    const message = error.message.replace(/^[^:]*field '[^']*': /u, "");
    throw new FordelingError(error.code, message, { field: `${prefix}.${error.location.field}` });
  }
}

export function scenarioRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: unknown }>(
    "/v1/scenarios",
    {
      config: { write: true },
      schema: {
        summary: "Store a scenario under its id (201; 200 when the same scenario exists; 409 when another does)",
        tags: ["scenarios"],
        operationId: "createScenario",
        body: scenarioBodySchema(),
        response: SCENARIO_STORED_RESPONSES,
      },
    },
    async (request, reply) => {
      const { scenario, created } = await ctx.scenarios.create(parseScenarioFromBody(ctx, request.body, "body"));
      return reply
        .status(created ? 201 : 200)
        .header("location", `/v1/scenarios/${scenario.id}`)
        .send(scenario);
    },
  );

  app.get(
    "/v1/scenarios",
    {
      schema: {
        summary: "Every stored scenario",
        tags: ["scenarios"],
        operationId: "listScenarios",
        response: okList(SCENARIO_RESPONSE, "the stored scenarios, by id"),
      },
    },
    async () => ctx.scenarios.list(),
  );

  app.get<{ Params: { scenarioId: string } }>(
    "/v1/scenarios/:scenarioId",
    {
      schema: {
        summary: "One stored scenario",
        tags: ["scenarios"],
        operationId: "getScenario",
        response: ok(SCENARIO_RESPONSE, "the scenario"),
        params: {
          type: "object",
          required: ["scenarioId"],
          properties: { scenarioId: { type: "string", pattern: SCENARIO_ID_PATTERN } },
        },
      },
    },
    async (request) => ctx.scenarios.get(request.params.scenarioId),
  );

  app.post<{ Body: unknown }>(
    "/v1/scenarios/validate",
    {
      schema: {
        summary: "Check a scenario without storing it: 200 with { valid, error? }",
        tags: ["scenarios"],
        operationId: "validateScenario",
        body: { type: "object", description: "a scenario (see GET /v1/model/scenario-schema); checked in full by the handler" },
        response: {
          200: {
            description: "whether the scenario is valid, and the error when it is not",
            type: "object",
            required: ["valid"],
            properties: {
              valid: { type: "boolean" },
              scenario: { type: "object", additionalProperties: true },
              error: ERROR_RESPONSE_SCHEMA,
            },
          },
        },
      },
    },
    async (request) => {
      try {
        return { valid: true, scenario: parseScenarioFromBody(ctx, request.body, "body") };
      } catch (error) {
        if (!isFordelingError(error)) throw error;
        return { valid: false, error: { code: error.code, message: error.message, location: error.location } };
      }
    },
  );
}
