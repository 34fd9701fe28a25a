import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { tableFromIPC } from "apache-arrow";
import { recordAt } from "../../src/io/table.js";
import { compareRuns } from "../../src/results/compare.js";
import { readRun } from "../../src/results/readRun.js";
import { makeTempDir, makeTestApp, waitForRun } from "./helpers.js";

describe("results and comparisons", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let runA = "";
  let runB = "";
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
    const a = await app.inject({ method: "POST", url: "/v1/runs", payload: { seed: 1, horizonYear: 2027 } });
    const b = await app.inject({
      method: "POST",
      url: "/v1/runs",
      payload: {
        seed: 1,
        horizonYear: 2027,
        scenario: { id: "t1500", parameters: { "capacity.targetWeightedResidentsPerCapacity": 1500 } },
      },
    });
    runA = a.json<{ id: string }>().id;
    runB = b.json<{ id: string }>().id;
    await waitForRun(app, runA);
    await waitForRun(app, runB);
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url, headers });

  it("serves JSON by default, one record per area and year", async () => {
    const response = await get(`/v1/runs/${runA}/results/council`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const rows = response.json<{ council_id: string; year: number; need_mean: number }[]>();
    expect(rows).toHaveLength(17 * 2);
  });

  it("serves CSV and Arrow by Accept header, and ?format= wins over Accept", async () => {
    const csv = await get(`/v1/runs/${runA}/results/municipality?year=2027`, { accept: "text/csv" });
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = csv.body.trim().split(/\r?\n/u);
    expect(lines[0]).toBe("municipality_code,year,need_mean");
    expect(lines).toHaveLength(99);
    const arrow = await get(`/v1/runs/${runA}/results/national`, { accept: "application/vnd.apache.arrow.file" });
    expect(arrow.headers["content-type"]).toBe("application/vnd.apache.arrow.file");
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.numRows).toBe(2);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["country", "year", "need_mean"]);
    const forced = await get(`/v1/runs/${runA}/results/national?format=csv`, { accept: "application/json" });
    expect(forced.headers["content-type"]).toBe("text/csv; charset=utf-8");
  });

  it("picks the preferred type by q-value and answers 406 when none is served", async () => {
    const preferred = await get(`/v1/runs/${runA}/results/national`, { accept: "application/json;q=0.5, text/csv;q=0.9" });
    expect(preferred.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const refused = await get(`/v1/runs/${runA}/results/national`, { accept: "application/xml" });
    expect(refused.statusCode).toBe(406);
    expect(refused.json()).toMatchObject({ code: "FD_ERR_NOT_ACCEPTABLE", location: { field: "headers.accept" } });
  });

  it("selects one council by ?area= and one year by ?year=", async () => {
    const councils = (await get("/v1/reference/councils")).json<{ id: string }[]>();
    const id = councils[3]?.id ?? "";
    const rows = (await get(`/v1/runs/${runA}/results/council?area=${id}&year=2026`)).json<{ council_id: string; year: number }[]>();
    expect(rows).toEqual([expect.objectContaining({ council_id: id, year: 2026 })]);
  });

  it("answers 404 naming the field for a year or an area the result lacks", async () => {
    const year = await get(`/v1/runs/${runA}/results/council?year=2030`);
    expect(year.statusCode).toBe(404);
    expect(year.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "query.year" } });
    expect(year.json<{ message: string }>().message).toContain("2026, 2027");
    const area = await get(`/v1/runs/${runA}/results/council?area=atlantis`);
    expect(area.json()).toMatchObject({ location: { field: "query.area" } });
  });

  it("answers 404 for results of an unknown run and 400 for an unknown level", async () => {
    expect((await get(`/v1/runs/${"b".repeat(32)}/results/council`)).statusCode).toBe(404);
    const level = await get(`/v1/runs/${runA}/results/region`);
    expect(level.statusCode).toBe(400);
    expect(level.json()).toMatchObject({ location: { field: "params.level" } });
  });

  it("answers 304 to a client that already holds the same bytes", async () => {
    const first = await get(`/v1/runs/${runA}/results/council?year=2027`);
    const etag = String(first.headers["etag"]);
    const again = await get(`/v1/runs/${runA}/results/council?year=2027`, { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
  });

  it("serves the same bytes from the cache as it serialised the first time", async () => {
    const url = `/v1/runs/${runA}/results/municipality?format=arrow`;
    const first = await get(url);
    const hits = app.fordeling.results.hits;
    const second = await get(url);
    expect(app.fordeling.results.hits).toBe(hits + 1);
    expect(Buffer.compare(first.rawPayload, second.rawPayload)).toBe(0);
  });

  it("serves the island level, one island by its name (Danish letters and all) by ?area=", async () => {
    const all = (await get(`/v1/runs/${runA}/results/island`)).json<{ island: string; year: number }[]>();
    expect(all.map((r) => r.island)).toEqual(["Ærø", "Ærø", "Fur", "Fur"]);
    const one = await get(`/v1/runs/${runA}/results/island?area=${encodeURIComponent("Ærø")}&year=2027`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual([expect.objectContaining({ island: "Ærø", year: 2027 })]);
    const unknown = await get(`/v1/runs/${runA}/results/island?area=Atlantis`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "query.area" } });
  });

  it("lists only the levels a result holds: one stored before islands has none, and says so for its island level", async () => {
    rmSync(join(app.fordeling.runs.resultDir(runB), "islands.arrow"));
    const index = (await get(`/v1/runs/${runB}/results`)).json<{ levels: string[]; links: Record<string, string> }>();
    expect(index.levels).toEqual(["council", "municipality", "national"]);
    expect(Object.keys(index.links)).toEqual(["council", "municipality", "national"]);
    const island = await get(`/v1/runs/${runB}/results/island`);
    expect(island.statusCode).toBe(404);
    expect(island.json<{ message: string }>().message).toContain("no island table (islands.arrow)");
  });

  it("describes a result and serves its manifest", async () => {
    const index = (await get(`/v1/runs/${runA}/results`)).json<{ years: number[]; levels: string[] }>();
    expect(index).toMatchObject({ years: [2026, 2027], levels: ["council", "municipality", "national", "island"] });
    expect((await get(`/v1/runs/${runA}/manifest`)).json()).toMatchObject({ seed: 1 });
  });

  it("compares two runs of one seed paired: means of a and b and the difference b − a with its interval", async () => {
    const response = await get(`/v1/compare?a=${runA}&b=${runB}&level=national`);
    expect(response.headers["fordeling-comparison-method"]).toBe("paired");
    const rows =
      response.json<
        { year: number; need_mean_a: number; need_mean_b: number; need_difference: number; need_difference_ci95_low: number }[]
      >();
    expect(rows.map((r) => r.year)).toEqual([2025, 2026, 2027]);
    for (const row of rows) {
      expect(row.need_mean_b).toBeGreaterThan(row.need_mean_a);
      expect(row.need_difference).toBeCloseTo(row.need_mean_b - row.need_mean_a, 3);
      // The spread is the seed's, shared by both runs: paired differences do not vary.
      expect(row.need_difference_ci95_low).toBeCloseTo(row.need_difference, 3);
    }
    const csv = await get(`/v1/compare?a=${runA}&b=${runB}&level=council&year=2027&format=csv`);
    const header = csv.body.split(/\r?\n/u)[0] ?? "";
    expect(header.startsWith("level,area_id,area_name,year,need_mean_a,need_mean_b,need_difference,need_difference_ci95_low")).toBe(true);
    expect(header).toContain(",method,replications_a,replications_b,warnings");
    expect(csv.body.trim().split(/\r?\n/u)).toHaveLength(18);
  });

  it("gives the same numbers as the results module the CLI uses", async () => {
    const body = (await get(`/v1/compare?a=${runA}&b=${runB}&level=all`)).json<Record<string, unknown>[]>();
    const [a, b] = await Promise.all([readRun(app.fordeling.runs.resultDir(runA)), readRun(app.fordeling.runs.resultDir(runB))]);
    const table = compareRuns(a, b, { level: "all" }).table;
    expect(body).toEqual(Array.from({ length: table.rowCount }, (_, row) => recordAt(table, row)));
  });

  it("warns in a header and in every row when the runs' horizons differ, comparing the years both have", async () => {
    const longer = (await app.inject({ method: "POST", url: "/v1/runs", payload: { seed: 1, horizonYear: 2029 } })).json<{ id: string }>()
      .id;
    await waitForRun(app, longer);
    const response = await get(`/v1/compare?a=${runA}&b=${longer}&level=national`);
    expect(response.headers["fordeling-warnings"]).toContain("the horizons differ (A to 2027, B to 2029)");
    const rows = response.json<{ year: number; warnings: string }[]>();
    expect(rows.map((r) => r.year)).toEqual([2025, 2026, 2027]);
    expect(rows.every((r) => r.warnings.includes("horizons differ"))).toBe(true);
  });

  it("refuses a municipal comparison of runs that kept no municipalities, naming the flag that keeps them", async () => {
    const response = await get(`/v1/compare?a=${runA}&b=${runB}&level=municipality`);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: "FD_ERR_NOT_COMPARABLE", message: expect.stringMatching(/--keep-municipalities/u) });
  });

  it("names which run of a comparison is unknown", async () => {
    const response = await get(`/v1/compare?a=${runA}&b=${"c".repeat(32)}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ location: { field: "query.b" } });
    const missing = await get(`/v1/compare?a=${runA}`);
    expect(missing.json()).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "query.b" } });
  });
});
