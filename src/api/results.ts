import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, isAbsolute, join, relative, sep } from "node:path";
import contentDisposition from "content-disposition";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fresh from "fresh";
import Negotiator from "negotiator";
import { LRUCache } from "lru-cache";
import { FordelingError } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";
import { aboutEntries } from "../io/about.js";
import type { CsvDialect } from "../io/csv.js";
import type { Table } from "../io/table.js";
import type { TableOutputOptions } from "../io/writeTable.js";
import { RUN_ID_PATTERN } from "../runs/dataDir.js";
import { RESULT_LAYOUT, RESULT_LEVELS, type ResultLevel } from "../runs/projection.js";
import { readResultTable, selectRows, yearsOf } from "../runs/resultTables.js";
import { RESULT_MARKER } from "../runs/store.js";
import type { ApiContext } from "./context.js";
import { FILE_EXTENSIONS, negotiateFormat, OUTPUT_QUERY_PROPERTIES, RESULT_FORMATS, type ResultFormat } from "./formats.js";
import { BODY_ENCODINGS, type BodyEncoding, type SerialisedBody, serialiseTable } from "./resultCache.js";
import { MANIFEST_RESPONSE, ok, RESULT_INDEX_RESPONSE } from "./responseSchemas.js";

interface ResultQuery {
  year?: number;
  area?: string;
  format?: ResultFormat;
  dialect?: CsvDialect;
  round?: boolean;
}

const SELECTION_QUERY = {
  type: "object",
  additionalProperties: false,
  properties: {
    year: { type: "integer", minimum: 2000, maximum: 2100, description: "only this year" },
    area: {
      type: "string",
      // Island names are Danish words with spaces and brackets ("Aarø (Årø)").
      pattern: "^[\\p{L}\\p{N} ().-]{1,64}$",
      description: "only this council id, municipality code or island name",
    },
    ...OUTPUT_QUERY_PROPERTIES,
  },
} as const;

/** Parsed result tables kept in memory (each is at most a few hundred kilobytes). */
const PARSED_TABLES_KEPT = 48;

const LEVEL_SCHEMA = { type: "string", enum: [...RESULT_LEVELS] } as const;
const RUN_ID = { type: "string", pattern: RUN_ID_PATTERN } as const;

/**
 * A result response: cached bytes, ETag, a file name, and 304 when the client already has them.
 * `fresh` (the jshttp library Express uses) decides, so If-None-Match with a list of tags,
 * a weak tag or `*` is answered as RFC 9110 says.
 */
export function sendBody(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: SerialisedBody,
  fileName: string,
  format: ResultFormat,
): FastifyReply {
  reply
    .header("etag", entry.etag)
    .header("cache-control", "public, max-age=86400")
    .header("vary", "accept, accept-encoding")
    .header(
      "content-disposition",
      contentDisposition(`${fileName}.${FILE_EXTENSIONS[format]}`, { type: format === "json" ? "inline" : "attachment" }),
    );
  if (fresh(request.headers, { etag: entry.etag })) return reply.status(304).send();
  reply.type(entry.contentType);
  const encoding = entry.encoded === undefined ? "identity" : preferredEncoding(request);
  // A Content-Encoding set here tells @fastify/compress the body is compressed already.
  if (encoding === "identity" || entry.encoded === undefined) return reply.send(entry.body);
  return reply.header("content-encoding", encoding).send(entry.encoded[encoding]);
}

/** br, gzip or identity by Accept-Encoding (q-values, `*`), by the negotiator library; br wins a tie. */
function preferredEncoding(request: FastifyRequest): BodyEncoding | "identity" {
  const negotiator = new Negotiator({ headers: { "accept-encoding": request.headers["accept-encoding"] ?? "" } });
  // @types/negotiator does not know negotiator 1.x's `preferred` option (the tie-break order).
  const [best] = (negotiator.encodings as (available: string[], options: { preferred: string[] }) => string[])(
    [...BODY_ENCODINGS, "identity"],
    { preferred: [...BODY_ENCODINGS] },
  );
  return best === "br" || best === "gzip" ? best : "identity";
}

/** `fordeling-<run>-council-2027-101`: what was asked for, readable in a downloads folder. */
export function fileNameOf(parts: readonly (string | number | undefined)[]): string {
  return ["fordeling", ...parts.filter((p) => p !== undefined)].join("-");
}

/** The key of a serialised body: every query value that changes the bytes. */
export function cacheKey(parts: readonly (string | number | boolean | undefined)[]): string {
  return parts.map((p) => (p === undefined ? "*" : String(p))).join("/");
}

/** The workbook's about sheet: the runs' manifests (scenario, seed, versions) and the selection; CSV dialect and rounding. */
export function makeOutputOptions(
  ctx: ApiContext,
): (
  runIds: readonly string[],
  query: { year?: number; area?: string; dialect?: CsvDialect; round?: boolean },
  format: ResultFormat,
) => Promise<TableOutputOptions> {
  return async (runIds, query, format) => {
    const options: TableOutputOptions = {
      round: query.round === true,
      ...(query.dialect !== undefined ? { csvDialect: query.dialect } : {}),
    };
    if (format !== "xlsx") return options;
    const manifestOf = async (id: string): Promise<object> => {
      const text = await readFile(join(ctx.runs.resultDir(id), RESULT_MARKER), "utf8");
      // The manifest's own `run` (threads, wall time) is how the run went, not which run it is.
      return { ...(JSON.parse(withoutServerPaths(text, ctx.dataDir.root)) as object), run: id };
    };
    const manifests = await Promise.all(runIds.map(manifestOf));
    // One run: its manifest at the top level; a comparison: run a's and run b's side by side.
    const runs = manifests.length === 1 ? manifests[0] : { a: manifests[0], b: manifests[1] };
    return { ...options, about: aboutEntries({ selection: { year: query.year ?? "all", area: query.area ?? "all" }, ...runs }) };
  };
}

export function resultRoutes(app: FastifyInstance, ctx: ApiContext): void {
  /**
   * Parsed tables of the most recently used runs and levels: a file is read again only after
   * it has been evicted, and the serialised cache answers most requests before this is asked.
   */
  const tables = new LRUCache<string, Promise<Table>>({ max: PARSED_TABLES_KEPT });
  const tableOf = (runId: string, level: ResultLevel): Promise<Table> => {
    const key = `${runId}/${level}`;
    let table = tables.get(key);
    if (table === undefined) {
      table = Promise.resolve().then(() => readResultTable(ctx.runs.resultDir(runId), level));
      table.catch(() => tables.delete(key));
      tables.set(key, table);
    }
    return table;
  };
  const outputOptions = makeOutputOptions(ctx);

  app.get<{ Params: { runId: string; level: ResultLevel }; Querystring: ResultQuery }>(
    "/v1/runs/:runId/results/:level",
    {
      schema: {
        summary: "Result table per council, municipality or the nation (all years, or ?year=); JSON, CSV, Arrow, Parquet or xlsx",
        tags: ["results"],
        operationId: "getResultTable",
        params: { type: "object", required: ["runId", "level"], properties: { runId: RUN_ID, level: LEVEL_SCHEMA } },
        querystring: SELECTION_QUERY,
      },
    },
    async (request, reply) => {
      const { runId, level } = request.params;
      const { year, area, dialect, round } = request.query;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const key = cacheKey(["r", runId, level, year, area, format, dialect, round]);
      let entry = ctx.results.get(key);
      if (entry === undefined) {
        const selected = selectRows(await tableOf(runId, level), {
          level,
          ...(year !== undefined ? { year } : {}),
          ...(area !== undefined ? { area } : {}),
        });
        entry = await serialiseTable(selected, format, await outputOptions([runId], request.query, format));
        ctx.results.set(key, entry);
      }
      return sendBody(request, reply, entry, fileNameOf([runId.slice(0, 12), level, year, area]), format);
    },
  );

  app.get<{ Params: { runId: string } }>(
    "/v1/runs/:runId/results",
    {
      schema: {
        summary: "What a run's result holds: levels, years, formats and links",
        tags: ["results"],
        operationId: "getResultIndex",
        params: { type: "object", required: ["runId"], properties: { runId: RUN_ID } },
        response: ok(RESULT_INDEX_RESPONSE, "levels, years, formats and links"),
      },
    },
    async (request) => {
      const { runId } = request.params;
      const national = await tableOf(runId, "national");
      const base = `/v1/runs/${runId}/results`;
      // A result stored before a level existed (islands) lacks its file: listed are the levels it holds.
      const dir = ctx.runs.resultDir(runId);
      const levels = RESULT_LEVELS.filter((level) => existsSync(join(dir, RESULT_LAYOUT[level].file)));
      return {
        runId,
        levels,
        years: yearsOf(national, "national"),
        formats: RESULT_FORMATS,
        links: Object.fromEntries(levels.map((level) => [level, `${base}/${level}`])),
      };
    },
  );

  app.get<{ Params: { runId: string } }>(
    "/v1/runs/:runId/manifest",
    {
      schema: {
        summary: "The result's manifest: scenario, seed, replications, versions",
        tags: ["results"],
        operationId: "getManifest",
        params: { type: "object", required: ["runId"], properties: { runId: RUN_ID } },
        response: ok(MANIFEST_RESPONSE, "the manifest"),
      },
    },
    async (request, reply) => {
      const text = await readFile(join(ctx.runs.resultDir(request.params.runId), RESULT_MARKER), "utf8");
      let served: string;
      try {
        served = withoutServerPaths(text, ctx.dataDir.root);
      } catch (cause) {
        // The server wrote this file itself: damage is the server's fault, never the client's.
        throw new FordelingError(
          "FD_ERR_STORE_CORRUPT",
          "the run's stored manifest is damaged (not valid JSON)",
          {
            file: `results/${request.params.runId}/${RESULT_MARKER}`,
          },
          { cause },
        );
      }
      return reply.type("application/json; charset=utf-8").send(served);
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
      for (const [root, label] of [
        [dataDirRoot, "data-dir"],
        [PACKAGE_ROOT, "fordeling"],
      ] as const) {
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
