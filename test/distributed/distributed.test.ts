import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisExecutor } from "../../src/distributed/coordinator.js";
import { startDataServer, type DataServer } from "../../src/distributed/dataServer.js";
import { FordelingError } from "../../src/errors.js";
import { baselineScenario } from "../../src/model/scenario.js";
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

async function distributedBytes(replications: number, jobSize: number, onProgress?: (p: ProjectionProgress) => void): Promise<Map<string, Buffer>> {
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
  rmSync(out, { recursive: true, force: true });
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

  it("fails the run with FD_ERR_JOB_FAILED naming the job when every attempt fails (data that do not match their hash)", async () => {
    const lying: DataServer = { ...data, offer: (file) => data.offer(file, "0".repeat(64)) };
    const executor = redisExecutor({ redis: redis.url, jobSize: 4, data: lying, attempts: 2 });
    const error = (await runProjection(request(4), { executor }).catch((e: unknown) => e)) as FordelingError;
    expect(error).toBeInstanceOf(FordelingError);
    expect(error.code).toBe("FD_ERR_JOB_FAILED");
    expect(error.message).toMatch(/job [0-9a-f-]+-0 \(replications 0…3\) failed on every attempt: FD_ERR_DATA_HASH/u);
  }, 60_000);
});
