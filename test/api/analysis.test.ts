import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Table, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp, waitForRun } from "./helpers.js";

describe("sensitivity and decomposition over HTTP", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let runId = "";
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
    runId = (await app.inject({ method: "POST", url: "/v1/runs", payload: { seed: 3, horizonYear: 2027 } })).json<{ id: string }>().id;
    await waitForRun(app, runId);
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const get = (url: string) => app.inject({ method: "GET", url });

  it("answers 404 for an unknown run and 400 for an unknown outcome", async () => {
    expect((await get(`/v1/runs/${"d".repeat(32)}/sensitivity`)).statusCode).toBe(404);
    const outcome = await get(`/v1/runs/${runId}/sensitivity?outcome=weather`);
    expect(outcome.statusCode).toBe(400);
    expect(outcome.json()).toMatchObject({ location: { field: "query.outcome" } });
  });

  it("ranks first the parameter that drives the gap in every area-year", async () => {
    const response = await get(`/v1/runs/${runId}/sensitivity?level=national`);
    const rows = response.json<{ year: number; parameter: string; rank: number; prcc: number }[]>();
    const first = rows.filter((r) => r.rank === 1);
    expect(first.map((r) => r.year)).toEqual([2026, 2027]);
    // Need rises with the spread the fill rate was drawn from, so the gap falls with it.
    expect(first.every((r) => r.parameter === "training.fillRate" && r.prcc < -0.99)).toBe(true);
  });

  it("serves a tornado and a waterfall as SVG", async () => {
    const tornado = await get(`/v1/runs/${runId}/sensitivity/tornado.svg?area=DK`);
    expect(tornado.headers["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expect(tornado.body).toContain("training.fillRate");
    const waterfall = await get(`/v1/runs/${runId}/decomposition/waterfall.svg`);
    expect(waterfall.body.startsWith("<svg")).toBe(true);
    expect(waterfall.body).toContain("weight drift");
  });

  it("decomposes each council's gap change into parts that add up to it, with every part recorded", async () => {
    const response = await get(`/v1/runs/${runId}/decomposition?level=council&format=json`);
    expect(response.headers["fordeling-warnings"] ?? "").not.toContain("not recorded");
    const rows = response.json<Record<string, number>[]>();
    expect(rows).toHaveLength(17);
    for (const row of rows) {
      const parts = ["population_growth", "weight_drift", "retirements", "entrants", "movers", "tendered_clinics", "temporary_clinics"];
      const sum = parts.reduce((s, p) => s + (row[p] ?? 0), 0);
      expect(sum).toBeCloseTo(row["total_change"] ?? Number.NaN, 9);
    }
    const csv = await get(`/v1/runs/${runId}/decomposition?area=DK&format=csv`);
    expect(csv.body.split(/\r?\n/u)[0]).toBe(
      "level,area_id,area_name,base_year,year,gap_base,population_growth,weight_drift,retirements,entrants,movers," +
        "tendered_clinics,temporary_clinics,total_change,gap",
    );
  });

  it("reads the municipalities a run kept with level=municipality, and refuses a run that kept none", async () => {
    const refused = await get(`/v1/runs/${runId}/decomposition?level=municipality`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain("--keep-municipalities");
    // Give the run a municipalities file: its own rows relabelled (what is tested is that the API reads it).
    const dir = resultDirOf(temp.dir, runId);
    expect(dir).not.toBe("");
    const councils = tableFromIPC(readFileSync(join(dir, "replications.arrow")));
    const columns = Object.fromEntries(councils.schema.fields.map((f) => [f.name, councils.getChild(f.name)!]));
    const relabelled = new Table({ ...columns, level: vectorFromArray(Array.from({ length: councils.numRows }, () => "municipality")) });
    for (const [key, value] of councils.schema.metadata) relabelled.schema.metadata.set(key, value);
    writeFileSync(join(dir, "replications_municipalities.arrow"), tableToIPC(relabelled, "file"));
    const rows = (await get(`/v1/runs/${runId}/decomposition?level=municipality&format=json`)).json<{ level: string }[]>();
    expect(rows).toHaveLength(18);
    expect(rows.every((r) => r.level === "municipality")).toBe(true);
    const compared = await get(`/v1/compare?a=${runId}&b=${runId}&level=municipality&format=json`);
    expect(compared.statusCode).toBe(200);
    expect(compared.json<{ gap_difference: number }[]>().every((r) => r.gap_difference === 0)).toBe(true);
  });
});

/** The result directory of a run somewhere below the data dir (the one holding its per-replication file). */
function resultDirOf(dir: string, runId: string): string {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === runId && existsSync(join(path, "replications.arrow"))) return path;
    const below = resultDirOf(path, runId);
    if (below !== "") return below;
  }
  return "";
}
