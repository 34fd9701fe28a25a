import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_GEO_PARAMETERS_FILE, geoParametersFromJson, loadGeoParameters } from "../../src/geo/parameters.js";

const json = (): { parameters: Record<string, Record<string, unknown>> } => JSON.parse(readFileSync(DEFAULT_GEO_PARAMETERS_FILE, "utf8"));

describe("geo parameters", () => {
  it("rejects a parameter without its source, an unknown one, and a value out of range", () => {
    const noSource = json();
    delete noSource.parameters["access.detourFactor"]!.source;
    expect(() => geoParametersFromJson(noSource)).toThrow(
      expect.objectContaining({ code: "FD_ERR_REFERENCE_DATA", message: expect.stringContaining("source") }),
    );
    const unknown = json();
    unknown.parameters["access.radiusMiles"] = { value: 9, source: "x" };
    expect(() => geoParametersFromJson(unknown)).toThrow(/unknown parameter/u);
    const below = json();
    below.parameters["access.detourFactor"]!.value = 0.9;
    expect(() => geoParametersFromJson(below)).toThrow(/access\.detourFactor/u);
  });

  it("loads the documented defaults: 2 GPs within 15 km as the crow flies", () => {
    expect(loadGeoParameters()).toMatchObject({ radiusKm: 15, minimumGps: 2, detourFactor: 1 });
  });
});
