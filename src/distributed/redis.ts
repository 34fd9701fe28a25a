import type { ConnectionOptions } from "bullmq";
import { FordelingError } from "../errors.js";

/** The queue every coordinator and worker of one Redis shares (by default). */
export const DEFAULT_QUEUE = "fordeling-replications";

/**
 * BullMQ connection options from a Redis URL: `redis://[user:password@]host:port[/db]`, or
 * `rediss://…` for TLS. A password may also come from FORDELING_REDIS_PASSWORD, so it need not
 * appear in a process list.
 */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FordelingError("FD_ERR_ARGUMENT", `not a Redis URL: '${url}' (expected redis://host:port or rediss://host:port)`, {
      field: "--redis",
    });
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new FordelingError("FD_ERR_ARGUMENT", `a Redis URL starts with redis:// or rediss://, got '${parsed.protocol}//'`, {
      field: "--redis",
    });
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new FordelingError("FD_ERR_ARGUMENT", `the Redis database must be a whole number, got '${parsed.pathname}'`, {
      field: "--redis",
    });
  const password = parsed.password !== "" ? decodeURIComponent(parsed.password) : process.env["FORDELING_REDIS_PASSWORD"];
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    db,
    ...(parsed.username !== "" ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(password !== undefined && password !== "" ? { password } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ workers block on Redis; it requires this to be null.
    maxRetriesPerRequest: null,
  };
}
