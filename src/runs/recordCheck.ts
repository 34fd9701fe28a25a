import type { RunRecord, RunStatus } from "./types.js";

const STATUSES: readonly RunStatus[] = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"];

/**
 * Why a stored run record cannot be served, or undefined when it can. A record is written only
 * by this server, so anything else (a `null`, a truncated file, an unknown status) is damage:
 * the store moves it aside rather than serving or guessing at it.
 */
export function recordProblem(value: unknown, expectedId: string): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "it is not a JSON object";
  const record = value as Partial<Record<keyof RunRecord, unknown>>;
  if (record.id !== expectedId) return `its id ${JSON.stringify(record.id)} does not match the file name`;
  if (!STATUSES.includes(record.status as RunStatus)) {
    return `its status ${JSON.stringify(record.status)} is not one of ${STATUSES.join(", ")}`;
  }
  if (record.request === null || typeof record.request !== "object") return "it has no request";
  if (record.identity === null || typeof record.identity !== "object") return "it has no identity";
  if (typeof record.createdAt !== "string") return "it has no createdAt";
  const error = record.error as { code?: unknown; message?: unknown } | undefined | null;
  if (error !== undefined && (error === null || typeof error.code !== "string" || typeof error.message !== "string")) {
    return "its error is not { code, message, location }";
  }
  return undefined;
}
