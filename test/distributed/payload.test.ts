import { describe, expect, it } from "vitest";
import { checkJobPayload, MAX_JOB_REPLICATIONS, type JobPayload } from "../../src/distributed/payload.js";
import type { FordelingError } from "../../src/errors.js";
import { baselineScenario } from "../../src/model/scenario.js";

const ref = { sha256: "a".repeat(64), bytes: 10, url: "http://127.0.0.1:9/data/" + "a".repeat(64) };
const good = (): JobPayload => ({
  version: 1,
  runId: "3f1c-run",
  scenario: baselineScenario(),
  seed: 1,
  horizonYear: 2027,
  replications: 20,
  population: { ...ref },
  register: { ...ref, sha256: "b".repeat(64) },
  from: 14,
  count: 6,
});

function rejection(value: unknown): FordelingError {
  try {
    checkJobPayload(value, "job-1");
  } catch (error) {
    return error as FordelingError;
  }
  throw new Error("the payload was accepted");
}

describe("checkJobPayload", () => {
  it("rejects what is not an object, naming the job", () => {
    const e = rejection("rm -rf /");
    expect(e.code).toBe("FD_ERR_JOB_PAYLOAD");
    expect(e.message).toMatch(/job job-1/u);
  });

  it("rejects a run id that could be a path, a data URL that is not http(s), and a hash that is not hex", () => {
    expect(rejection({ ...good(), runId: "../../etc" }).location.field).toBe("runId");
    expect(rejection({ ...good(), population: { ...ref, url: "file:///etc/passwd" } }).location.field).toBe("population.url");
    expect(rejection({ ...good(), register: { ...ref, sha256: "../register.csv" } }).location.field).toBe("register.sha256");
  });

  it("rejects unknown keys, a job larger than the maximum and a range beyond the run", () => {
    expect(rejection({ ...good(), path: "/tmp/x" }).message).toMatch(/must NOT have additional properties/u);
    expect(rejection({ ...good(), count: MAX_JOB_REPLICATIONS + 1 }).location.field).toBe("count");
    expect(rejection({ ...good(), from: 15 }).message).toMatch(/replications 15…20 lie outside the run's 20/u);
  });

  it("rejects a scenario that names a weight table file, and an invalid scenario", () => {
    const withFile = { ...good(), scenario: { id: "x", parameters: { "model.weightTableFile": "/etc/passwd" } } };
    expect(rejection(withFile).message).toMatch(/weight table file cannot be used/u);
    expect(rejection({ ...good(), scenario: { id: "x", parameters: { "no.such": 1 } } }).code).toBe("FD_ERR_SCENARIO");
  });

  it("accepts a well-formed payload", () => {
    expect(checkJobPayload(good(), "job-1")).toEqual(good());
  });
});
