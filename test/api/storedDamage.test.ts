import { mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { FordelingError } from "../../src/errors.js";
import type { RunExecutor } from "../../src/runs/types.js";
import { makeTempDir, makeTestApp, makeTestExecutor, waitForRun } from "./helpers.js";

interface ErrorBody {
  code: string;
  message: string;
  location: { file?: string; field?: string };
}

describe("damage in the data dir and server paths", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (dataDir: string, executor?: RunExecutor): Promise<{ app: FastifyInstance; base: string; log: string[] }> => {
    const log: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    const { app } = await makeTestApp({ dataDir, ...(executor !== undefined ? { executor } : {}), logger: { level: "warn", stream } });
    cleanups.push(() => app.close());
    return { app, base: await app.listen({ port: 0, host: "127.0.0.1" }), log };
  };
  const tempDir = () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    return temp.dir;
  };
  const succeededRun = async (dataDir: string): Promise<{ app: FastifyInstance; base: string; id: string }> => {
    const { app, base } = await start(dataDir);
    const response = await fetch(`${base}/v1/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const { id } = (await response.json()) as { id: string };
    await waitForRun(app, id);
    return { app, base, id };
  };
  const getJson = async (url: string): Promise<{ status: number; body: ErrorBody }> => {
    const response = await fetch(url);
    return { status: response.status, body: (await response.json()) as ErrorBody };
  };

  it("starts despite damaged run records (null, garbage, an unknown status), logs each with its path and moves it aside", async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, "runs"), { recursive: true });
    const ids = ["a", "b", "c"].map((c) => c.repeat(32));
    writeFileSync(join(dataDir, "runs", `${ids[0]}.json`), "null");
    writeFileSync(join(dataDir, "runs", `${ids[1]}.json`), "{ not json");
    writeFileSync(
      join(dataDir, "runs", `${ids[2]}.json`),
      JSON.stringify({ id: ids[2], status: "weird", request: {}, identity: {}, createdAt: "2026-01-01T00:00:00.000Z" }),
    );
    const { base, log } = await start(dataDir);
    expect((await fetch(`${base}/v1`)).status).toBe(200);
    expect(await (await fetch(`${base}/v1/runs`)).json()).toEqual([]);
    for (const id of ids) expect((await fetch(`${base}/v1/runs/${id}`)).status).toBe(404);
    expect(readdirSync(join(dataDir, "runs")).filter((n) => n.endsWith(".json"))).toEqual([]);
    expect(readdirSync(join(dataDir, "runs", "corrupt"))).toHaveLength(3);
    for (const id of ids) expect(log.join("")).toContain(join(dataDir, "runs", `${id}.json`));
  });

  it("answers a damaged stored manifest and a truncated stored Arrow table with 500 FD_ERR_STORE_CORRUPT, not a client error", async () => {
    const dataDir = tempDir();
    const { base, id } = await succeededRun(dataDir);
    writeFileSync(join(dataDir, "results", id, "manifest.json"), "{ damaged");
    const manifest = await getJson(`${base}/v1/runs/${id}/manifest`);
    expect(manifest.status).toBe(500);
    expect(manifest.body).toMatchObject({ code: "FD_ERR_STORE_CORRUPT", location: { file: `results/${id}/manifest.json` } });
    const councils = join(dataDir, "results", id, "councils.arrow");
    truncateSync(councils, Math.floor(readFileSync(councils).length / 2));
    const table = await getJson(`${base}/v1/runs/${id}/results/council`);
    expect(table.status).toBe(500);
    expect(table.body.code).toBe("FD_ERR_STORE_CORRUPT");
    expect(JSON.stringify(table.body)).not.toContain(dataDir);
  });

  it("does not serve a result dir symlinked outside the data dir", async () => {
    const dataDir = tempDir();
    const outside = tempDir();
    const first = await succeededRun(dataDir);
    await first.app.close();
    // The result moves out and a symlink takes its place: the same as a planted link.
    const { renameSync } = await import("node:fs");
    renameSync(join(dataDir, "results", first.id), join(outside, "result"));
    symlinkSync(join(outside, "result"), join(dataDir, "results", first.id));
    const { base } = await start(dataDir);
    for (const path of ["results/council", "results", "manifest"]) {
      const answer = await getJson(`${base}/v1/runs/${first.id}/${path}`);
      expect(answer.status).toBe(500);
      expect(answer.body.code).toBe("FD_ERR_STORE_CORRUPT");
      expect(JSON.stringify(answer.body)).not.toContain(outside);
    }
  });

  it("serves a failed run's error and a 500 FD_ERR_OUTPUT with paths relative to the data dir", async () => {
    const dataDir = tempDir();
    const inner = makeTestExecutor();
    const executor: RunExecutor = {
      execute: async () => {
        throw new FordelingError("FD_ERR_REGISTER", `'x' is not a GP id, see ${join(dataDir, "registers", "bad.csv")}`, {
          file: join(dataDir, "registers", "bad.csv"),
          column: "gp_id",
          row: 3,
        });
      },
      close: () => inner.close(),
    };
    const { app, base } = await start(dataDir, executor);
    const headers = { "content-type": "application/json" };
    const posted = (await (await fetch(`${base}/v1/runs`, { method: "POST", headers, body: "{}" })).json()) as { id: string };
    await waitForRun(app, posted.id);
    const run = (await (await fetch(`${base}/v1/runs/${posted.id}`)).json()) as { error: ErrorBody };
    expect(run.error.location.file).toBe("registers/bad.csv");
    expect(run.error.message).toContain("registers/bad.csv, row 3, column 'gp_id'");
    expect(JSON.stringify(run)).not.toContain(dataDir);
    const listed = await (await fetch(`${base}/v1/runs`)).text();
    expect(listed).not.toContain(dataDir);

    // A scenario write that fails on the server: the scenarios folder is replaced by a file.
    const { rmSync } = await import("node:fs");
    rmSync(join(dataDir, "scenarios"), { recursive: true });
    writeFileSync(join(dataDir, "scenarios"), "");
    const scenario = JSON.parse(readFileSync(join(import.meta.dirname, "../../scenarios/baseline.json"), "utf8")) as { id: string };
    const failed = await fetch(`${base}/v1/scenarios`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...scenario, id: "paths-test" }),
    });
    const body = (await failed.json()) as ErrorBody;
    expect(failed.status).toBe(500);
    expect(body.code).toBe("FD_ERR_OUTPUT");
    expect(JSON.stringify(body)).not.toContain(dataDir);
    expect(body.location.file).toMatch(/^scenarios\//u);
  });
});
