import { describe, expect, it } from "vitest";
import { useTestApp } from "./helpers.js";

describe("reference and model resources", () => {
  const server = useTestApp();

  it("answers 404 with a coded body for a path outside the API", async () => {
    const response = await server.app.inject({ method: "GET", url: "/v2/nothing" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: {} });
  });

  it("answers the service index with or without a trailing slash", async () => {
    for (const url of ["/v1", "/v1/"]) {
      const response = await server.app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ service: "fordeling", openapi: "/openapi.json" });
    }
  });

  it("lists the 98 municipalities with their council ids and the 17 councils", async () => {
    const municipalities = (await server.app.inject({ method: "GET", url: "/v1/reference/municipalities" })).json<
      { code: number; council: string }[]
    >();
    const councils = (await server.app.inject({ method: "GET", url: "/v1/reference/councils" })).json<
      { id: string; municipalityCodes: number[] }[]
    >();
    expect(municipalities).toHaveLength(98);
    expect(councils).toHaveLength(17);
    const ids = new Set(councils.map((c) => c.id));
    expect(municipalities.every((m) => ids.has(m.council))).toBe(true);
    expect(councils.reduce((s, c) => s + c.municipalityCodes.length, 0)).toBe(98);
  });

  it("lists 5 regions before 2027 and 4 from 2027", async () => {
    const regions = (await server.app.inject({ method: "GET", url: "/v1/reference/regions" })).json<{ period: string }[]>();
    expect(regions.filter((r) => r.period === "2007-2026")).toHaveLength(5);
    expect(regions.filter((r) => r.period === "from-2027")).toHaveLength(4);
  });

  it("finds one municipality by code and names the field when the code is unknown or malformed", async () => {
    expect((await server.app.inject({ method: "GET", url: "/v1/reference/municipalities/101" })).json()).toMatchObject({
      code: 101,
      name: "København",
    });
    const unknown = await server.app.inject({ method: "GET", url: "/v1/reference/municipalities/102" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "params.code" } });
    const malformed = await server.app.inject({ method: "GET", url: "/v1/reference/municipalities/abc" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "params.code" } });
  });

  it("finds a council by id and 404s on an unknown one", async () => {
    const councils = (await server.app.inject({ method: "GET", url: "/v1/reference/councils" })).json<{ id: string }[]>();
    const id = councils[0]?.id ?? "";
    expect((await server.app.inject({ method: "GET", url: `/v1/reference/councils/${id}` })).json()).toMatchObject({ id });
    const unknown = await server.app.inject({ method: "GET", url: "/v1/reference/councils/atlantis" });
    expect(unknown.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "params.councilId" } });
  });

  it("serves the weight table with the published labour-market contribution", async () => {
    const table = (await server.app.inject({ method: "GET", url: "/v1/model/weight-table" })).json<{
      contributions: { outsideLabourMarket: number };
    }>();
    expect(table.contributions.outsideLabourMarket).toBe(0.54);
  });

  it("serves an OpenAPI 3 document that describes the run request and marks no key when none is configured", async () => {
    const doc = (await server.app.inject({ method: "GET", url: "/openapi.json" })).json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown }>>;
    }>();
    expect(doc.openapi).toMatch(/^3\./u);
    expect(doc.paths["/v1/runs"]?.["post"]?.requestBody).toBeDefined();
    expect(doc.paths["/v1/runs/{runId}/results/{level}"]?.["get"]).toBeDefined();
    expect(doc.paths["/v1/compare"]?.["get"]).toBeDefined();
    // Without a configured key the key is optional: `{}` is the anonymous alternative.
    expect(doc.paths["/v1/runs"]?.["post"]?.security).toEqual([{ apiKey: [] }, { bearerAuth: [] }, {}]);
  });

  it("serves interactive docs", async () => {
    const response = await server.app.inject({ method: "GET", url: "/docs/" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/u);
  });
});
