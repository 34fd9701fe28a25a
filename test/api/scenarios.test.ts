import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp } from "./helpers.js";

describe("scenarios", () => {
  const temp = makeTempDir();
  const outside = makeTempDir("fordeling-outside-");
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
    outside.remove();
  });
  const create = (payload: object) => app.inject({ method: "POST", url: "/v1/scenarios", payload });

  it("answers 404 for a scenario that does not exist", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/scenarios/none" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND", location: { field: "params.scenarioId" } });
  });

  it("stores a scenario as a file, lists it and returns it", async () => {
    const scenario = { id: "training-450", description: "more places", parameters: { "training.placesPerYear": 450 } };
    const created = await create(scenario);
    expect(created.statusCode).toBe(201);
    expect(created.headers["location"]).toBe("/v1/scenarios/training-450");
    expect((await app.inject({ method: "GET", url: "/v1/scenarios/training-450" })).json()).toEqual(scenario);
    expect((await app.inject({ method: "GET", url: "/v1/scenarios" })).json()).toEqual([scenario]);
    expect((await create(scenario)).statusCode).toBe(200);
  });

  it("refuses other content under an existing id with 409", async () => {
    await create({ id: "fixed", parameters: { "training.fillRate": 0.9 } });
    const response = await create({ id: "fixed", parameters: { "training.fillRate": 0.8 } });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: "FD_ERR_CONFLICT", location: { field: "body.id" } });
  });

  it("names an unknown parameter and a malformed id", async () => {
    const unknown = await create({ id: "x", parameters: { "training.places": 400 } });
    expect(unknown.json()).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "body.parameters.training.places" } });
    const id = await create({ id: "../x" });
    expect(id.json()).toMatchObject({ location: { field: "body.id" } });
  });

  it("validates without storing: the key and the allowed range in the error", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/scenarios/validate",
      payload: { id: "check", parameters: { "training.fillRate": 1.5 } },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ valid: boolean; error: { code: string; message: string; location: { field: string } } }>();
    expect(body.valid).toBe(false);
    expect(body.error.code).toBe("FD_ERR_SCENARIO");
    expect(body.error.location.field).toBe("body.parameters.training.fillRate");
    expect(body.error.message).toContain("0 to 1");
    expect((await app.inject({ method: "GET", url: "/v1/scenarios/check" })).statusCode).toBe(404);
  });

  it("lets a scenario name a weight table only inside the data dir's weight-tables folder", async () => {
    const absolute = await create({ id: "abs", parameters: { "model.weightTableFile": "/etc/passwd" } });
    expect(absolute.statusCode).toBe(400);
    expect(absolute.json()).toMatchObject({ code: "FD_ERR_SCENARIO", location: { field: "body.parameters.model.weightTableFile" } });
    const missing = await create({ id: "missing", parameters: { "model.weightTableFile": "official.json" } });
    expect(missing.json()).toMatchObject({ code: "FD_ERR_SCENARIO" });
    // A link inside the folder that leads outside the data dir is refused as well.
    writeFileSync(join(outside.dir, "table.json"), "{}");
    mkdirSync(join(temp.dir, "weight-tables"), { recursive: true });
    symlinkSync(join(outside.dir, "table.json"), join(temp.dir, "weight-tables", "linked.json"));
    const linked = await create({ id: "linked", parameters: { "model.weightTableFile": "linked.json" } });
    expect(linked.statusCode).toBe(400);
    expect(linked.json<{ message: string }>().message).toContain("outside the data dir");
  });

  it("accepts a valid weight table from the weight-tables folder", async () => {
    const table = (await app.inject({ method: "GET", url: "/v1/model/weight-table" })).body;
    writeFileSync(join(temp.dir, "weight-tables", "copy.json"), table);
    const response = await create({ id: "own-table", parameters: { "model.weightTableFile": "copy.json" } });
    expect(response.statusCode).toBe(201);
  });
});
