import { FordelingError } from "../errors.js";
import type { ReplicationExecutor } from "../projection/run.js";
import { redisExecutor } from "./coordinator.js";
import { startDataServer } from "./dataServer.js";
import { redisConnection } from "./redis.js";

/** How a coordinator (`project --redis`, `serve --redis`) distributes a run; plain data, so it crosses to a run thread. */
export interface DistributedOptions {
  redis: string;
  jobSize: number;
  /** host:port the data server listens on (port 0: any free one). */
  dataListen: string;
  /** How workers address the data server; default its own address. */
  dataUrl?: string;
}

function parseListen(listen: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/u.exec(listen);
  const port = Number(match?.[2]);
  if (match === null || port > 65535)
    throw new FordelingError("FD_ERR_ARGUMENT", `expected host:port, got '${listen}'`, { field: "--data-listen" });
  return { host: match[1]!.replace(/^\[|\]$/gu, ""), port };
}

/** Checks what can be checked before a run starts (the URL, the address): bad flags fail before any data are read. */
export function checkDistributedOptions(options: DistributedOptions): void {
  redisConnection(options.redis);
  parseListen(options.dataListen);
}

/** The queue executor and the data server it offers the run's files from; close() stops the server. */
export async function openDistributedExecutor(
  options: DistributedOptions,
): Promise<{ executor: ReplicationExecutor; close: () => Promise<void> }> {
  checkDistributedOptions(options);
  const data = await startDataServer({
    ...parseListen(options.dataListen),
    ...(options.dataUrl !== undefined ? { publicUrl: options.dataUrl } : {}),
  });
  return { executor: redisExecutor({ redis: options.redis, jobSize: options.jobSize, data }), close: () => data.close() };
}
