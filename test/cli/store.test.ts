import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelVersion } from "../../src/runs/projection.js";
import { makeTestApp } from "../api/helpers.js";
import { runFordeling } from "./helpers.js";

/**
 * One run store: `project --store D` and `import DIR --data-dir D` write the layout that
 * `serve --data-dir D` reads. The CLI runs as a child process (compiled; `npm test` builds) on
 * a small generated population (scale 0.002) with 2 replications.
 */
const fordeling = (...args: string[]) => runFordeling(dir, ...args);

let dir: string;
let runId = "";
const inputs = (): string[] => ["--population", join(dir, "pop.arrow"), "--register", join(dir, "pop.register.csv"), "--replications", "2"];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fordeling-store-"));
  const generated = await fordeling("generate", "--scale", "0.002", "--seed", "7", "--out", join(dir, "pop.arrow"));
  expect(generated.code, generated.stderr).toBe(0);
  const projected = await fordeling("project", ...inputs(), "--out", join(dir, "result"), "--store", join(dir, "store"));
  expect(projected.code, projected.stderr).toBe(0);
  runId = /stored as run ([a-f0-9]{32})/u.exec(projected.stderr)?.[1] ?? "";
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one run store for project, import and serve", () => {
  it("keeps the result as a run of the data dir, beside the --out copy, with nothing half-written left", () => {
    expect(runId).toMatch(/^[a-f0-9]{32}$/u);
    expect(existsSync(join(dir, "result", "manifest.json"))).toBe(true);
    expect(readdirSync(join(dir, "store", "results"))).toEqual([runId]);
    expect(readdirSync(join(dir, "store", "runs"))).toEqual([`${runId}.json`]);
    expect(readdirSync(join(dir, "store")).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("writes only to the store with --store alone", async () => {
    const only = await fordeling("project", ...inputs(), "--store", join(dir, "alone"));
    expect(only.code, only.stderr).toBe(0);
    expect(only.stderr).toContain(`stored as run ${runId}`);
    expect(existsSync(join(dir, "projection-result"))).toBe(false);
    expect(readdirSync(join(dir, "alone")).filter((n) => n.startsWith("."))).toEqual([]);
  }, 60_000);

  it("is listed and served by the server, which answers the identical request from it", async () => {
    const store = join(dir, "store");
    copyFileSync(join(dir, "pop.arrow"), join(store, "populations", "pop.arrow"));
    copyFileSync(join(dir, "pop.register.csv"), join(store, "registers", "pop.register.csv"));
    const { app } = await makeTestApp({ dataDir: store, modelVersion: modelVersion() });
    try {
      const runs = (await app.inject({ url: "/v1/runs" })).json<{ id: string; status: string }[]>();
      expect(runs).toEqual([expect.objectContaining({ id: runId, status: "succeeded" })]);
      const csv = (await app.inject({ url: `/v1/runs/${runId}/results/national?format=csv` })).body;
      expect(csv).toBe(readFileSync(join(dir, "result", "national.csv"), "utf8"));
      const again = await app.inject({
        method: "POST",
        url: "/v1/runs",
        payload: {
          replications: 2,
          seed: 1,
          horizonYear: 2027,
          population: { kind: "file", name: "pop.arrow", register: "pop.register.csv" },
        },
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: runId, outcome: "stored" });
      // While the server holds the data dir, an import is refused rather than unseen.
      const refused = await fordeling("import", join(dir, "result"), "--data-dir", store);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("FD_ERR_CONFLICT");
    } finally {
      await app.close();
    }
  });

  it("imports a result directory once, copying it, and says so when it is already there", async () => {
    const target = join(dir, "imported");
    const first = await fordeling("import", join(dir, "result"), "--data-dir", target);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`as run ${runId}`);
    expect(existsSync(join(dir, "result", "manifest.json"))).toBe(true);
    const second = await fordeling("import", join(dir, "result"), "--data-dir", target);
    expect(second.stdout).toContain("already holds");
    expect(readdirSync(join(target, "results"))).toEqual([runId]);
  });

  it("refuses a directory that is not a projection result, naming the file", async () => {
    const outcome = await fordeling("import", join(dir, "store", "scenarios"), "--data-dir", join(dir, "other"));
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/FD_ERR_FILE_NOT_FOUND: .*manifest\.json/u);
  });
});
