import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { makeTempDir } from "./helpers.js";

/**
 * The whole lifecycle over a real socket with the real projection: a small generated
 * population (scale 0.002, about 12,000 residents), few replications, the run worker and the
 * projection's worker pool, real result files, then a restart over the same data dir.
 */
describe("lifecycle over HTTP with the real projection", () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());
  const population = { kind: "generated", scale: 0.002, seed: 5 };

  it("creates a scenario, runs it, polls it and serves its results in all three formats, also after a restart", async () => {
    const app = await buildApp({ dataDir: temp.dir, threads: 2 });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    let csvBefore = "";
    let runId = "";
    try {
      const json = async (path: string, init?: RequestInit) => {
        const response = await fetch(`${base}${path}`, init);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const post = (path: string, body: unknown) =>
        json(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

      const scenario = await post("/v1/scenarios", {
        id: "target-1500",
        parameters: { "capacity.targetWeightedResidentsPerCapacity": 1500 },
      });
      expect(scenario.status).toBe(201);
      const run = await post("/v1/runs", { scenarioId: "target-1500", replications: 3, seed: 2, horizonYear: 2027, population });
      expect(run.status).toBe(202);
      runId = String(run.body["id"]);

      let status = "queued";
      const deadline = Date.now() + 90_000;
      while (status === "queued" || status === "running") {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const polled = await json(`/v1/runs/${runId}`);
        status = String(polled.body["status"]);
        if (status === "failed") throw new Error(JSON.stringify(polled.body["error"]));
      }
      expect(status).toBe("succeeded");

      const rows = (await json(`/v1/runs/${runId}/results/council?year=2027`)).body as unknown as {
        council_id: string;
        need_mean: number;
      }[];
      expect(rows).toHaveLength(17);
      expect(rows.every((r) => Number.isFinite(r.need_mean) && r.need_mean > 0)).toBe(true);

      const csv = await fetch(`${base}/v1/runs/${runId}/results/municipality`, { headers: { accept: "text/csv" } });
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      csvBefore = await csv.text();
      expect(csvBefore.split("\n")[0]).toMatch(/^municipality_code,/u);

      const arrow = await fetch(`${base}/v1/runs/${runId}/results/national?format=arrow`);
      expect(arrow.headers.get("content-type")).toBe("application/vnd.apache.arrow.file");
      const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
      expect(table.numRows).toBeGreaterThanOrEqual(2);
      expect(table.schema.fields.map((f) => f.name)).toContain("need_p95");

      const compared = (await json(`/v1/compare?a=${runId}&b=${runId}&level=national`)).body as unknown as {
        need_difference: number;
        method: string;
      }[];
      expect(compared.every((r) => r.need_difference === 0 && r.method === "paired")).toBe(true);

      const manifest = (await json(`/v1/runs/${runId}/manifest`)).body;
      expect(manifest).toMatchObject({ replications: 3, seed: 2, scenario: { id: "target-1500" } });
      expect(JSON.stringify(manifest)).not.toContain(temp.dir);
    } finally {
      await app.close();
    }

    const restarted = await buildApp({ dataDir: temp.dir });
    try {
      const again = await restarted.inject({
        method: "POST",
        url: "/v1/runs",
        payload: { scenarioId: "target-1500", replications: 3, seed: 2, horizonYear: 2027, population },
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: runId, outcome: "stored" });
      const csvAfter = await restarted.inject({ method: "GET", url: `/v1/runs/${runId}/results/municipality?format=csv` });
      expect(csvAfter.body).toBe(csvBefore);
    } finally {
      await restarted.close();
    }
  });

  it("interrupts a running projection on shutdown and leaves no partial result", async () => {
    const app = await buildApp({ dataDir: temp.dir, threads: 1 });
    const run = await app.inject({ method: "POST", url: "/v1/runs", payload: { replications: 5000, seed: 3, population } });
    const id = run.json<{ id: string }>().id;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const record = (await app.inject({ method: "GET", url: `/v1/runs/${id}` })).json<{ progress?: { phase: string } }>();
      if (record.progress?.phase === "simulating") break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await app.close();
    const after = await buildApp({ dataDir: temp.dir });
    try {
      const record = (await after.inject({ method: "GET", url: `/v1/runs/${id}` })).json<{ status: string }>();
      expect(record.status).toBe("interrupted");
      expect(existsSync(join(temp.dir, "results", id))).toBe(false);
      expect(readdirSync(join(temp.dir, "results")).filter((n) => n.startsWith("."))).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
