import { readFile } from "node:fs/promises";
import { basename, isAbsolute, join, relative, sep } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PACKAGE_ROOT } from "../paths.js";
import type { Table } from "../io/table.js";
import { RUN_ID_PATTERN } from "../runs/dataDir.js";
import { RESULT_LEVELS, type ResultLevel } from "../runs/projection.js";
import { readResultTable, selectRows, yearsOf } from "../runs/resultTables.js";
import { RESULT_MARKER } from "../runs/store.js";
import type { ApiContext } from "./context.js";
import { FORMAT_QUERY_SCHEMA, negotiateFormat, RESULT_FORMATS, type ResultFormat } from "./formats.js";
import { type SerialisedBody, serialiseTable } from "./resultCache.js";

interface ResultQuery {
  year?: number;
  area?: string;
  format?: ResultFormat;
}

const SELECTION_QUERY = {
  type: "object",
  additionalProperties: false,
  properties: {
    year: { type: "integer", minimum: 2000, maximum: 2100, description: "only this year" },
    area: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$", description: "only this council id or municipality code" },
    format: FORMAT_QUERY_SCHEMA,
  },
} as const;

/** Parsed result tables kept in memory (each is at most a few hundred kilobytes). */
const PARSED_TABLES_KEPT = 48;

const LEVEL_SCHEMA = { type: "string", enum: [...RESULT_LEVELS] } as const;
const RUN_ID = { type: "string", pattern: RUN_ID_PATTERN } as const;

/** A result response: cached bytes, ETag, and 304 when the client already has them. */
function sendBody(request: FastifyRequest, reply: FastifyReply, entry: SerialisedBody): FastifyReply {
  reply.header("etag", entry.etag).header("cache-control", "public, max-age=86400").header("vary", "accept");
  if (request.headers["if-none-match"] === entry.etag) return reply.status(304).send();
  return reply.type(entry.contentType).send(entry.body);
}

export function resultRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tables = new Map<string, Promise<Table>>();
  /**
   * Parsed tables of the most recently used runs and levels: a file is read again only after
   * it has been evicted, and the serialised cache answers most requests before this is asked.
   */
  const tableOf = (runId: string, level: ResultLevel): Promise<Table> => {
    const key = `${runId}/${level}`;
    let table = tables.get(key);
    tables.delete(key);
    if (table === undefined) {
      table = Promise.resolve().then(() => readResultTable(ctx.runs.resultDir(runId), level));
      table.catch(() => tables.delete(key));
    }
    tables.set(key, table);
    for (const oldest of tables.keys()) {
      if (tables.size <= PARSED_TABLES_KEPT) break;
      tables.delete(oldest);
    }
    return table;
  };

  app.get<{ Params: { runId: string; level: ResultLevel }; Querystring: ResultQuery }>(
    "/v1/runs/:runId/results/:level",
    {
      schema: {
        summary: "Result table per council, municipality or the nation (all years, or ?year=); JSON, CSV or Arrow",
        tags: ["results"],
        params: { type: "object", required: ["runId", "level"], properties: { runId: RUN_ID, level: LEVEL_SCHEMA } },
        querystring: SELECTION_QUERY,
      },
    },
    async (request, reply) => {
      const { runId, level } = request.params;
      const { year, area } = request.query;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const key = `r/${runId}/${level}/${year ?? "*"}/${area ?? "*"}/${format}`;
      let entry = ctx.results.get(key);
      if (entry === undefined) {
        const selected = selectRows(await tableOf(runId, level), { level, ...(year !== undefined ? { year } : {}), ...(area !== undefined ? { area } : {}) });
        entry = serialiseTable(selected, format);
        ctx.results.set(key, entry);
      }
      return sendBody(request, reply, entry);
    },
  );

  app.get<{ Params: { runId: string } }>(
    "/v1/runs/:runId/results",
    {
      schema: { summary: "What a run's result holds: levels, years, formats and links", tags: ["results"], params: { type: "object", required: ["runId"], properties: { runId: RUN_ID } } },
    },
    async (request) => {
      const { runId } = request.params;
      const national = await tableOf(runId, "national");
      const base = `/v1/runs/${runId}/results`;
      return {
        runId,
        levels: RESULT_LEVELS,
        years: yearsOf(national, "national"),
        formats: RESULT_FORMATS,
        links: Object.fromEntries(RESULT_LEVELS.map((level) => [level, `${base}/${level}`])),
      };
    },
  );

  app.get<{ Params: { runId: string } }>(
    "/v1/runs/:runId/manifest",
    { schema: { summary: "The result's manifest: scenario, seed, replications, versions", tags: ["results"], params: { type: "object", required: ["runId"], properties: { runId: RUN_ID } } } },
    async (request, reply) => {
      const text = await readFile(join(ctx.runs.resultDir(request.params.runId), RESULT_MARKER), "utf8");
      return reply.type("application/json; charset=utf-8").send(withoutServerPaths(text, ctx.dataDir.root));
    },
  );
}

/**
 * The manifest names its input files by absolute path; a client is told where they are
 * relative to the data dir or the package, never the server's directory layout.
 */
export function withoutServerPaths(manifestText: string, dataDirRoot: string): string {
  const relativise = (value: unknown): unknown => {
    if (typeof value === "string" && isAbsolute(value)) {
      for (const [root, label] of [[dataDirRoot, "data-dir"], [PACKAGE_ROOT, "fordeling"]] as const) {
        const rel = relative(root, value);
        if (!rel.startsWith("..") && !isAbsolute(rel)) return `${label}:${rel.split(sep).join("/")}`;
      }
      return basename(value);
    }
    if (Array.isArray(value)) return value.map(relativise);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativise(v)]));
    }
    return value;
  };
  return `${JSON.stringify(relativise(JSON.parse(manifestText)), null, 2)}\n`;
}
