import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeDataCache } from "../../src/distributed/dataCache.js";
import { startDataServer, type DataServer } from "../../src/distributed/dataServer.js";
import { FordelingError } from "../../src/errors.js";

let dir: string;
let server: DataServer;
let file: string;
let sha: string;
const content = Buffer.from("population bytes ".repeat(1000));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "fd-cache-"));
  file = join(dir, "population.arrow");
  writeFileSync(file, content);
  sha = createHash("sha256").update(content).digest("hex");
  server = await startDataServer();
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the worker's data cache", () => {
  it("refuses data whose SHA-256 differs from the job's, keeping nothing", async () => {
    const ref = await server.offer(file, "f".repeat(64));
    const cache = makeDataCache(join(dir, "cache"));
    const error = (await cache.resolve(ref).catch((e: unknown) => e)) as FordelingError;
    expect(error).toBeInstanceOf(FordelingError);
    expect(error.code).toBe("FD_ERR_DATA_HASH");
    expect(error.message).toContain(`SHA-256 ${sha}`);
    expect(readdirSync(join(dir, "cache", "data"))).toEqual([]);
  });

  it("refuses data longer than the declared size", async () => {
    const ref = { ...(await server.offer(file, sha)), bytes: 100 };
    const error = (await makeDataCache(join(dir, "cache"))
      .resolve(ref)
      .catch((e: unknown) => e)) as FordelingError;
    expect(error.code).toBe("FD_ERR_DATA_HASH");
    expect(error.message).toMatch(/exceed the declared 100 bytes/u);
  });

  it("answers 404 for a hash it was not offered", async () => {
    const response = await fetch(`${server.url}/data/${"0".repeat(64)}`);
    expect(response.status).toBe(404);
    expect((await fetch(`${server.url}/data/..%2Fpopulation.arrow`)).status).toBe(404);
  });

  it("fetches over HTTP once, verified, under the hash in the cache dir; later resolves read the cache", async () => {
    const ref = await server.offer(file, sha);
    const cache = makeDataCache(join(dir, "cache"));
    const path = await cache.resolve(ref);
    expect(path).toBe(join(dir, "cache", "data", sha));
    expect(readFileSync(path).equals(content)).toBe(true);
    await server.close();
    // A new worker on the same (shared) cache dir finds the verified file without the server.
    expect(await makeDataCache(join(dir, "cache")).resolve(ref)).toBe(path);
    expect(existsSync(path)).toBe(true);
  });
});
