import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { decompositionWaterfall, sensitivityTornado } from "../results/analysisCharts.js";
import { COMPARED_METRICS } from "../results/compare.js";
import { decompose } from "../results/decomposition.js";
import { sensitivity } from "../results/sensitivity.js";
import { asciiHeader, RUN_ID, sendCached, type RunReader } from "./compare.js";
import type { ApiContext } from "./context.js";
import { FORMAT_QUERY_SCHEMA, negotiateFormat, type ResultFormat } from "./formats.js";
import { serialiseTable, type SerialisedBody } from "./resultCache.js";

/** Sensitivity and decomposition of one run, as tables and charts, through src/results (as the CLI). */

interface AnalysisQuery {
  outcome?: string;
  level?: "council" | "national" | "all";
  year?: number;
  area?: string;
  format?: ResultFormat;
}

const PARAMS = { type: "object", required: ["runId"], properties: { runId: RUN_ID } } as const;
const QUERY_PROPERTIES = {
  level: { type: "string", enum: ["council", "national", "all"], default: "all", description: "councils, the nation or both" },
  year: { type: "integer", minimum: 2000, maximum: 2100, description: "only this year (decomposition: the end year; default the horizon)" },
  area: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$", description: "only this council id (or DK); the chart's area (default DK)" },
  format: FORMAT_QUERY_SCHEMA,
} as const;
const OUTCOME = { type: "string", enum: COMPARED_METRICS.map((m) => m.column), default: "gap", description: "the outcome to explain" } as const;

function svgBody(svg: string): SerialisedBody {
  const body = Buffer.from(svg, "utf8");
  return { body, contentType: "image/svg+xml; charset=utf-8", etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

const selection = (q: AnalysisQuery): { level?: "council" | "national" | "all"; year?: number; area?: string } => ({
  ...(q.level !== undefined ? { level: q.level } : {}),
  ...(q.year !== undefined ? { year: q.year } : {}),
  ...(q.area !== undefined ? { area: q.area } : {}),
});

export function analysisRoutes(app: FastifyInstance, ctx: ApiContext, runOf: RunReader): void {
  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/sensitivity",
    {
      schema: {
        summary: "Partial rank correlation of each drawn parameter with the gap (or ?outcome=) per council, nation and year, with 95 % intervals",
        tags: ["analysis"],
        params: PARAMS,
        querystring: { type: "object", additionalProperties: false, properties: { outcome: OUTCOME, ...QUERY_PROPERTIES } },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const q = request.query;
      const key = `s/${runId}/${q.outcome ?? "gap"}/${q.level ?? "all"}/${q.year ?? "*"}/${q.area ?? "*"}/${format}`;
      return sendCached(ctx, request, reply, key, async () => {
        const run = await runOf(runId, "params.runId");
        const s = sensitivity(run.data, { outcome: q.outcome ?? "gap", ...selection(q) });
        return { body: serialiseTable(s.table, format), headers: { "fordeling-warnings": asciiHeader(s.warnings.join("; ")) } };
      });
    },
  );

  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/sensitivity/tornado.svg",
    {
      schema: {
        summary: "Tornado chart (SVG) of the sensitivity of one area (?area=, default DK) in one year (?year=, default the horizon)",
        tags: ["analysis"],
        params: PARAMS,
        querystring: { type: "object", additionalProperties: false, properties: { outcome: OUTCOME, year: QUERY_PROPERTIES.year, area: QUERY_PROPERTIES.area } },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const q = request.query;
      return sendCached(ctx, request, reply, `st/${runId}/${q.outcome ?? "gap"}/${q.year ?? "*"}/${q.area ?? "DK"}`, async () => {
        const run = await runOf(runId, "params.runId");
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
        params: PARAMS,
        querystring: { type: "object", additionalProperties: false, properties: QUERY_PROPERTIES },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const q = request.query;
      return sendCached(ctx, request, reply, `d/${runId}/${q.level ?? "all"}/${q.year ?? "*"}/${q.area ?? "*"}/${format}`, async () => {
        const run = await runOf(runId, "params.runId");
        const d = decompose(run.data, selection(q));
        const note = d.missing.length > 0 ? `${d.missing.join(" and ")}: 0 (the GP-supply model does not record them yet)` : "";
        return { body: serialiseTable(d.table, format), headers: { "fordeling-warnings": asciiHeader(note) } };
      });
    },
  );

  app.get<{ Params: { runId: string }; Querystring: AnalysisQuery }>(
    "/v1/runs/:runId/decomposition/waterfall.svg",
    {
      schema: {
        summary: "Waterfall chart (SVG) of the decomposition of one area (?area=, default DK)",
        tags: ["analysis"],
        params: PARAMS,
        querystring: { type: "object", additionalProperties: false, properties: { year: QUERY_PROPERTIES.year, area: QUERY_PROPERTIES.area } },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const q = request.query;
      return sendCached(ctx, request, reply, `dw/${runId}/${q.year ?? "*"}/${q.area ?? "DK"}`, async () => {
        const run = await runOf(runId, "params.runId");
        const d = decompose(run.data, q.year !== undefined ? { year: q.year } : {});
        return { body: svgBody(decompositionWaterfall(d, run.data, q.area ?? "DK")), headers: {} };
      });
    },
  );
}
