import { readFileSync, writeFileSync } from "node:fs";
import { makeTestTempDir } from "../support/tempDirs.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { PARAMETER_KEYS, defaultParameterFile, parameterFileFromJson } from "../../src/model/parameters.js";
import { SCENARIO_JSON_SCHEMA, loadScenario, scenarioFromJson } from "../../src/model/scenario.js";

function scenarioError(value: unknown): FordelingError {
  try {
    scenarioFromJson(value, "s.json");
  } catch (error) {
    if (error instanceof FordelingError) return error;
    throw error;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario validation", () => {
  it("rejects an unknown top-level key, naming it", () => {
    const error = scenarioError({ id: "x", horizon: 2030 });
    expect(error.code).toBe("FD_ERR_SCENARIO");
    expect(error.message).toMatch(/unknown key 'horizon'/u);
  });

  it("rejects an unknown parameter, naming it and where the allowed keys are listed", () => {
    const error = scenarioError({ id: "x", parameters: { "training.places": 450 } });
    expect(error.message).toMatch(/unknown key 'training.places'.*parameters\.json/u);
    expect(error.location.field).toBe("parameters.training.places");
  });

  it("rejects a wrong type, naming the key and the allowed range", () => {
    const error = scenarioError({ id: "x", parameters: { "training.placesPerYear": "450" } });
    expect(error.message).toMatch(/'training.placesPerYear' = "450" must be a number \(allowed: a whole number from 0 to 2000\)/u);
  });

  it("rejects a fraction where a whole number is required", () => {
    expect(scenarioError({ id: "x", parameters: { "training.placesPerYear": 450.5 } }).message).toMatch(/whole number/u);
  });

  it("rejects an out-of-range value, naming the key and the allowed range", () => {
    const error = scenarioError({ id: "x", parameters: { "training.fillRate": 1.4 } });
    expect(error.message).toMatch(/'training.fillRate' = 1.4 is out of range \(allowed: a number from 0 to 1\)/u);
  });

  it("rejects a date outside its range and a malformed date", () => {
    expect(scenarioError({ id: "x", parameters: { "policy.islandExceptionUntil": "2099-01-01" } }).message).toMatch(
      /'policy.islandExceptionUntil'.*out of range.*2025-07-01 to 2040-12-31/u,
    );
    expect(scenarioError({ id: "x", parameters: { "policy.islandExceptionUntil": "1 Jan 2027" } }).message).toMatch(/YYYY-MM-DD/u);
  });

  it("requires an id", () => {
    expect(scenarioError({ parameters: {} }).message).toMatch(/id/u);
  });

  it("accepts every shipped example and resolves a relative weight table against the scenario file", () => {
    for (const name of ["baseline", "training-450", "target-1500"]) {
      expect(loadScenario(join(PACKAGE_ROOT, "scenarios", `${name}.json`)).id).toBe(name);
    }
    const dir = makeTestTempDir("fd-scenario-");
    const file = join(dir, "w.yaml");
    writeFileSync(file, "id: other-table\nparameters:\n  model.weightTableFile: tables/w.json\n  training.fillRate: 0.9\n");
    const scenario = loadScenario(file);
    expect(scenario.parameters["model.weightTableFile"]).toBe(join(dir, "tables/w.json"));
    expect(scenario.parameters["training.fillRate"]).toBe(0.9);
  });

  it("reports an unparsable file with FD_ERR_SCENARIO and a missing one with FD_ERR_FILE_NOT_FOUND", () => {
    const dir = makeTestTempDir("fd-scenario-");
    writeFileSync(join(dir, "bad.json"), "{ id: ");
    expect(() => loadScenario(join(dir, "bad.json"))).toThrow(
      expect.objectContaining({ code: "FD_ERR_SCENARIO", message: expect.stringMatching(/not valid JSON/u) }),
    );
    writeFileSync(join(dir, "bad.yaml"), "id: [unclosed");
    expect(() => loadScenario(join(dir, "bad.yaml"))).toThrow(
      expect.objectContaining({ code: "FD_ERR_SCENARIO", message: expect.stringMatching(/not valid YAML/u) }),
    );
    expect(() => loadScenario(join(dir, "missing.json"))).toThrow(expect.objectContaining({ code: "FD_ERR_FILE_NOT_FOUND" }));
  });

  it("keeps data/model/scenario.schema.json equal to the schema generated from the parameters", () => {
    const file = JSON.parse(readFileSync(join(PACKAGE_ROOT, "data/model/scenario.schema.json"), "utf8")) as unknown;
    expect(file).toEqual(SCENARIO_JSON_SCHEMA);
  });
});

describe("parameter file", () => {
  it("lists exactly the parameters the model reads, each with a source", () => {
    const file = defaultParameterFile();
    expect(Object.keys(file.parameters).sort()).toEqual([...PARAMETER_KEYS].sort());
    for (const key of PARAMETER_KEYS) expect(file.parameters[key].source, key).toMatch(/\w{3}/u);
  });

  it("rejects a distribution that leaves the parameter's range", () => {
    const file = structuredClone(defaultParameterFile()) as unknown as { parameters: Record<string, Record<string, unknown>> };
    file.parameters["training.fillRate"]!["distribution"] = { kind: "uniform", min: 0.5, max: 1.2 };
    expect(() => parameterFileFromJson(file, "p.json")).toThrow(/training.fillRate.*exceed/u);
  });
});
