import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_REGISTER_PARAMETERS_FILE,
  defaultRegisterParameters,
  loadRegisterParameters,
  registerParametersFromJson,
} from "../../src/register/parameters.js";
import { caught, writeTemp } from "./helpers.js";

type ParameterFile = { parameters: Record<string, { value: unknown; source?: string }> };
function shipped(): ParameterFile {
  return JSON.parse(readFileSync(DEFAULT_REGISTER_PARAMETERS_FILE, "utf8")) as ParameterFile;
}
function edited(edit: (file: ParameterFile) => void): ParameterFile {
  const file = shipped();
  edit(file);
  return file;
}

describe("register parameters", () => {
  it("rejects a file that is not JSON, naming the file", () => {
    const file = writeTemp("p.json", "{ nope");
    const error = caught(() => loadRegisterParameters(file));
    expect(error.code).toBe("FD_ERR_REFERENCE_DATA");
    expect(error.location.file).toBe(file);
  });

  it("rejects a missing file", () => {
    expect(caught(() => loadRegisterParameters("/nonexistent/p.json")).code).toBe("FD_ERR_FILE_NOT_FOUND");
  });

  it("rejects a missing, an unknown and an unsourced parameter, naming it", () => {
    const missing = caught(() =>
      registerParametersFromJson(
        edited((f) => delete f.parameters["tender.clinicShare"]),
        "p.json",
      ),
    );
    expect(missing.location).toEqual({ file: "p.json", field: "tender.clinicShare" });
    const unknown = caught(() => registerParametersFromJson(edited((f) => (f.parameters["gp.retireAge"] = { value: 66, source: "x" }))));
    expect(unknown.location.field).toBe("gp.retireAge");
    const unsourced = caught(() => registerParametersFromJson(edited((f) => delete f.parameters["gp.ageBandShares"]?.source)));
    expect(unsourced.location.field).toBe("gp.ageBandShares");
    expect(unsourced.message).toMatch(/source/u);
  });

  it("rejects values out of range, of the wrong type, and shares that do not sum to 1", () => {
    const cases: [string, unknown][] = [
      ["tender.clinicShare", 1.5],
      ["capacities.national", "3500"],
      ["gp.capacityShares", [0.5, 0.5, 0.5, 0.5]],
      ["gp.ageBandShares", [1]],
      ["gp.ageBandLowerYears", [30, 35, 35, 45, 50, 55, 60, 65, 70, 75]],
      ["clinics.maxGpsPerClinic", 2.5],
    ];
    for (const [key, value] of cases) {
      const error = caught(() => registerParametersFromJson(edited((f) => ((f.parameters[key] as { value: unknown }).value = value))));
      expect(error.code).toBe("FD_ERR_REFERENCE_DATA");
      expect(error.location.field).toBe(key);
    }
  });

  it("ships a file where every parameter has a source, and its age profile has 28 % aged 65+", () => {
    for (const entry of Object.values(shipped().parameters)) expect(entry.source).toMatch(/\S/u);
    const p = defaultRegisterParameters();
    const share65 = p.ageBandShares.reduce((s, share, i) => s + ((p.ageBandLowerYears[i] ?? 0) >= 65 ? share : 0), 0);
    expect(share65).toBeCloseTo(0.28, 10);
    expect(p.nationalCapacities).toBe(3500);
    expect(p.nationalClinics).toBe(1950);
  });
});
