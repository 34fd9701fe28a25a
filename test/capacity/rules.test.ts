import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { capStatus, islandExceptionApplies, islandExtraCapacities, minimumPatientsPerCapacity, toIsoDate } from "../../src/capacity/rules.js";

describe("the cap rule", () => {
  it("closes a council whose supply exactly meets its need", () => {
    expect(capStatus(12, 12)).toEqual({ status: "closed", newCapacitiesAllowed: 0 });
  });

  it("closes a council with more supply than need and never asks it to cut", () => {
    expect(capStatus(10.2, 14)).toEqual({ status: "closed", newCapacitiesAllowed: 0 });
  });

  it("keeps a council short by less than one capacity open with none to open", () => {
    expect(capStatus(7.4, 7)).toEqual({ status: "open", newCapacitiesAllowed: 0 });
  });

  it("lets an open council open the whole capacities of its deficit, rounded down", () => {
    expect(capStatus(10.9, 7)).toEqual({ status: "open", newCapacitiesAllowed: 3 });
    expect(capStatus(10, 7)).toEqual({ status: "open", newCapacitiesAllowed: 3 });
    expect(capStatus(3.5, 0)).toEqual({ status: "open", newCapacitiesAllowed: 3 });
  });
});

describe("the island exception", () => {
  const island = { islandNoBridge: true };
  it("applies on a non-bridged island up to and including 31 December 2026", () => {
    expect(islandExceptionApplies(island, "2025-07-01")).toBe(true);
    expect(islandExceptionApplies(island, "2026-12-31")).toBe(true);
  });

  it("ends on 1 January 2027", () => {
    expect(islandExceptionApplies(island, "2027-01-01")).toBe(false);
    expect(islandExceptionApplies(island, "2030-06-30")).toBe(false);
  });

  it("never applies to a municipality that is not a non-bridged island", () => {
    expect(islandExceptionApplies({ islandNoBridge: false }, "2026-01-01")).toBe(false);
  });

  it("lets an island open its own deficit rounded up, and nothing when it is not short", () => {
    expect(islandExtraCapacities(2.82, 2)).toBe(1);
    expect(islandExtraCapacities(29.7, 23)).toBe(7);
    expect(islandExtraCapacities(2, 2)).toBe(0);
    expect(islandExtraCapacities(1, 3)).toBe(0);
  });

  it("follows another end date when a scenario moves it", () => {
    expect(islandExceptionApplies(island, "2027-06-01", "2028-01-01")).toBe(true);
  });
});

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
