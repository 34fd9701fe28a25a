/**
 * The page's only data path: the public HTTP API under /v1. Errors keep the API's own
 * { code, message, location } so forms can show its message beside the field it names.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const text = await response.text();
  const body: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    const error = (body ?? {}) as { code?: string; message?: string; location?: { field?: string } };
    throw new ApiError(
      response.status,
      error.code ?? `HTTP ${response.status}`,
      error.message ?? response.statusText,
      error.location?.field,
    );
  }
  return body as T;
}

export const postJson = <T>(path: string, body: unknown): Promise<T> =>
  api<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export interface RunRecord {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted";
  createdAt: string;
  request: { scenario: { id: string }; replications: number; seed: number; horizonYear: number; population: Record<string, unknown> };
  progress?: { phase: string; fraction: number; etaSeconds?: number };
  error?: { code: string; message: string };
}

export interface ReferenceCouncil {
  id: string;
  name: string;
}
export interface ReferenceMunicipality {
  code: number;
  name: string;
  council: string;
}

export type Row = Record<string, unknown>;
export type Level = "council" | "municipality" | "national";

const tables = new Map<string, Promise<Row[]>>();
/** A run's result table of one level, all years; results never change, so it is fetched once. */
export function resultRows(runId: string, level: Level): Promise<Row[]> {
  const key = `${runId}/${level}`;
  let rows = tables.get(key);
  if (rows === undefined) {
    rows = api<Row[]>(`/v1/runs/${runId}/results/${level}`);
    rows.catch(() => tables.delete(key));
    tables.set(key, rows);
  }
  return rows;
}

/** The table formats the API serves that the page offers for download (docs/API.md). */
export const TABLE_FORMATS = ["csv", "arrow", "parquet", "xlsx"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export const resultUrl = (runId: string, level: Level, format: TableFormat, year?: number): string =>
  `/v1/runs/${runId}/results/${level}?format=${format}${year === undefined ? "" : `&year=${year}`}`;
