import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { leaveStaleLock, makeTempDir, makeTestApp, makeTestExecutor } from "./helpers.js";

describe("one server per data dir", () => {
  const temp = makeTempDir();
  const open: FastifyInstance[] = [];
  const start = async (): Promise<FastifyInstance> => {
    const { app } = await makeTestApp({ dataDir: temp.dir, executor: makeTestExecutor() });
    open.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((app) => app.close()));
  });
  afterAll(() => temp.remove());

  it("refuses a second server on a data dir in use, naming the lock file", async () => {
    await start();
    await expect(start()).rejects.toMatchObject({ code: "FD_ERR_CONFLICT", location: { file: join(temp.dir, "server.lock") } });
  });

  it("frees the data dir when the server closes", async () => {
    const first = await start();
    expect(existsSync(join(temp.dir, "server.lock"))).toBe(true);
    await first.close();
    expect(existsSync(join(temp.dir, "server.lock"))).toBe(false);
    const second = await start();
    expect((await second.inject({ method: "GET", url: "/v1" })).statusCode).toBe(200);
  });

  it("takes over the lock of a server that died without shutting down", async () => {
    leaveStaleLock(temp.dir);
    const app = await start();
    expect((await app.inject({ method: "GET", url: "/v1" })).statusCode).toBe(200);
  });
});
