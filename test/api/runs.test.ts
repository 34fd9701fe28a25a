import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { leaveStaleLock, makeTempDir, makeTestApp, makeTestExecutor, waitForRun } from "./helpers.js";

interface RunBody {
  id: string;
  status: string;
  outcome?: string;
  progress?: { fraction: number; etaSeconds?: number };
  error?: { code: string };
}

describe("runs", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function setup(options: { maxQueued?: number; dataDir?: string; hold?: boolean } = {}) {
    const temp = options.dataDir === undefined ? makeTempDir() : undefined;
    const dataDir = options.dataDir ?? temp?.dir ?? "";
    const executor = makeTestExecutor();
    executor.hold = options.hold ?? false;
    const { app } = await makeTestApp({ dataDir, executor, ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}) });
    cleanups.push(() => temp?.remove());
    cleanups.push(async () => {
      executor.hold = false;
      executor.release();
      await app.close();
    });
    return { app, executor, dataDir };
  }
  const post = async (app: FastifyInstance, payload: object) => {
    const response = await app.inject({ method: "POST", url: "/v1/runs", payload });
    return { response, body: response.json<RunBody>() };
  };

  it("answers 404 for a run id nobody submitted", async () => {
    const { app } = await setup();
    const response = await app.inject({ method: "GET", url: `/v1/runs/${"a".repeat(32)}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "params.runId" } });
  });

  it("accepts a run with 202 and a Location, runs it and reports success", async () => {
    const { app } = await setup();
    const { response, body } = await post(app, { replications: 3, seed: 5 });
    expect(response.statusCode).toBe(202);
    expect(response.headers["location"]).toBe(`/v1/runs/${body.id}`);
    expect(body.id).toMatch(/^[a-f0-9]{32}$/u);
    const done = await waitForRun(app, body.id);
    expect(done["status"]).toBe("succeeded");
    expect(done["progress"]).toMatchObject({ fraction: 1 });
  });

  it("answers an identical request from the stored result without running it again", async () => {
    const { app, executor } = await setup();
    const first = await post(app, { replications: 3, seed: 5 });
    await waitForRun(app, first.body.id);
    const second = await post(app, { replications: 3, seed: 5, population: { kind: "default" } });
    expect(second.response.statusCode).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, status: "succeeded", outcome: "stored" });
    expect(executor.started).toEqual([first.body.id]);
    const other = await post(app, { replications: 3, seed: 6 });
    expect(other.body.id).not.toBe(first.body.id);
  });

  it("runs two identical requests that arrive together once", async () => {
    const { app, executor } = await setup();
    const [a, b] = await Promise.all([post(app, { seed: 4 }), post(app, { seed: 4 })]);
    expect(a.body.id).toBe(b.body.id);
    await waitForRun(app, a.body.id);
    expect(executor.started).toEqual([a.body.id]);
  });

  it("lists runs newest first, filtered by status", async () => {
    const { app } = await setup();
    const first = await post(app, { seed: 1 });
    await waitForRun(app, first.body.id);
    const list = (await app.inject({ method: "GET", url: "/v1/runs?status=succeeded&limit=5" })).json<RunBody[]>();
    expect(list.map((r) => r.id)).toEqual([first.body.id]);
    expect((await app.inject({ method: "GET", url: "/v1/runs?status=failed" })).json()).toEqual([]);
  });

  it("gives a scenario by id and the same scenario inline the same run key", async () => {
    const { app } = await setup();
    const scenario = { id: "t1500", parameters: { "capacity.targetWeightedResidentsPerCapacity": 1500 } };
    expect((await app.inject({ method: "POST", url: "/v1/scenarios", payload: scenario })).statusCode).toBe(201);
    const byId = await post(app, { scenarioId: "t1500", replications: 2, seed: 1 });
    const inline = await post(app, { scenario, replications: 2, seed: 1 });
    expect(inline.body.id).toBe(byId.body.id);
    const missing = await app.inject({ method: "POST", url: "/v1/runs", payload: { scenarioId: "nope" } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "body.scenarioId" } });
  });

  it("reports progress and an ETA while running and joins an identical request to the running run", async () => {
    const { app, executor } = await setup({ hold: true });
    const { body } = await post(app, { replications: 4, seed: 1 });
    await expect.poll(() => executor.started.length).toBe(1);
    const running = (await app.inject({ method: "GET", url: `/v1/runs/${body.id}` })).json<RunBody>();
    expect(running.status).toBe("running");
    expect(running.progress?.fraction).toBe(0.25);
    expect(running.progress?.etaSeconds).toBeGreaterThanOrEqual(0);
    const again = await post(app, { replications: 4, seed: 1 });
    expect(again.response.statusCode).toBe(202);
    expect(again.body).toMatchObject({ id: body.id, outcome: "in-progress" });
    executor.release();
    expect((await waitForRun(app, body.id))["status"]).toBe("succeeded");
    expect(executor.started).toEqual([body.id]);
  });

  it("answers 429 with Retry-After when the queue is full", async () => {
    const { app } = await setup({ hold: true, maxQueued: 1 });
    expect((await post(app, { seed: 1 })).response.statusCode).toBe(202);
    expect((await post(app, { seed: 2 })).response.statusCode).toBe(202);
    const full = await post(app, { seed: 3 });
    expect(full.response.statusCode).toBe(429);
    expect(full.body).toMatchObject({ code: "FD_ERR_QUEUE_FULL" });
    expect(Number(full.response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("cancels a queued run at once and a running run via DELETE or POST …/cancel", async () => {
    const { app, executor } = await setup({ hold: true });
    const running = await post(app, { seed: 1 });
    const queued = await post(app, { seed: 2 });
    await expect.poll(() => executor.started.length).toBe(1);
    const cancelQueued = await app.inject({ method: "POST", url: `/v1/runs/${queued.body.id}/cancel` });
    expect(cancelQueued.statusCode).toBe(200);
    expect(cancelQueued.json()).toMatchObject({ status: "cancelled", error: { code: "FD_ERR_CANCELLED" } });
    const cancelRunning = await app.inject({ method: "DELETE", url: `/v1/runs/${running.body.id}` });
    expect(cancelRunning.json()).toMatchObject({ status: "cancelled" });
    expect(executor.started).toEqual([running.body.id]);
    // Cancelled runs leave no result and no temp dir behind.
    const results = await app.inject({ method: "GET", url: `/v1/runs/${running.body.id}/results/council` });
    expect(results.statusCode).toBe(409);
  });

  it("refuses to cancel a run that has succeeded and re-runs a cancelled one when asked again", async () => {
    const { app, executor } = await setup({ hold: true });
    const first = await post(app, { seed: 1 });
    await expect.poll(() => executor.started.length).toBe(1);
    await app.inject({ method: "DELETE", url: `/v1/runs/${first.body.id}` });
    executor.hold = false;
    const again = await post(app, { seed: 1 });
    expect(again.body).toMatchObject({ id: first.body.id, outcome: "queued" });
    await waitForRun(app, first.body.id);
    const refused = await app.inject({ method: "DELETE", url: `/v1/runs/${first.body.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "FD_ERR_CONFLICT" });
  });

  it("keeps results across a restart: a new app over the same data dir serves them without re-running", async () => {
    const { app, dataDir } = await setup();
    const { body } = await post(app, { seed: 9, horizonYear: 2028 });
    await waitForRun(app, body.id);
    const before = (await app.inject({ method: "GET", url: `/v1/runs/${body.id}/results/council?format=csv` })).body;
    await app.close();

    const restarted = await setup({ dataDir });
    const record = (await restarted.app.inject({ method: "GET", url: `/v1/runs/${body.id}` })).json<RunBody>();
    expect(record.status).toBe("succeeded");
    const after = await restarted.app.inject({ method: "GET", url: `/v1/runs/${body.id}/results/council?format=csv` });
    expect(after.body).toBe(before);
    expect((await post(restarted.app, { seed: 9, horizonYear: 2028 })).body.outcome).toBe("stored");
    expect(restarted.executor.started).toEqual([]);
  });

  it("reports runs that were in flight when the process died as interrupted, and re-runs them on request", async () => {
    const { app, dataDir, executor } = await setup({ hold: true });
    const running = await post(app, { seed: 1 });
    const queued = await post(app, { seed: 2 });
    await expect.poll(() => executor.started.length).toBe(1);
    // A second process over the same data dir sees what a crash would leave: records in flight
    // and a lock whose process is gone.
    leaveStaleLock(dataDir);
    const after = await setup({ dataDir });
    for (const id of [running.body.id, queued.body.id]) {
      const record = (await after.app.inject({ method: "GET", url: `/v1/runs/${id}` })).json<RunBody>();
      expect(record.status).toBe("interrupted");
      expect(record.error?.code).toBe("FD_ERR_CANCELLED");
    }
    const record = JSON.parse(readFileSync(join(dataDir, "runs", `${running.body.id}.json`), "utf8")) as RunBody;
    expect(record.status).toBe("interrupted");
    const rerun = await post(after.app, { seed: 1 });
    expect(rerun.body.outcome).toBe("queued");
    expect((await waitForRun(after.app, rerun.body.id))["status"]).toBe("succeeded");
  });

  it("shuts down gracefully: the running run becomes interrupted, queued ones too, and the executor is closed", async () => {
    const { app, executor, dataDir } = await setup({ hold: true });
    const running = await post(app, { seed: 1 });
    const queued = await post(app, { seed: 2 });
    await expect.poll(() => executor.started.length).toBe(1);
    await app.close();
    expect(executor.closed).toBe(true);
    for (const id of [running.body.id, queued.body.id]) {
      const record = JSON.parse(readFileSync(join(dataDir, "runs", `${id}.json`), "utf8")) as RunBody;
      expect(record.status).toBe("interrupted");
      expect(existsSync(join(dataDir, "results", id))).toBe(false);
    }
  });

  it("reports a run whose result files vanished as failed after a restart", async () => {
    const { app, dataDir } = await setup();
    const { body } = await post(app, { seed: 3 });
    await waitForRun(app, body.id);
    await app.close();
    writeFileSync(join(dataDir, "results", body.id, "manifest.json"), "{}");
    const { rmSync } = await import("node:fs");
    rmSync(join(dataDir, "results", body.id), { recursive: true });
    const after = await setup({ dataDir });
    const record = (await after.app.inject({ method: "GET", url: `/v1/runs/${body.id}` })).json<RunBody>();
    expect(record).toMatchObject({ status: "failed", error: { code: "FD_ERR_FILE_NOT_FOUND" } });
  });
});
