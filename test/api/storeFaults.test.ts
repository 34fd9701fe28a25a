import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { FordelingError } from "../../src/errors.js";
import { writeJsonAtomic } from "../../src/runs/files.js";
import type { RunExecutor, RunJob } from "../../src/runs/types.js";
import { canMountSmallDisk, fillDisk, mountSmallDisk } from "../../bench/smallDisk.js";
import { makeTempDir, makeTestApp, makeTestExecutor, waitForRun } from "./helpers.js";

interface RunBody {
  id: string;
  status: string;
  outcome?: string;
  code?: string;
  error?: { code: string; message: string; location: { file?: string } };
}

/** An ENOSPC as the file system raises it. */
function noSpace(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, open '${file}'`), { code: "ENOSPC" });
}

describe("runs under file-system faults", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const listen = async (app: FastifyInstance): Promise<string> => {
    cleanups.push(() => app.close());
    return app.listen({ port: 0, host: "127.0.0.1" });
  };
  const post = async (base: string, payload: object): Promise<{ status: number; body: RunBody }> => {
    const headers = { "content-type": "application/json" };
    const response = await fetch(`${base}/v1/runs`, { method: "POST", headers, body: JSON.stringify(payload) });
    return { status: response.status, body: (await response.json()) as RunBody };
  };
  const get = async (base: string, id: string): Promise<RunBody> => (await (await fetch(`${base}/v1/runs/${id}`)).json()) as RunBody;
  const diskRecord = (dataDir: string, id: string): RunBody =>
    JSON.parse(readFileSync(join(dataDir, "runs", `${id}.json`), "utf8")) as RunBody;

  it("refuses a burst of concurrent POSTs at an idle server beyond one running plus --max-queue waiting", async () => {
    for (const [maxQueued, burst] of [
      [4, 50],
      [2, 10],
      [0, 6],
    ] as const) {
      const temp = makeTempDir();
      cleanups.push(() => temp.remove());
      const executor = makeTestExecutor();
      executor.hold = true;
      const { app } = await makeTestApp({ dataDir: temp.dir, executor, maxQueued });
      cleanups.push(() => executor.release());
      const base = await listen(app);
      const answers = await Promise.all(Array.from({ length: burst }, (_, seed) => post(base, { seed })));
      const accepted = answers.filter((a) => a.status === 202).length;
      expect({ maxQueued, accepted }).toEqual({ maxQueued, accepted: maxQueued + 1 });
      expect(answers.filter((a) => a.status === 429).every((a) => a.body.code === "FD_ERR_QUEUE_FULL")).toBe(true);
      expect(answers.filter((a) => a.status !== 202 && a.status !== 429)).toEqual([]);
      const status = (await (await fetch(`${base}/v1`)).json()) as { queue: { queued: number } };
      expect(status.queue.queued).toBe(maxQueued);
    }
  });

  it("answers a POST whose record cannot be written with 500 and never runs it later (no ghost run)", async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    let failWrites = true;
    const writeRecordJson = async (file: string, value: unknown): Promise<void> => {
      if (failWrites) throw new FordelingError("FD_ERR_OUTPUT", "cannot write the file: no space left on the device", { file });
      await writeJsonAtomic(file, value);
    };
    const executor = makeTestExecutor();
    const { app } = await makeTestApp({ dataDir: temp.dir, executor, writeRecordJson });
    const base = await listen(app);
    const refused = await post(base, { seed: 1 });
    expect(refused.status).toBe(500);
    expect(refused.body.code).toBe("FD_ERR_OUTPUT");
    expect(JSON.stringify(refused.body)).not.toContain(temp.dir);
    failWrites = false;
    const accepted = await post(base, { seed: 2 });
    expect(accepted.status).toBe(202);
    expect((await waitForRun(app, accepted.body.id))["status"]).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executor.started).toEqual([accepted.body.id]);
    const list = (await (await fetch(`${base}/v1/runs`)).json()) as RunBody[];
    expect(list.map((r) => r.id)).toEqual([accepted.body.id]);
  });

  it("keeps serving when the final record write fails: the run is final in memory, as it was on disk, the next one runs", async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    let failFinalWrites = false;
    const writeRecordJson = async (file: string, value: unknown): Promise<void> => {
      const status = (value as { status: string }).status;
      if (failFinalWrites && status !== "queued" && status !== "running") throw noSpace(file);
      await writeJsonAtomic(file, value);
    };
    const executor = makeTestExecutor();
    executor.hold = true;
    const { app } = await makeTestApp({ dataDir: temp.dir, executor, writeRecordJson });
    const base = await listen(app);
    const first = await post(base, { seed: 1 });
    const second = await post(base, { seed: 2 });
    await expect.poll(() => executor.started.length).toBe(1);
    failFinalWrites = true;
    executor.release();
    await expect.poll(async () => (await get(base, first.body.id)).status).toBe("succeeded");
    // The first run's success is known in memory though its record could not be written.
    expect(diskRecord(temp.dir, first.body.id).status).toBe("running");
    failFinalWrites = false;
    executor.hold = false;
    executor.release();
    expect((await waitForRun(app, second.body.id))["status"]).toBe("succeeded");
    expect(diskRecord(temp.dir, second.body.id).status).toBe("succeeded");
    expect((await fetch(`${base}/v1`)).status).toBe(200);
  });

  it("puts runs off while a run cannot be recorded as running: they stay queued and run once writes succeed", async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    let failRunning = true;
    const writeRecordJson = async (file: string, value: unknown): Promise<void> => {
      if (failRunning && (value as { status: string }).status === "running") {
        throw new FordelingError("FD_ERR_OUTPUT", "cannot write the file: no space left on the device", { file });
      }
      await writeJsonAtomic(file, value);
    };
    const executor = makeTestExecutor();
    const { app } = await makeTestApp({ dataDir: temp.dir, executor, writeRecordJson, startRetryMs: 50 });
    const base = await listen(app);
    const first = await post(base, { seed: 1 });
    const second = await post(base, { seed: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([(await get(base, first.body.id)).status, (await get(base, second.body.id)).status]).toEqual(["queued", "queued"]);
    expect(executor.started).toEqual([]);
    failRunning = false;
    expect((await waitForRun(app, first.body.id))["status"]).toBe("succeeded");
    expect((await waitForRun(app, second.body.id))["status"]).toBe("succeeded");
    expect(executor.started).toEqual([first.body.id, second.body.id]);
  });

  it.runIf(canMountSmallDisk)("survives a real full disk (tmpfs) mid-run: FD_ERR_OUTPUT, no server path, the next run waits", async () => {
    const disk = mountSmallDisk(1024);
    if (disk === undefined) return;
    cleanups.push(() => disk.remove());
    const filler = join(disk.dir, "filler.bin");
    const inner = makeTestExecutor();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The disk fills up while the first run works (a filler written beside it takes the rest).
    const executor: RunExecutor = {
      execute: async (job: RunJob) => {
        if (job.request.seed === 1) {
          await gate;
          fillDisk(filler);
        }
        await inner.execute(job);
      },
      close: () => inner.close(),
    };
    const { app } = await makeTestApp({ dataDir: disk.dir, executor, startRetryMs: 50 });
    cleanups.push(() => release());
    const base = await listen(app);
    const first = await post(base, { seed: 1 });
    const second = await post(base, { seed: 2 });
    expect([first.status, second.status]).toEqual([202, 202]);
    release();
    const failed = (await waitForRun(app, first.body.id)) as unknown as RunBody;
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("FD_ERR_OUTPUT");
    expect(JSON.stringify(failed)).not.toContain(disk.dir);
    // Its final record could not be written: on disk it is still "running" (a restart reports it interrupted).
    expect(diskRecord(disk.dir, first.body.id).status).toBe("running");
    expect((await fetch(`${base}/v1`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(base, second.body.id)).status).toBe("queued");
    expect(readdirSync(join(disk.dir, "results")).filter((n) => n.startsWith("."))).toEqual([]);
    rmSync(filler);
    expect((await waitForRun(app, second.body.id))["status"]).toBe("succeeded");
    expect(existsSync(join(disk.dir, "results", second.body.id, "manifest.json"))).toBe(true);
  });
});
