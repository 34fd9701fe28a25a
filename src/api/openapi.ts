import { readFileSync } from "node:fs";
import { join } from "node:path";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifySchema } from "fastify";
import { PACKAGE_ROOT } from "../paths.js";
import { ERROR_RESPONSE_SCHEMA } from "./errors.js";
import { MEDIA_TYPES } from "./formats.js";

/** Result tables come in three media types; documented here, sent as pre-serialised bytes. */
const TABULAR_RESPONSE = {
  description: "one record per area and year; the format by ?format= or Accept",
  content: {
    "application/json": { schema: { type: "array", items: { type: "object", additionalProperties: true } } },
    "text/csv": { schema: { type: "string" } },
    [MEDIA_TYPES.arrow]: { schema: { type: "string", format: "binary" } },
  },
};

/**
 * The OpenAPI document is generated from the route schemas (the same schemas that validate
 * requests, so the two cannot drift): /openapi.json, with interactive docs at /docs. Write
 * routes are marked as needing the API key; every route documents the error body.
 */
export async function registerOpenApi(app: FastifyInstance, options: { apiKey: boolean }): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string; description: string };
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "fordeling API",
        version: pkg.version,
        description:
          `${pkg.description}. Scenario runs (Monte Carlo projections of GP capacity vs need) and their results ` +
          "per health council, municipality and year as JSON, CSV or Arrow IPC. Errors: { code, message, location } with the codes of docs/ERRORS.md.",
      },
      components: {
        securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
        schemas: { Error: ERROR_RESPONSE_SCHEMA as unknown as Record<string, unknown> },
      },
      tags: [
        { name: "service" },
        { name: "reference", description: "municipalities, health councils, regions" },
        { name: "model", description: "the weight table, baseline parameters and scenario schema" },
        { name: "scenarios", description: "overrides on the baseline, stored in the data dir" },
        { name: "runs", description: "projection runs: queued, run in the worker pool, stored" },
        { name: "results", description: "stored results and comparisons" },
        { name: "analysis", description: "sensitivity and decomposition of a stored run (docs/ANALYSIS.md)" },
      ],
    },
    transform: ({ schema, url, route }) => {
      const documented: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
      if (options.apiKey && route.config?.write === true) documented["security"] = [{ apiKey: [] }];
      // Error responses are documented by reference; they are not serialised through a schema.
      const tabular = url.startsWith("/v1/runs/:runId/results/") || url === "/v1/compare" || /^\/v1\/runs\/:runId\/(sensitivity|decomposition)$/u.test(url);
      documented["response"] = {
        ...((schema as { response?: object } | undefined)?.response ?? {}),
        ...(tabular ? { 200: TABULAR_RESPONSE } : {}),
        "4XX": { description: "an error: { code, message, location }", $ref: "#/components/schemas/Error" },
      };
      return { schema: documented as FastifySchema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
