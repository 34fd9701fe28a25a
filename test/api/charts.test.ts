import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp, waitForRun } from "./helpers.js";

describe("chart endpoints of a stored run", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let runId = "";
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
    runId = (await app.inject({ method: "POST", url: "/v1/runs", payload: { seed: 3, horizonYear: 2028 } })).json<{ id: string }>().id;
    await waitForRun(app, runId);
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url, headers });

  it("refuses an unknown measure or scale with 400 and a year the result lacks with 404 naming the field", async () => {
    const measure = await get(`/v1/runs/${runId}/charts/map.svg?measure=happiness`);
    expect(measure.statusCode).toBe(400);
    expect(measure.json()).toMatchObject({ code: "FD_ERR_BAD_VALUE" });
    expect((await get(`/v1/runs/${runId}/charts/fan.svg?scale=log`)).statusCode).toBe(400);
    const year = await get(`/v1/runs/${runId}/charts/map.svg?year=2035`);
    expect(year.statusCode).toBe(404);
    expect(year.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "query.year" } });
  });

  it("answers 404 for the charts of an unknown run", async () => {
    expect((await get(`/v1/runs/${"c".repeat(32)}/charts/fan.svg`)).statusCode).toBe(404);
  });

  it("serves the fan chart as SVG with an ETag, and 304 when the client has it", async () => {
    const fan = await get(`/v1/runs/${runId}/charts/fan.svg?lang=da`);
    expect(fan.statusCode).toBe(200);
    expect(fan.headers["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expect(fan.body).toMatch(/^<svg/u);
    expect(fan.body).toContain("Behov, median");
    const again = await get(`/v1/runs/${runId}/charts/fan.svg?lang=da`, { "if-none-match": String(fan.headers["etag"]) });
    expect(again.statusCode).toBe(304);
  });

  it("serves a municipality map of one measure and year", async () => {
    const map = await get(`/v1/runs/${runId}/charts/map.svg?level=municipality&measure=need&year=2027`);
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain("Need, 2027");
    expect(map.body.match(/<path/gu)?.length).toBeGreaterThanOrEqual(98);
  });

  it("lists both chart endpoints in the OpenAPI document", async () => {
    const paths = Object.keys((await get("/openapi.json")).json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(["/v1/runs/{runId}/charts/fan.svg", "/v1/runs/{runId}/charts/map.svg"]));
  });
});
