import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp } from "./helpers.js";

describe("API key on write endpoints", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir, apiKey: "s3cret-key" }));
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const scenario = { id: "auth-test", parameters: {} };

  it("answers 401 to a write without a key and names the header", async () => {
    const response = await app.inject({ method: "POST", url: "/v1/scenarios", payload: scenario });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: "FD_ERR_UNAUTHORIZED", location: { field: "headers.x-api-key" } });
  });

  it("answers 401 to a wrong key, also one that differs only in length", async () => {
    for (const key of ["wrong", "s3cret-key-", "s3cret-ke"]) {
      const response = await app.inject({ method: "POST", url: "/v1/runs", headers: { "x-api-key": key }, payload: {} });
      expect(response.statusCode).toBe(401);
    }
  });

  it("checks the key before it reads the body", async () => {
    const response = await app.inject({ method: "DELETE", url: `/v1/runs/${"a".repeat(32)}` });
    expect(response.statusCode).toBe(401);
    const malformed = await app.inject({ method: "POST", url: "/v1/runs", headers: { "content-type": "application/json" }, payload: "{" });
    expect(malformed.statusCode).toBe(401);
  });

  it("accepts the key as X-API-Key or as a bearer token", async () => {
    const viaHeader = await app.inject({ method: "POST", url: "/v1/scenarios", headers: { "x-api-key": "s3cret-key" }, payload: scenario });
    expect(viaHeader.statusCode).toBe(201);
    const viaBearer = await app.inject({
      method: "POST",
      url: "/v1/scenarios",
      headers: { authorization: "Bearer s3cret-key" },
      payload: scenario,
    });
    expect(viaBearer.statusCode).toBe(200);
  });

  it("leaves reads and scenario validation open", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/scenarios" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/v1/reference/councils" })).statusCode).toBe(200);
    const validate = await app.inject({ method: "POST", url: "/v1/scenarios/validate", payload: scenario });
    expect(validate.json()).toMatchObject({ valid: true });
  });

  it("marks write operations as needing the key in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json<{
      paths: Record<string, Record<string, { security?: unknown }>>;
    }>();
    expect(doc.paths["/v1/runs"]?.["post"]?.security).toEqual([{ apiKey: [] }, { bearerAuth: [] }]);
    expect(doc.paths["/v1/runs"]?.["get"]?.security).toEqual([]);
  });
});
