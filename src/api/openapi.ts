import { readFileSync } from "node:fs";
import { join } from "node:path";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifySchema } from "fastify";
import { PACKAGE_ROOT } from "../paths.js";
import { ERROR_RESPONSE_SCHEMA } from "./errors.js";
import { MEDIA_TYPES } from "./formats.js";

/** Result tables come in several media types; documented here, sent as pre-serialised bytes. */
/** The analysis charts (tornado, waterfall): one SVG document. */
const SVG_RESPONSES = {
  200: {
    description: "an SVG chart",
    headers: { ETag: { type: "string", description: "tag of the chart; send it back in If-None-Match" } },
    content: { "image/svg+xml": { schema: { type: "string" } } },
  },
} as const;

const TABULAR_RESPONSES = {
  200: {
    description: "one record per area and year; the format by ?format= or Accept",
    headers: {
      // @fastify/swagger wraps each header schema into { schema, description } itself.
      ETag: { type: "string", description: "weak tag of the representation; send it back in If-None-Match" },
      "Content-Disposition": { type: "string", description: "a file name naming run, level and selection" },
    },
    content: {
      "application/json": { schema: { type: "array", items: { type: "object", additionalProperties: true } } },
      "text/csv": { schema: { type: "string" } },
      [MEDIA_TYPES.arrow]: { schema: { type: "string", format: "binary" } },
      [MEDIA_TYPES.parquet]: { schema: { type: "string", format: "binary" } },
      [MEDIA_TYPES.xlsx]: { schema: { type: "string", format: "binary" } },
    },
  },
  304: { description: "not modified: the client's If-None-Match names this representation" },
};

/** `GET /v1/runs/:runId/results` → `getV1RunsRunIdResults`: for routes that name no operationId. */
function derivedOperationId(method: string, url: string): string {
  const words = url.split(/[/:_-]+/u).filter((w) => w !== "");
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

export interface OpenApiOptions {
  /** Whether writes need the key; without one they are open, which the document says too. */
  apiKey: boolean;
  /** Where the API is served; default: relative to the document (the server that sends it). */
  serverUrl?: string;
}

/**
 * The OpenAPI document is generated from the route schemas (the same schemas that validate
 * requests and serialise responses, so the two cannot drift): /openapi.json, with interactive
 * docs at /docs. Write routes (config.write) declare both ways of sending the key (X-API-Key
 * and Authorization: Bearer); reads declare that they need none. Every route documents the
 * error body; routes without an operationId get one derived from method and path.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string; description: string };
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "fordeling API",
        version: pkg.version,
        description:
          `${pkg.description}. Scenario runs (Monte Carlo projections of GP capacity vs need) and their results ` +
          "per health council, municipality and year as JSON, CSV, Arrow IPC, Parquet or xlsx. Errors: { code, message, location } " +
          "with the codes of docs/ERRORS.md.",
        license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
      },
      servers: [{ url: options.serverUrl ?? "/", description: "this server" }],
      components: {
        securitySchemes: {
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "the key given to `fordeling serve` (--api-key-env)" },
          bearerAuth: { type: "http", scheme: "bearer", description: "the same key as `Authorization: Bearer KEY`" },
        },
        schemas: { Error: ERROR_RESPONSE_SCHEMA as unknown as Record<string, unknown> },
      },
      tags: [
        { name: "service", description: "status and version" },
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
      const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
      documented["operationId"] ??= derivedOperationId(method, url);
      const keyed = [{ apiKey: [] }, { bearerAuth: [] }];
      documented["security"] = route.config?.write === true ? (options.apiKey ? keyed : [...keyed, {}]) : [];
      // Error responses are documented by reference; they are not serialised through a schema.
      const tabular =
        url.startsWith("/v1/runs/:runId/results/") ||
        url === "/v1/compare" ||
        /^\/v1\/runs\/:runId\/(sensitivity|decomposition)$/u.test(url);
      documented["response"] = {
        ...((schema as { response?: object } | undefined)?.response ?? {}),
        ...(tabular ? TABULAR_RESPONSES : {}),
        ...(url.endsWith(".svg") ? SVG_RESPONSES : {}),
        "4XX": { description: "an error: { code, message, location }", $ref: "#/components/schemas/Error" },
      };
      return { schema: documented as FastifySchema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
