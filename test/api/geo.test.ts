import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dataFile } from "../../src/paths.js";
import { useTestApp } from "./helpers.js";

describe("boundary layers for maps", () => {
  const server = useTestApp();

  it("treats a foreign, listed, weak or * If-None-Match by the ETag rules", async () => {
    const url = "/v1/reference/geo/councils";
    const etag = String((await server.app.inject({ method: "GET", url })).headers["etag"]);
    const status = async (ifNoneMatch: string): Promise<number> =>
      (await server.app.inject({ method: "GET", url, headers: { "if-none-match": ifNoneMatch } })).statusCode;
    expect(await status('"b"')).toBe(200);
    expect(await status(`"b", W/${etag}`)).toBe(304);
    expect(await status("*")).toBe(304);
  });

  it("answers 304 with no body when the client already has the layer", async () => {
    const first = await server.app.inject({ method: "GET", url: "/v1/reference/geo/councils" });
    const etag = String(first.headers["etag"]);
    const again = await server.app.inject({ method: "GET", url: "/v1/reference/geo/councils", headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers["etag"]).toBe(etag);
    const stale = await server.app.inject({ method: "GET", url: "/v1/reference/geo/councils", headers: { "if-none-match": '"stale"' } });
    expect(stale.statusCode).toBe(200);
  });

  it("serves the 98 municipalities as the shipped bytes, keyed by the codes of the reference list", async () => {
    const response = await server.app.inject({ method: "GET", url: "/v1/reference/geo/municipalities" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/geo\+json/u);
    expect(response.headers["etag"]).toMatch(/^"[\w-]+"$/u);
    expect(response.rawPayload.equals(readFileSync(dataFile("geo/municipalities.geojson")))).toBe(true);
    const features = response.json<{ features: { properties: { kommunekode: string } }[] }>().features;
    const codes = (await server.app.inject({ method: "GET", url: "/v1/reference/municipalities" }))
      .json<{ code: number }[]>()
      .map((m) => String(m.code));
    expect(features.map((f) => f.properties.kommunekode).sort()).toEqual(codes.sort());
  });

  it("serves the 17 councils, named as the reference list names them", async () => {
    const features = (await server.app.inject({ method: "GET", url: "/v1/reference/geo/councils" })).json<{
      features: { properties: { sundhedsraad: string } }[];
    }>().features;
    const names = (await server.app.inject({ method: "GET", url: "/v1/reference/councils" })).json<{ name: string }[]>().map((c) => c.name);
    expect(features.map((f) => f.properties.sundhedsraad).sort()).toEqual(names.sort());
  });

  it("documents both layers in the OpenAPI document", async () => {
    const doc = (await server.app.inject({ method: "GET", url: "/openapi.json" })).json<{
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    }>();
    for (const layer of ["municipalities", "councils"]) {
      const responses = doc.paths[`/v1/reference/geo/${layer}`]?.get.responses ?? {};
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(["200", "304"]));
    }
  });
});
