import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { decompositionWaterfall, sensitivityTornado } from "../results/analysisCharts.js";
import { COMPARED_METRICS } from "../results/compare.js";
import { decompose } from "../results/decomposition.js";
import { sensitivity } from "../results/sensitivity.js";
import { areaSelectionProperties, asciiHeader, RUN_ID, sendCached, type RunReader } from "./compare.js";
import type { ApiContext } from "./context.js";
import type { CsvDialect } from "../io/csv.js";
import { negotiateFormat, OUTPUT_QUERY_PROPERTIES, type ResultFormat } from "./formats.js";
import { serialiseTable, type SerialisedBody } from "./resultCache.js";
import { cacheKey, fileNameOf, makeOutputOptions } from "./results.js";

/** Sensitivity and decomposition of one run, as tables and charts, through src/results (as the CLI). */

interface AnalysisQuery {
  outcome?: string;
  level?: "council" | "national" | "all" | "municipality";
  year?: number;
  area?: string;
  format?: ResultFormat;
  dialect?: CsvDialect;
  round?: boolean;
}

const PARAMS = { type: "object", required: ["runId"], properties: { runId: RUN_ID } } as const;
const QUERY_PROPERTIES = {
  ...areaSelectionProperties("all", "only this council id (or DK, or a municipality's code); the chart's area (default DK)"),
  year: { type: "integer", minimum: 2000, maximum: 2100, description: "only this year (decomposition: the end year; default the horizon)" },
  ...OUTPUT_QUERY_PROPERTIES,
} as const;
const OUTCOME = {
  type: "string",
  enum: COMPARED_METRICS.map((m) => m.column),
  default: "gap",
  description: "the outcome to explain",
} as const;

function svgBody(svg: string): SerialisedBody {
  const body = Buffer.from(svg, "utf8");
  return {
    body,
    contentType: "image/svg+xml; charset=utf-8",
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
  };
}

const selection = (q: AnalysisQuery): { level?: AnalysisQuery["level"]; year?: number; area?: string } => ({
  ...(q.level !== undefined ? { level: q.level } : {}),
  ...(q.year !== undefined ? { year: q.year } : {}),
  ...(q.area !== undefined ? { area: q.area } : {}),
});

export function analysisRoutes(app: FastifyInstance, ctx: ApiContext, runOf: RunReader): void {
  const outputOptions = makeOutputOptions(ctx);
  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/sensitivity",
    {
      schema: {
        summary:
          "Partial rank correlation of each drawn parameter with the gap (or ?outcome=) per council, nation and year, with 95 % intervals",
        tags: ["analysis"],
        operationId: "getSensitivity",
        params: PARAMS,
        querystring: { type: "object", additionalProperties: false, properties: { outcome: OUTCOME, ...QUERY_PROPERTIES } },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const q = request.query;
      const key = cacheKey(["s", runId, q.outcome ?? "gap", q.level ?? "all", q.year, q.area, format, q.dialect, q.round]);
      const name = fileNameOf([runId.slice(0, 12), "sensitivity", q.outcome, q.level, q.year, q.area]);
      return sendCached(ctx, request, reply, key, { name, format }, async () => {
        const run = await runOf(runId, "params.runId", { municipalities: q.level === "municipality" });
        const s = sensitivity(run.data, { outcome: q.outcome ?? "gap", ...selection(q) });
        const body = await serialiseTable(s.table, format, await outputOptions([runId], q, format));
        return { body, headers: { "fordeling-warnings": asciiHeader(s.warnings.join("; ")) } };
      });
    },
  );

  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/sensitivity/tornado.svg",
    {
      schema: {
        summary: "Tornado chart (SVG) of the sensitivity of one area (?area=, default DK) in one year (?year=, default the horizon)",
        tags: ["analysis"],
        operationId: "getSensitivityTornado",
        params: PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { outcome: OUTCOME, year: QUERY_PROPERTIES.year, area: QUERY_PROPERTIES.area },
        },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const q = request.query;
      const name = fileNameOf([runId.slice(0, 12), "tornado", q.outcome, q.year, q.area ?? "DK"]);
      return sendCached(ctx, request, reply, cacheKey(["st", runId, q.outcome ?? "gap", q.year, q.area ?? "DK"]), { name }, async () => {
        const run = await runOf(runId, "params.runId", { municipalities: q.level === "municipality" });
        const year = q.year ?? run.data.years[run.data.years.length - 1] ?? 0;
        const area = q.area ?? "DK";
        const s = sensitivity(run.data, { outcome: q.outcome ?? "gap", area, year });
        return { body: svgBody(sensitivityTornado(s, run.data, area, year)), headers: {} };
      });
    },
  );

  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/decomposition",
    {
      schema: {
        summary:
          "Change of each council's mean gap from the base year to the horizon (or ?year=) split into population growth, weight drift, " +
          "retirements, entrants, movers, tendered and temporary clinics; the parts add up to the change",
        tags: ["analysis"],
        operationId: "getDecomposition",
        params: PARAMS,
        querystring: { type: "object", additionalProperties: false, properties: QUERY_PROPERTIES },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const q = request.query;
      const key = cacheKey(["d", runId, q.level ?? "all", q.year, q.area, format, q.dialect, q.round]);
      const name = fileNameOf([runId.slice(0, 12), "decomposition", q.level, q.year, q.area]);
      return sendCached(ctx, request, reply, key, { name, format }, async () => {
        const run = await runOf(runId, "params.runId", { municipalities: q.level === "municipality" });
        const d = decompose(run.data, selection(q));
        const note = d.missing.length > 0 ? `${d.missing.join(" and ")}: 0 (not recorded in this older run: project again)` : "";
        const body = await serialiseTable(d.table, format, await outputOptions([runId], q, format));
        return { body, headers: { "fordeling-warnings": asciiHeader(note) } };
      });
    },
  );

  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/decomposition/waterfall.svg",
    {
      schema: {
        summary: "Waterfall chart (SVG) of the decomposition of one area (?area=, default DK)",
        tags: ["analysis"],
        operationId: "getDecompositionWaterfall",
        params: PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { year: QUERY_PROPERTIES.year, area: QUERY_PROPERTIES.area },
        },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const q = request.query;
      const name = fileNameOf([runId.slice(0, 12), "waterfall", q.year, q.area ?? "DK"]);
      return sendCached(ctx, request, reply, cacheKey(["dw", runId, q.year, q.area ?? "DK"]), { name }, async () => {
        const run = await runOf(runId, "params.runId", { municipalities: q.level === "municipality" });
        const d = decompose(run.data, q.year !== undefined ? { year: q.year } : {});
        return { body: svgBody(decompositionWaterfall(d, run.data, q.area ?? "DK")), headers: {} };
      });
    },
  );
}
