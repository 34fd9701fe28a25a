import contentDisposition from "content-disposition";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fresh from "fresh";
import { FordelingError } from "../errors.js";
import { RUN_ID_PATTERN } from "../runs/dataDir.js";
import { compareRuns, describeMethod } from "../results/compare.js";
import { readRun, type StoredRun } from "../results/readRun.js";
import type { ApiContext } from "./context.js";
import type { CsvDialect } from "../io/csv.js";
import { negotiateFormat, OUTPUT_QUERY_PROPERTIES, type ResultFormat } from "./formats.js";
import { type SerialisedBody, serialiseTable } from "./resultCache.js";
import { cacheKey, fileNameOf, makeOutputOptions, sendBody } from "./results.js";

/**
 * Comparisons and analyses of stored runs over HTTP, through the same src/results functions as
 * the CLI, so `/v1/compare` and `fordeling compare` give the same numbers.
 */

export const RUN_ID = { type: "string", pattern: RUN_ID_PATTERN } as const;

/** The query's choice of areas, shared by the comparison and the analyses of one run: level, then one area of it. */
export function areaSelectionProperties<L extends string>(defaultLevel: L, areaDescription: string) {
  return {
    level: {
      type: "string",
      enum: ["council", "national", "all", "municipality"],
      default: defaultLevel,
      description: "councils, the nation or both; municipality: runs projected with --keep-municipalities",
    },
    area: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$", description: areaDescription },
  } as const;
}

/** Per-replication data of a few recently used runs (≈ 5 MB each for 1,000 replications; 15 MB for the municipalities). */
const RUNS_KEPT = 8;

/** A run's councils and nation, or with `municipalities` the municipalities it kept (src/results/readRun.ts). */
export type RunReader = (runId: string, field: string, options?: { municipalities?: boolean }) => Promise<StoredRun>;

export function makeRunReader(ctx: ApiContext): RunReader {
  const runs = new Map<string, Promise<StoredRun>>();
  return (runId, field, options = {}) => {
    const municipalities = options.municipalities === true;
    const key = municipalities ? `${runId}/municipalities` : runId;
    let run = runs.get(key);
    runs.delete(key);
    if (run === undefined) {
      run = Promise.resolve().then(() => readRun(ctx.runs.resultDir(runId), runId, { municipalities }));
      run.catch(() => runs.delete(key));
    }
    runs.set(key, run);
    for (const oldest of runs.keys()) {
      if (runs.size <= RUNS_KEPT) break;
      runs.delete(oldest);
    }
    return run.catch(renameField(field));
  };
}

/** Errors about a run name the request field that named it. */
function renameField(field: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof FordelingError && (error.location.field === "params.runId" || error.location.file !== undefined)) {
      throw new FordelingError(error.code, error.detail, { field });
    }
    throw error;
  };
}

/** Headers of cached analysis responses (a few short strings each), by cache key; bounded. */
const headersByKey = new Map<string, Record<string, string>>();
const HEADERS_KEPT = 4096;

/**
 * A cached analysis response with extra headers (method, warnings): a table goes out as the
 * result tables do (`sendBody`: ETag, 304, file name, compressed twins); an SVG chart inline.
 */
export async function sendCached(
  ctx: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  file: { name: string; format?: ResultFormat },
  make: () => Promise<{ body: SerialisedBody; headers: Record<string, string> }>,
): Promise<FastifyReply> {
  let entry = ctx.results.get(key);
  let headers = headersByKey.get(key);
  if (entry === undefined || headers === undefined) {
    const made = await make();
    entry = made.body;
    headers = made.headers;
    ctx.results.set(key, entry);
    headersByKey.set(key, headers);
    for (const oldest of headersByKey.keys()) {
      if (headersByKey.size <= HEADERS_KEPT) break;
      headersByKey.delete(oldest);
    }
  }
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (file.format !== undefined) return sendBody(request, reply, entry, file.name, file.format);
  reply
    .header("etag", entry.etag)
    .header("cache-control", "public, max-age=86400")
    .header("content-disposition", contentDisposition(`${file.name}.svg`, { type: "inline" }));
  if (fresh(request.headers, { etag: entry.etag })) return reply.status(304).send();
  return reply.type(entry.contentType).send(entry.body);
}

/** Header values are ASCII: other characters are percent-encoded. */
export const asciiHeader = (text: string): string => text.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));

interface CompareQuery {
  a: string;
  b: string;
  level: "council" | "national" | "all" | "municipality";
  year?: number;
  area?: string;
  unpaired?: boolean;
  format?: ResultFormat;
  dialect?: CsvDialect;
  round?: boolean;
}

export function compareRoutes(app: FastifyInstance, ctx: ApiContext, runOf: RunReader): void {
  const outputOptions = makeOutputOptions(ctx);
  app.get<{ Querystring: CompareQuery }>(
    "/v1/compare",
    {
      schema: {
        summary:
          "Two runs per council, the nation and year from their replications: means in each and the difference b − a with a 95 % " +
          "interval, paired for runs of the same seed and inputs (common random numbers), otherwise unpaired (Welch); the method and " +
          "warnings (differing horizons, replications, populations, model versions) are in every row and in the headers " +
          "Fordeling-Comparison-Method and Fordeling-Warnings",
        tags: ["results"],
        operationId: "compareRuns",
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["a", "b"],
          properties: {
            a: RUN_ID,
            b: RUN_ID,
            ...areaSelectionProperties("council", "only this council id (or DK, or a municipality's code)"),
            year: { type: "integer", minimum: 2000, maximum: 2100, description: "only this year" },
            unpaired: { type: "boolean", description: "compare unpaired even when the runs share their draws" },
            ...OUTPUT_QUERY_PROPERTIES,
          },
        },
      },
    },
    async (request, reply) => {
      const { a, b, level, year, area, unpaired, dialect, round } = request.query;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const key = cacheKey(["c", a, b, level, year, area, unpaired === true, format, dialect, round]);
      const name = fileNameOf(["compare", a.slice(0, 12), b.slice(0, 12), level, year, area]);
      return sendCached(ctx, request, reply, key, { name, format }, async () => {
        const municipalities = level === "municipality";
        const [runA, runB] = await Promise.all([runOf(a, "query.a", { municipalities }), runOf(b, "query.b", { municipalities })]);
        const comparison = compareRuns(runA, runB, {
          level,
          ...(year !== undefined ? { year } : {}),
          ...(area !== undefined ? { area } : {}),
          ...(unpaired === true ? { unpaired } : {}),
        });
        return {
          body: await serialiseTable(comparison.table, format, await outputOptions([a, b], request.query, format)),
          headers: {
            "fordeling-comparison-method": comparison.method,
            "fordeling-comparison-description": asciiHeader(describeMethod(comparison)),
            "fordeling-warnings": asciiHeader(comparison.warnings.join("; ")),
          },
        };
      });
    },
  );
}
