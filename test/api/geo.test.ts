import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { matchesEtag } from "../../src/api/geo.js";
import { dataFile } from "../../src/paths.js";
import { makeTempDir, makeTestApp } from "./helpers.js";

describe("boundary layers for maps", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });

  it("treats a missing, foreign or weak If-None-Match by the ETag rules", () => {
    expect(matchesEtag(undefined, '"a"')).toBe(false);
    expect(matchesEtag('"b"', '"a"')).toBe(false);
    expect(matchesEtag('"b", W/"a"', '"a"')).toBe(true);
    expect(matchesEtag("*", '"a"')).toBe(true);
  });

  it("answers 304 with no body when the client already has the layer", async () => {
    const first = await app.inject({ method: "GET", url: "/v1/reference/geo/councils" });
    const etag = String(first.headers["etag"]);
    const again = await app.inject({ method: "GET", url: "/v1/reference/geo/councils", headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers["etag"]).toBe(etag);
    const stale = await app.inject({ method: "GET", url: "/v1/reference/geo/councils", headers: { "if-none-match": '"stale"' } });
    expect(stale.statusCode).toBe(200);
  });

  it("serves the 98 municipalities as the shipped bytes, keyed by the codes of the reference list", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/reference/geo/municipalities" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/geo\+json/u);
    expect(response.headers["etag"]).toMatch(/^"[\w-]+"$/u);
    expect(response.rawPayload.equals(readFileSync(dataFile("geo/municipalities.geojson")))).toBe(true);
    const features = response.json<{ features: { properties: { kommunekode: string } }[] }>().features;
    const codes = (await app.inject({ method: "GET", url: "/v1/reference/municipalities" }))
      .json<{ code: number }[]>()
      .map((m) => String(m.code));
    expect(features.map((f) => f.properties.kommunekode).sort()).toEqual(codes.sort());
  });

  it("serves the 17 councils, named as the reference list names them", async () => {
    const features = (await app.inject({ method: "GET", url: "/v1/reference/geo/councils" })).json<{
      features: { properties: { sundhedsraad: string } }[];
    }>().features;
    const names = (await app.inject({ method: "GET", url: "/v1/reference/councils" })).json<{ name: string }[]>().map((c) => c.name);
    expect(features.map((f) => f.properties.sundhedsraad).sort()).toEqual(names.sort());
  });

  it("documents both layers in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json<{
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    }>();
    for (const layer of ["municipalities", "councils"]) {
      const responses = doc.paths[`/v1/reference/geo/${layer}`]?.get.responses ?? {};
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(["200", "304"]));
    }
  });
});
