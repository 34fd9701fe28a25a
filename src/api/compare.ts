import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { FordelingError } from "../errors.js";
import { RUN_ID_PATTERN } from "../runs/dataDir.js";
import { compareRuns, describeMethod } from "../results/compare.js";
import { readRun, type StoredRun } from "../results/readRun.js";
import type { ApiContext } from "./context.js";
import { FORMAT_QUERY_SCHEMA, negotiateFormat, type ResultFormat } from "./formats.js";
import { type SerialisedBody, serialiseTable } from "./resultCache.js";

/**
 * Comparisons and analyses of stored runs over HTTP, through the same src/results functions as
 * the CLI, so `/v1/compare` and `fordeling compare` give the same numbers.
 */

export const RUN_ID = { type: "string", pattern: RUN_ID_PATTERN } as const;

/** Per-replication data of a few recently used runs (≈ 2–3 MB each for 1,000 replications). */
const RUNS_KEPT = 8;

export type RunReader = (runId: string, field: string) => Promise<StoredRun>;

export function makeRunReader(ctx: ApiContext): RunReader {
  const runs = new Map<string, Promise<StoredRun>>();
  return (runId, field) => {
    let run = runs.get(runId);
    runs.delete(runId);
    if (run === undefined) {
      run = Promise.resolve().then(() => readRun(ctx.runs.resultDir(runId), runId));
      run.catch(() => runs.delete(runId));
    }
    runs.set(runId, run);
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
      throw new FordelingError(error.code, error.message, { field });
    }
    throw error;
  };
}

/** Headers of cached analysis responses (a few short strings each), by cache key; bounded. */
const headersByKey = new Map<string, Record<string, string>>();
const HEADERS_KEPT = 4096;

/** A cached response body with ETag, 304 for a client that has it, and extra headers. */
export async function sendCached(
  ctx: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
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
  reply.header("etag", entry.etag).header("cache-control", "public, max-age=86400").header("vary", "accept");
  if (request.headers["if-none-match"] === entry.etag) return reply.status(304).send();
  return reply.type(entry.contentType).send(entry.body);
}

/** Header values are ASCII: other characters are percent-encoded. */
export const asciiHeader = (text: string): string => text.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));

interface CompareQuery {
  a: string;
  b: string;
  level: "council" | "national" | "all";
  year?: number;
  area?: string;
  unpaired?: boolean;
  format?: ResultFormat;
}

export function compareRoutes(app: FastifyInstance, ctx: ApiContext, runOf: RunReader): void {
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
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["a", "b"],
          properties: {
            a: RUN_ID,
            b: RUN_ID,
            level: { type: "string", enum: ["council", "national", "all"], default: "council", description: "councils, the nation or both" },
            year: { type: "integer", minimum: 2000, maximum: 2100, description: "only this year" },
            area: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$", description: "only this council id (or DK)" },
            unpaired: { type: "boolean", description: "compare unpaired even when the runs share their draws" },
            format: FORMAT_QUERY_SCHEMA,
          },
        },
      },
    },
    async (request, reply) => {
      const { a, b, level, year, area, unpaired } = request.query;
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const key = `c/${a}/${b}/${level}/${year ?? "*"}/${area ?? "*"}/${unpaired === true}/${format}`;
      return sendCached(ctx, request, reply, key, async () => {
        const [runA, runB] = await Promise.all([runOf(a, "query.a"), runOf(b, "query.b")]);
        const comparison = compareRuns(runA, runB, {
          level,
          ...(year !== undefined ? { year } : {}),
          ...(area !== undefined ? { area } : {}),
          ...(unpaired === true ? { unpaired } : {}),
        });
        return {
          body: serialiseTable(comparison.table, format),
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
