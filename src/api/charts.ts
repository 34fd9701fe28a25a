import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fresh from "fresh";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { FordelingError } from "../errors.js";
import { LANGUAGES, label, type Language } from "../charts/dictionary.js";
import { MEASURE_IDS, MEASURES, type MeasureId } from "../charts/measures.js";
import { resultFanChart, resultMap, yearsOf } from "../charts/resultCharts.js";
import { renderSvg } from "../charts/svg.js";
import { referenceAreaNames, rowsOfTable } from "../projection/fanChart.js";
import { RUN_ID_PATTERN } from "../runs/dataDir.js";
import { readResultTable } from "../runs/resultTables.js";
import { RESULT_MARKER } from "../runs/store.js";
import type { ApiContext } from "./context.js";
import type { SerialisedBody } from "./resultCache.js";

const SVG_TYPE = "image/svg+xml; charset=utf-8";
const RUN_PARAMS = { type: "object", required: ["runId"], properties: { runId: { type: "string", pattern: RUN_ID_PATTERN } } } as const;
const LANG = { type: "string", enum: [...LANGUAGES], default: "en", description: "labels in Danish (da) or English (en)" } as const;
const SVG_RESPONSE = { 200: { description: "an SVG document", content: { "image/svg+xml": { schema: { type: "string" } } } } };

interface FanQuery {
  lang: Language;
  scale: "shared" | "panel";
  council?: string;
}
interface MapQuery {
  lang: Language;
  level: "council" | "municipality";
  measure: MeasureId;
  year?: number;
}

function svgBody(svg: string): SerialisedBody {
  const body = Buffer.from(svg, "utf8");
  return { body, contentType: SVG_TYPE, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

function send(request: FastifyRequest, reply: FastifyReply, entry: SerialisedBody): FastifyReply {
  reply.header("etag", entry.etag).header("cache-control", "public, max-age=86400");
  if (fresh(request.headers, { etag: entry.etag })) return reply.status(304).send();
  return reply.type(entry.contentType).send(entry.body);
}

/**
 * A stored result's charts as SVG, drawn from its tables by the same chart code as the CLI's
 * files and the dashboard (src/charts): the fan chart and a map of one measure and year.
 * A result never changes, so each rendering is cached with the serialised results.
 */
export function chartRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const names = referenceAreaNames();
  const caption = async (runId: string, lang: Language): Promise<string> => {
    try {
      const manifest = JSON.parse(await readFile(join(ctx.runs.resultDir(runId), RESULT_MARKER), "utf8")) as {
        replications?: number;
        seed?: number;
        scenario?: { id?: string };
      };
      return label(lang, "fan.caption", {
        replications: manifest.replications ?? "?",
        scenario: manifest.scenario?.id ?? "?",
        seed: manifest.seed ?? "?",
      });
    } catch {
      return "";
    }
  };
  const rowsOf = async (runId: string, level: "council" | "municipality" | "national") =>
    rowsOfTable(await readResultTable(ctx.runs.resultDir(runId), level));

  app.get<{ Params: { runId: string }; Querystring: FanQuery }>(
    "/v1/runs/:runId/charts/fan.svg",
    {
      schema: {
        summary: "Fan charts of need and supply (median, P5–P95), nationally and per council, as SVG",
        tags: ["results"],
        operationId: "getFanChart",
        params: RUN_PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            lang: LANG,
            scale: {
              type: "string",
              enum: ["shared", "panel"],
              default: "shared",
              description: "one y-scale for all councils, or each panel its own",
            },
            council: { type: "string", pattern: "^[a-z0-9-]{1,64}$", description: "only this council (beside the nation)" },
          },
        },
        response: SVG_RESPONSE,
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const { lang, scale, council } = request.query;
      const key = `chart/fan/${runId}/${lang}/${scale}/${council ?? "*"}`;
      let entry = ctx.results.get(key);
      if (entry === undefined) {
        const [national, councils, text] = await Promise.all([rowsOf(runId, "national"), rowsOf(runId, "council"), caption(runId, lang)]);
        const spec = resultFanChart(national, councils, names, {
          lang,
          scale,
          caption: text,
          ...(council !== undefined ? { councils: [council], columns: 2 } : {}),
        });
        entry = svgBody(renderSvg(spec));
        ctx.results.set(key, entry);
      }
      return send(request, reply, entry);
    },
  );

  app.get<{ Params: { runId: string }; Querystring: MapQuery }>(
    "/v1/runs/:runId/charts/map.svg",
    {
      schema: {
        summary: "A map of councils or municipalities coloured by one measure in one year, as SVG",
        tags: ["results"],
        operationId: "getMapChart",
        params: RUN_PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            lang: LANG,
            level: { type: "string", enum: ["council", "municipality"], default: "council" },
            measure: {
              type: "string",
              enum: [...MEASURE_IDS],
              default: "gap",
              description: "what colours the areas (see docs/DASHBOARD.md)",
            },
            year: { type: "integer", minimum: 2000, maximum: 2100, description: "default: the last year of the result" },
          },
        },
        response: SVG_RESPONSE,
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const { lang, level, measure, year } = request.query;
      const key = `chart/map/${runId}/${lang}/${level}/${measure}/${year ?? "last"}`;
      let entry = ctx.results.get(key);
      if (entry === undefined) {
        const rows = await rowsOf(runId, level);
        if (year !== undefined && !yearsOf(rows).includes(year)) {
          throw new FordelingError("FD_ERR_NOT_FOUND", `the result has no year ${year} (years: ${yearsOf(rows).join(", ")})`, {
            field: "query.year",
          });
        }
        const spec = resultMap(rows, names, {
          lang,
          level,
          measure: MEASURES[measure],
          ...(year !== undefined ? { year } : {}),
          subtitle: await caption(runId, lang),
        });
        entry = svgBody(renderSvg(spec));
        ctx.results.set(key, entry);
      }
      return send(request, reply, entry);
    },
  );
}
