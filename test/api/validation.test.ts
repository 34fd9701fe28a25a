import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp } from "./helpers.js";

describe("request validation", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir, bodyLimitBytes: 4096 }));
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });

  const postRun = (payload: unknown) => app.inject({ method: "POST", url: "/v1/runs", payload: payload as object });
  const error = async (response: Promise<{ statusCode: number; json: () => unknown }>) => {
    const r = await response;
    return { status: r.statusCode, body: r.json() as { code: string; message: string; location: { field?: string } } };
  };

  it("rejects a body that is not JSON with FD_ERR_BAD_VALUE", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/runs", headers: { "content-type": "application/json" }, payload: "{nope" });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "body" } });
  });

  it("rejects a body that is not JSON by media type with 415", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/runs", headers: { "content-type": "text/plain" }, payload: "replications=3" });
    expect(r.statusCode).toBe(415);
    expect(r.json()).toMatchObject({ code: "FD_ERR_UNSUPPORTED_MEDIA_TYPE" });
  });

  it("rejects a body over the size limit with 413", async () => {
    const r = await postRun({ scenario: { id: "big", description: "x".repeat(5000) } });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: "FD_ERR_REQUEST_TOO_LARGE" });
  });

  it("names a field below its minimum and the limit", async () => {
    const { status, body } = await error(postRun({ replications: 0 }));
    expect(status).toBe(400);
    expect(body.code).toBe("FD_ERR_BAD_VALUE");
    expect(body.location.field).toBe("body.replications");
    expect(body.message).toContain(">= 1");
  });

  it("names a field of the wrong type and does not coerce strings in bodies", async () => {
    const { body } = await error(postRun({ seed: "7" }));
    expect(body.location.field).toBe("body.seed");
    expect(body.message).toContain("must be integer");
  });

  it("names an unknown key and lists the allowed ones", async () => {
    const { body } = await error(postRun({ replication: 3 }));
    expect(body.location.field).toBe("body.replication");
    expect(body.message).toContain("replications");
  });

  it("names an unknown population kind and the kinds allowed", async () => {
    const { body } = await error(postRun({ population: { kind: "census" } }));
    expect(body.location.field).toBe("body.population.kind");
    expect(body.message).toContain("default, file, generated");
  });

  it("names a missing field of a population variant", async () => {
    const { body } = await error(postRun({ population: { kind: "generated", seed: 1 } }));
    expect(body.location.field).toBe("body.population.scale");
    expect(body.message).toContain("is required");
  });

  it("names an out-of-range scenario parameter inside the run body", async () => {
    const { body } = await error(postRun({ scenario: { id: "x", parameters: { "training.fillRate": 2 } } }));
    expect(body.location.field).toBe("body.scenario.parameters.training.fillRate");
    expect(body.message).toContain("<= 1");
  });

  it("rejects both scenario and scenarioId", async () => {
    const { body } = await error(postRun({ scenario: { id: "x" }, scenarioId: "x" }));
    expect(body.location.field).toBe("body.scenarioId");
  });

  it("rejects a population file name that tries to leave the data dir", async () => {
    for (const name of ["../etc/passwd", "/etc/passwd", ".hidden", "a/b.arrow"]) {
      const { status, body } = await error(postRun({ population: { kind: "file", name } }));
      expect(status).toBe(400);
      expect(body.location.field).toBe("body.population.name");
    }
  });

  it("answers 404 naming the field for a population file that is not in the data dir", async () => {
    const { status, body } = await error(postRun({ population: { kind: "file", name: "missing.arrow" } }));
    expect(status).toBe(404);
    expect(body.location.field).toBe("body.population.name");
  });

  it("names query fields: an unknown format and a year that is not a number", async () => {
    const id = "0".repeat(32);
    const format = await error(app.inject({ method: "GET", url: `/v1/runs/${id}/results/council?format=xml` }));
    expect(format.body.location.field).toBe("query.format");
    expect(format.body.message).toContain("json, csv, arrow");
    const year = await error(app.inject({ method: "GET", url: `/v1/runs/${id}/results/council?year=soon` }));
    expect(year.body.location.field).toBe("query.year");
  });

  it("rejects a malformed run id by pattern before any lookup", async () => {
    const { status, body } = await error(app.inject({ method: "GET", url: "/v1/runs/..%2F..%2Fetc" }));
    expect(status).toBe(400);
    expect(body.location.field).toBe("params.runId");
  });
});
