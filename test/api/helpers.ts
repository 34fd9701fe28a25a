import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { buildApp, type AppOptions } from "../../src/api/app.js";
import { FordelingError } from "../../src/errors.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { toArrowIpc } from "../../src/io/arrow.js";
import { makeTable, type Table } from "../../src/io/table.js";
import { RESULT_LAYOUT } from "../../src/runs/projection.js";
import type { RunExecutor, RunJob } from "../../src/runs/types.js";
import { REPLICATION_FILES, replicationOutcomesToIpc, replicationParametersToIpc } from "../../src/results/replicationArrow.js";
import { REPLICATION_METRICS, replicationAreas } from "../../src/results/replicationData.js";
import { makeReplicationData, makeStoredRun, normals } from "../results/fixtures.js";
import { makeTestTempDir, removeTestTempDir } from "../support/tempDirs.js";

/**
 * A stand-in executor for API tests that are about HTTP, not the model: it writes result
 * files in the stored layout (real Arrow IPC, a manifest) whose values depend on the request,
 * and it can be held open to test queueing, cancelling and interruption. One test in
 * lifecycle.test.ts runs the real projection.
 */
export interface TestExecutor extends RunExecutor {
  started: string[];
  /** While set, execute() waits for release() (or the abort signal) before writing. */
  hold: boolean;
  release(): void;
  closed: boolean;
}

export function makeTestExecutor(): TestExecutor {
  let releaseAll: (() => void) | undefined;
  let gate = new Promise<void>((resolve) => (releaseAll = resolve));
  const executor: TestExecutor = {
    started: [],
    hold: false,
    closed: false,
    release() {
      releaseAll?.();
      gate = new Promise<void>((resolve) => (releaseAll = resolve));
    },
    async execute(job: RunJob) {
      executor.started.push(job.id);
      job.onProgress({ phase: "simulating", completedUnits: 1, totalUnits: 4 });
      if (executor.hold) {
        await new Promise<void>((resolve, reject) => {
          void gate.then(resolve);
          job.signal.addEventListener("abort", () => reject(new FordelingError("FD_ERR_CANCELLED", "aborted")), { once: true });
        });
      }
      await writeFakeResult(job);
    },
    async close() {
      executor.closed = true;
    },
  };
  return executor;
}

async function writeFakeResult(job: RunJob): Promise<void> {
  const geography = defaultGeography();
  const years: number[] = [];
  for (let y = 2026; y <= job.request.horizonYear; y++) years.push(y);
  const target = Number(job.request.scenario.parameters["capacity.targetWeightedResidentsPerCapacity"] ?? 1600);
  const need = (population: number, year: number): number => population / target + (year - 2026) + job.request.seed / 1000;
  const rows = <T>(areas: T[]): { area: T; year: number }[] => areas.flatMap((area) => years.map((year) => ({ area, year })));
  const councils = rows(geography.councils);
  const municipalities = rows(geography.municipalities);
  const councilPopulation = (index: number): number =>
    geography.municipalities.filter((m) => m.councilIndex === index).reduce((s, m) => s + m.population2026, 0);
  const tables: Record<string, Table> = {
    council: makeTable("council", [
      { name: "council_id", type: "string", values: councils.map((r) => r.area.id) },
      { name: "council_name", type: "string", values: councils.map((r) => r.area.name) },
      { name: "year", type: "int", values: councils.map((r) => r.year) },
      { name: "need_mean", type: "float", values: councils.map((r) => need(councilPopulation(r.area.index), r.year)) },
    ]),
    municipality: makeTable("municipality", [
      { name: "municipality_code", type: "int", values: municipalities.map((r) => r.area.code) },
      { name: "year", type: "int", values: municipalities.map((r) => r.year) },
      { name: "need_mean", type: "float", values: municipalities.map((r) => need(r.area.population2026, r.year)) },
    ]),
    national: makeTable("national", [
      { name: "country", type: "string", values: years.map(() => "DK") },
      { name: "year", type: "int", values: years },
      { name: "need_mean", type: "float", values: years.map((y) => need(6_025_511, y)) },
    ]),
    // Two islands, one with a Danish letter in its name (the ?area= of the island level).
    island: makeTable("island", [
      { name: "island", type: "string", values: rows(["Ærø", "Fur"]).map((r) => r.area) },
      { name: "year", type: "int", values: rows(["Ærø", "Fur"]).map((r) => r.year) },
      { name: "need_mean", type: "float", values: rows([6_000, 800]).map((r) => need(r.area, r.year)) },
    ]),
  };
  await mkdir(job.outDir, { recursive: true });
  for (const [level, table] of Object.entries(tables)) {
    await writeFile(join(job.outDir, RESULT_LAYOUT[level as keyof typeof RESULT_LAYOUT].file), toArrowIpc(table));
  }
  // Per-replication tables as src/results reads them: need as above plus a spread per replication
  // that depends on the seed alone (so runs of one seed share their draws, as real runs do).
  const replications = 20;
  const spread = normals(job.request.seed, replications);
  const areas = replicationAreas(geography);
  const areaNeed = (a: number, year: number): number =>
    a < geography.councils.length ? need(councilPopulation(a), year) : need(6_025_511, year);
  const data = makeReplicationData({
    replications,
    years: [2025, ...years],
    areas,
    columns: REPLICATION_METRICS.map((m) => m.column),
    value: (column, r, y, a) => {
      const needValue = areaNeed(a, 2025 + y) + (y === 0 ? 0 : (spread[r] ?? 0));
      const supplyValue = areaNeed(a, 2025);
      return column === "need"
        ? needValue
        : column === "supply"
          ? supplyValue
          : column === "gap"
            ? supplyValue - needValue
            : column === "residents"
              ? 1000
              : 0;
    },
    parameters: [
      { key: "training.fillRate", value: (r) => 0.81 + 0.01 * (spread[r] ?? 0) },
      { key: "labour.returnRate", value: (r) => 0.15 + r / 100 },
    ],
  });
  await writeFile(join(job.outDir, REPLICATION_FILES.outcomes), replicationOutcomesToIpc(data));
  await writeFile(join(job.outDir, REPLICATION_FILES.parameters), replicationParametersToIpc(replications, data.parameters));
  const manifest = makeStoredRun(job.request.scenario.id, data, {
    scenario: job.request.scenario,
    seed: job.request.seed,
    horizonYear: job.request.horizonYear,
  }).manifest;
  await writeFile(join(job.outDir, "manifest.json"), JSON.stringify(manifest));
}

/** A temp dir; removed by `remove()` and in any case after the test file. */
export function makeTempDir(prefix = "fordeling-api-"): { dir: string; remove: () => void } {
  const dir = makeTestTempDir(prefix);
  return { dir, remove: () => removeTestTempDir(dir) };
}

export async function makeTestApp(
  options: Partial<AppOptions> & { dataDir: string },
): Promise<{ app: FastifyInstance; executor: TestExecutor }> {
  const executor = (options.executor as TestExecutor | undefined) ?? makeTestExecutor();
  const app = await buildApp({ modelVersion: "test", ...options, executor });
  return { app, executor };
}

/**
 * A test app on its own data dir for the describe block that calls this: built before its tests,
 * closed and removed after them. Read `.app` inside the tests (it is set by then).
 */
export function useTestApp(): { readonly app: FastifyInstance; readonly dataDir: string } {
  const temp = makeTempDir();
  const handle = { app: undefined as unknown as FastifyInstance, dataDir: temp.dir };
  beforeAll(async () => {
    handle.app = (await makeTestApp({ dataDir: temp.dir })).app;
  });
  afterAll(async () => {
    await handle.app?.close();
    temp.remove();
  });
  return handle;
}

/** Polls a run until it leaves queued/running. */
export async function waitForRun(app: FastifyInstance, id: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.inject({ method: "GET", url: `/v1/runs/${id}` });
    const body = response.json<Record<string, unknown>>();
    if (body["status"] !== "queued" && body["status"] !== "running") return body;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${String(body["status"])} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * What a server killed without shutting down leaves in its data dir: a lock file naming a
 * process that no longer runs (a child that has exited).
 */
export function leaveStaleLock(dataDir: string): void {
  const child = spawnSync(process.execPath, ["-e", ""]);
  writeFileSync(join(dataDir, "server.lock"), JSON.stringify({ pid: child.pid, since: "2026-01-01T00:00:00.000Z" }) + "\n");
}
