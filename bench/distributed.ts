import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { redisExecutor } from "../src/distributed/coordinator.js";
import { startDataServer } from "../src/distributed/dataServer.js";
import { defaultGeography } from "../src/geo/geography.js";
import { baselineScenario } from "../src/model/scenario.js";
import { generatePopulationFile } from "../src/population/generate.js";
import { openReplicationPool, prepareProjection, runProjection, type ProjectionRequest } from "../src/projection/run.js";
import { writeRegisterCsv } from "../src/register/registerCsv.js";
import { makeSyntheticRegister } from "../src/register/synthetic.js";
import { startRedis, startWorker, type TestWorker } from "../test/distributed/helpers.js";

/**
 * Distributed against local, on one machine (a real redis-server and real worker processes):
 *  (a) 2 worker processes × 1 thread vs the local run with 2 threads, same replications; the
 *      workers are started before the clock and prepare the run inside the measured time, as
 *      the local run does. Target: distributed ≤ 1.15 × local.
 *  (b) per-job overhead: a 1-replication job through the queue (enqueue → result collected)
 *      minus the same replication in a warm local pool; median of FD_BENCH_JOBS (default 10).
 * The default population at FD_BENCH_SCALE (default 0.05: the machine is shared) and
 * FD_BENCH_REPLICATIONS (default 40) replications to 2027; the ratios carry over to scale 1.
 */
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function benchDistributed(): Promise<void> {
  const scale = Number(process.env["FD_BENCH_SCALE"] ?? 0.05);
  const replications = Number(process.env["FD_BENCH_REPLICATIONS"] ?? 40);
  const jobs = Number(process.env["FD_BENCH_JOBS"] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), "fd-bench-distributed-"));
  const geography = defaultGeography();
  const register = makeSyntheticRegister(geography, { seed: 1, scale });
  const registerFile = join(dir, "register.csv");
  const populationFile = join(dir, "population.arrow");
  writeRegisterCsv(register, registerFile);
  await generatePopulationFile({ outFile: populationFile, seed: 1, scale, geography, register });
  const request: ProjectionRequest = {
    scenario: baselineScenario(),
    replications,
    seed: 1,
    horizonYear: 2027,
    populationFile,
    registerFile,
    threads: 2,
  };

  const redis = await startRedis();
  const data = await startDataServer();
  const workers: TestWorker[] = [];
  try {
    let t = performance.now();
    const local = await runProjection(request);
    const localSeconds = (performance.now() - t) / 1000;

    workers.push(await startWorker(redis.url), await startWorker(redis.url));
    const executor = redisExecutor({ redis: redis.url, jobSize: Math.max(1, Math.ceil(replications / 20)), data });
    t = performance.now();
    const distributed = await runProjection(request, { executor });
    const distributedSeconds = (performance.now() - t) / 1000;
    // Again, with the workers holding the prepared run (a long or repeated run's steady state).
    t = performance.now();
    const again = await runProjection(request, { executor });
    const warmSeconds = (performance.now() - t) / 1000;
    for (const result of [distributed, again]) {
      if (JSON.stringify(result.tables) !== JSON.stringify(local.tables))
        throw new Error("the distributed tables differ from the local ones");
    }
    console.log(
      `(a) ${replications} replications, population scale ${scale} (${local.manifest.dataVersions.population.rows} residents): ` +
        `local 2 threads ${localSeconds.toFixed(2)} s, 2 workers × 1 thread ${distributedSeconds.toFixed(2)} s ` +
        `(${warmSeconds.toFixed(2)} s with the workers' run prepared); distributed/local = ${(distributedSeconds / localSeconds).toFixed(2)} ` +
        `(${(warmSeconds / localSeconds).toFixed(2)} prepared; target ≤ 1.15)`,
    );

    // (b) the workers hold the prepared run now: a job costs its replication plus the queue.
    const prepared = await prepareProjection({ ...request, replications: 1 });
    const oneJob = redisExecutor({ redis: redis.url, jobSize: 1, data });
    const pool = openReplicationPool(prepared, 1);
    const viaQueue: number[] = [];
    const inPool: number[] = [];
    try {
      for (let k = 0; k < jobs; k++) {
        t = performance.now();
        await oneJob.run(prepared, { onDone: () => undefined });
        viaQueue.push(performance.now() - t);
        t = performance.now();
        await pool.run([0]);
        inPool.push(performance.now() - t);
      }
    } finally {
      await pool.close();
    }
    console.log(
      `(b) one 1-replication job: ${median(viaQueue).toFixed(1)} ms through the queue vs ${median(inPool).toFixed(1)} ms in a local pool; ` +
        `per-job overhead ≈ ${(median(viaQueue) - median(inPool)).toFixed(1)} ms (median of ${jobs}; target ≤ 20 ms)`,
    );
    console.log("(compare the ratios, measured in this run, rather than the seconds: a 2-core machine's speed drifts between runs)");
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await data.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchDistributed();
