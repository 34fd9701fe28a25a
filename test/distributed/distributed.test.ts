import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue, QueueEvents } from "bullmq";
import { buildApp } from "../../src/api/app.js";
import { redisExecutor } from "../../src/distributed/coordinator.js";
import { DEFAULT_QUEUE, redisConnection } from "../../src/distributed/redis.js";
import { startDataServer, type DataServer } from "../../src/distributed/dataServer.js";
import { FordelingError } from "../../src/errors.js";
import { baselineScenario } from "../../src/model/scenario.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { runProjection, type ProjectionProgress, type ProjectionRequest } from "../../src/projection/run.js";
import { writeProjectionResult } from "../../src/projection/write.js";
import { makeSmallWorld } from "../projection/fixture.js";
import { differingFiles, resultBytes, startRedis, startWorker, type TestRedis, type TestWorker } from "./helpers.js";

// Real redis-server, real BullMQ, real worker processes from bin/fordeling.js (compiled dist:
// `npm run build` first, as `npm test` does). Workers fetch the data over HTTP into fresh caches.
let world: Awaited<ReturnType<typeof makeSmallWorld>>;
let redis: TestRedis;
let data: DataServer;
let out: string;
const workers: TestWorker[] = [];
const local = new Map<number, Map<string, Buffer>>();

const request = (replications: number): ProjectionRequest => ({
  scenario: baselineScenario(),
  replications,
  seed: 5,
  horizonYear: 2027,
  populationFile: world.populationFile,
  registerFile: world.registerFile,
  threads: 2,
});

async function localBytes(replications: number): Promise<Map<string, Buffer>> {
  let bytes = local.get(replications);
  if (bytes === undefined) {
    const dir = join(out, `local-${replications}`);
    await writeProjectionResult(await runProjection(request(replications)), dir);
    bytes = await resultBytes(dir);
    local.set(replications, bytes);
  }
  return bytes;
}

async function distributedBytes(
  replications: number,
  jobSize: number,
  onProgress?: (p: ProjectionProgress) => void,
): Promise<Map<string, Buffer>> {
  const dir = join(out, `distributed-${replications}-${jobSize}-${workers.length}`);
  const executor = redisExecutor({ redis: redis.url, jobSize, data });
  await writeProjectionResult(await runProjection(request(replications), { executor, ...(onProgress ? { onProgress } : {}) }), dir);
  return await resultBytes(dir);
}

beforeAll(async () => {
  world = await makeSmallWorld();
  out = mkdtempSync(join(tmpdir(), "fd-distributed-"));
  redis = await startRedis();
  data = await startDataServer();
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await data?.close();
  await redis?.stop();
  if (process.env["FD_KEEP"] === undefined) rmSync(out, { recursive: true, force: true });
  else console.log("kept", out);
  rmSync(world.dir, { recursive: true, force: true });
});

describe("distributed projection over BullMQ", () => {
  it("writes the same bytes as a local run with 1 worker and jobs of 7 replications", async () => {
    workers.push(await startWorker(redis.url));
    const expected = await localBytes(9);
    expect(expected.size).toBeGreaterThan(3);
    expect(differingFiles(await distributedBytes(9, 7), expected)).toEqual([]);
    expect(workers[0]!.log()).toMatch(/prepared run/u);
  }, 120_000);

  it("writes the same bytes with 2 workers and jobs of 1 replication, with progress over all workers", async () => {
    workers.push(await startWorker(redis.url));
    const seen: number[] = [];
    const bytes = await distributedBytes(9, 1, (p) => p.phase === "simulating" && seen.push(p.completedUnits));
    expect(differingFiles(bytes, await localBytes(9))).toEqual([]);
    expect(seen.at(-1)).toBe(9);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  }, 120_000);

  it("writes the same bytes with 3 workers and one job of 50", async () => {
    workers.push(await startWorker(redis.url));
    expect(differingFiles(await distributedBytes(9, 50), await localBytes(9))).toEqual([]);
  }, 120_000);

  it("writes the same bytes with 4 workers on 2 cores (oversubscribed) and jobs of 2", async () => {
    workers.push(await startWorker(redis.url));
    expect(workers).toHaveLength(4);
    expect(differingFiles(await distributedBytes(9, 2), await localBytes(9))).toEqual([]);
  }, 120_000);

  it("project --redis (the CLI coordinator) writes the same files as a local run", async () => {
    const dir = join(out, "cli");
    const args = [
      "project",
      "--redis",
      redis.url,
      "--job-size",
      "4",
      "--population",
      world.populationFile,
      "--register",
      world.registerFile,
    ];
    const run = spawnSync(
      process.execPath,
      [join(PACKAGE_ROOT, "bin", "fordeling.js"), ...args, "--replications", "9", "--seed", "5", "--out", dir],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(run.stderr).toMatch(/wrote \d+ files/u);
    expect(run.status).toBe(0);
    expect(differingFiles(await resultBytes(dir), await localBytes(9))).toEqual([]);
  }, 120_000);

  it("serve --redis runs API projections over the workers, with the same results as a local server", async () => {
    if (workers.length === 0) workers.push(await startWorker(redis.url));
    const population = { kind: "generated", scale: 0.002, seed: 5 };
    const runOn = async (dataDir: string, distributed: boolean): Promise<unknown> => {
      const app = await buildApp({
        dataDir,
        threads: 2,
        ...(distributed ? { distributed: { redis: redis.url, jobSize: 2, dataListen: "127.0.0.1:0" } } : {}),
      });
      const base = await app.listen({ host: "127.0.0.1", port: 0 });
      try {
        const body = JSON.stringify({ replications: 5, seed: 3, horizonYear: 2027, population });
        const created = (await (
          await fetch(`${base}/v1/runs`, { method: "POST", headers: { "content-type": "application/json" }, body })
        ).json()) as { id: string };
        for (let status = "queued"; status === "queued" || status === "running"; ) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          const run = (await (await fetch(`${base}/v1/runs/${created.id}`)).json()) as { status: string; error?: unknown };
          status = run.status;
          if (status !== "queued" && status !== "running" && status !== "succeeded") throw new Error(JSON.stringify(run));
        }
        return await (await fetch(`${base}/v1/runs/${created.id}/results/council`)).json();
      } finally {
        await app.close();
      }
    };
    const viaWorkers = await runOn(join(out, "serve-distributed"), true);
    expect(viaWorkers).toEqual(await runOn(join(out, "serve-local"), false));
  }, 60_000);

  it("gives a job whose worker was killed (SIGKILL) mid-job to another worker, with the same result", async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const victim = await startWorker(redis.url);
    let killed = false;
    let rescuer: Promise<TestWorker> | undefined;
    const bytes = await distributedBytes(12, 12, (p) => {
      if (!killed && p.phase === "simulating" && p.completedUnits >= 1) {
        killed = true;
        victim.child.kill("SIGKILL");
        rescuer = startWorker(redis.url);
      }
    });
    workers.push(await rescuer!);
    await victim.stop();
    expect(killed).toBe(true);
    expect(differingFiles(bytes, await localBytes(12))).toEqual([]);
  }, 120_000);

  it("rejects a bad payload on the queue with FD_ERR_JOB_PAYLOAD, touching no path it names", async () => {
    if (workers.length === 0) workers.push(await startWorker(redis.url));
    const connection = redisConnection(redis.url);
    const queue = new Queue(DEFAULT_QUEUE, { connection });
    const events = new QueueEvents(DEFAULT_QUEUE, { connection });
    try {
      await events.waitUntilReady();
      const bad = { version: 1, runId: "../../x", population: { sha256: "../etc/passwd", bytes: 1, url: "file:///etc/passwd" } };
      const job = await queue.add("replications", bad, { attempts: 1 });
      await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(
        /FD_ERR_JOB_PAYLOAD: .*job \d+: the payload must have required property/u,
      );
      expect(workers.some((w) => /job \d+ failed: FD_ERR_JOB_PAYLOAD/u.test(w.log()))).toBe(true);
      // What a worker keeps is only ever `data/<sha256>` in its cache dir.
      const kept = workers.flatMap((w) => readdirSync(w.cacheDir, { recursive: true }).map(String));
      expect(kept.filter((name) => !/^data(\/[0-9a-f]{64})?$/u.test(name))).toEqual([]);
      await job.remove();
    } finally {
      await events.close();
      await queue.close();
    }
  }, 60_000);

  it("fails with FD_ERR_ARGUMENT naming the address when Redis cannot be reached, instead of waiting", async () => {
    const executor = redisExecutor({ redis: "redis://127.0.0.1:1", jobSize: 2, data, connectTimeoutMs: 1000 });
    const error = (await runProjection(request(2), { executor }).catch((e: unknown) => e)) as FordelingError;
    expect(error.code).toBe("FD_ERR_ARGUMENT");
    expect(error.message).toMatch(/field .--redis.: cannot reach Redis at 127\.0\.0\.1:1: /u);
  }, 30_000);

  it("fails the run with FD_ERR_JOB_FAILED naming the job when every attempt fails (data that do not match their hash)", async () => {
    if (workers.length === 0) workers.push(await startWorker(redis.url));
    const lying: DataServer = { ...data, offer: (file) => data.offer(file, "0".repeat(64)) };
    const executor = redisExecutor({ redis: redis.url, jobSize: 4, data: lying, attempts: 2 });
    const error = (await runProjection(request(4), { executor }).catch((e: unknown) => e)) as FordelingError;
    expect(error).toBeInstanceOf(FordelingError);
    expect(error.code).toBe("FD_ERR_JOB_FAILED");
    expect(error.message).toMatch(/job [0-9a-f-]+-0 \(replications 0…3\) failed on every attempt: FD_ERR_DATA_HASH/u);
  }, 60_000);
});
