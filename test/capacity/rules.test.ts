import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { minimumPatientsPerCapacity, toIsoDate } from "../../src/capacity/rules.js";

describe("minimum patients per capacity", () => {
  it("makes a clinic whose patients average weight 1.25 take 1,280 per capacity", () => {
    expect(minimumPatientsPerCapacity(1600, 1.25)).toBe(1280);
  });

  it("is undefined (null) without patients or with a non-positive average weight", () => {
    expect(minimumPatientsPerCapacity(1600, null)).toBeNull();
    expect(minimumPatientsPerCapacity(1600, 0)).toBeNull();
    expect(minimumPatientsPerCapacity(1600, -0.2)).toBeNull();
  });

  it("follows a lowered target", () => {
    expect(minimumPatientsPerCapacity(1500, 1.25)).toBe(1200);
  });
});

describe("report dates", () => {
  it("rejects dates that do not exist or are not YYYY-MM-DD, naming the field", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "1 Jan 2027", ""]) {
      expect(() => toIsoDate(bad)).toThrow(FordelingError);
    }
    expect(() => toIsoDate("2026-02-30", "asOf")).toThrow(/field 'asOf': '2026-02-30' is not a calendar date/u);
    expect(() => toIsoDate(new Date(Number.NaN))).toThrow(FordelingError);
  });

  it("accepts leap days and reads a Date by its UTC day", () => {
    expect(toIsoDate("2028-02-29")).toBe("2028-02-29");
    expect(toIsoDate(new Date(Date.UTC(2026, 11, 31, 23, 30)))).toBe("2026-12-31");
  });
});
