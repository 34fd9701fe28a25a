import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FordelingError } from "../errors.js";
import type { DataRef } from "./payload.js";

/**
 * The worker's store of run data, content-addressed: `<cacheDir>/data/<sha256>`. A file is
 * fetched once from the URL in the job, hashed while it streams to a temporary name and moved
 * into place only when its SHA-256 and size match, so a cached file is always a verified one.
 * The cache dir may also be a shared disk pre-filled with files under their hashes.
 * File names come from the (schema-checked, hex-only) hash, never from the payload's text.
 */
export interface DataCache {
  /** The local path of a verified copy of `ref`. */
  resolve(ref: DataRef): Promise<string>;
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function makeDataCache(cacheDir: string): DataCache {
  const dir = join(cacheDir, "data");
  const pending = new Map<string, Promise<string>>();
  let tmpCounter = 0;

  async function fetchInto(ref: DataRef, target: string): Promise<void> {
    const tmp = `${target}.${process.pid}.${tmpCounter++}.tmp`;
    try {
      const response = await fetch(ref.url).catch((e: unknown) => {
        throw new FordelingError("FD_ERR_NOT_FOUND", `cannot fetch run data ${ref.sha256} from ${ref.url}: ${(e as Error).message}`);
      });
      if (!response.ok || response.body === null) {
        throw new FordelingError("FD_ERR_NOT_FOUND", `fetching run data ${ref.sha256} from ${ref.url} answered ${response.status}`);
      }
      const hash = createHash("sha256");
      let bytes = 0;
      const counted = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>).map((chunk: Buffer) => {
        bytes += chunk.byteLength;
        if (bytes > ref.bytes)
          throw new FordelingError("FD_ERR_DATA_HASH", `run data from ${ref.url} exceed the declared ${ref.bytes} bytes`);
        hash.update(chunk);
        return chunk;
      });
      await pipeline(counted, createWriteStream(tmp));
      const got = hash.digest("hex");
      if (got !== ref.sha256 || bytes !== ref.bytes) {
        throw new FordelingError(
          "FD_ERR_DATA_HASH",
          `run data from ${ref.url} have SHA-256 ${got} (${bytes} bytes), expected ${ref.sha256} (${ref.bytes} bytes)`,
        );
      }
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async function load(ref: DataRef): Promise<string> {
    await mkdir(dir, { recursive: true });
    const target = join(dir, ref.sha256);
    // A pre-filled (shared) file is checked once per worker process before it is trusted.
    if (existsSync(target)) {
      if ((await sha256OfFile(target)) === ref.sha256) return target;
      await rm(target, { force: true });
    }
    await fetchInto(ref, target);
    return target;
  }

  return {
    resolve(ref) {
      let p = pending.get(ref.sha256);
      if (p === undefined) {
        p = load(ref);
        pending.set(ref.sha256, p);
        // A failed fetch may be retried by a later job.
        p.catch(() => pending.delete(ref.sha256));
      }
      return p;
    },
  };
}
