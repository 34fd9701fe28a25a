import { describe, expect, it } from "vitest";
import { computeCapacityReport, type CapacityReportInput } from "../../src/capacity/report.js";
import { capacityTable, REPORT_LEVELS, terminalTable } from "../../src/capacity/tables.js";
import { FordelingError } from "../../src/errors.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { toCsv } from "../../src/io/csv.js";
import { formatTable } from "../../src/io/terminal.js";
import { everyNumber, makeGeography, makeRegister, makeSums, makeWeightTable } from "./fixtures.js";

/**
 * Two councils. North: 101 (need 10) and the island 102 (need 1, no clinic); supply 12, so
 * closed. South: 201 (need 6) and the empty 202; supply 2.5 + 1, so open with 2 to open.
 */
function world(asOf = "2026-06-01", share = 0): CapacityReportInput {
  const geography = makeGeography([
    {
      id: "north",
      municipalities: [
        { code: 101, lifeExpectancyYears: 80 },
        { code: 102, islandNoBridge: true, name: "Island" },
      ],
    },
    {
      id: "south",
      municipalities: [
        { code: 201, lifeExpectancyYears: 82, region2027: "Region B" },
        { code: 202, lifeExpectancyYears: 78, region2027: "Region B" },
      ],
    },
  ]);
  const sums = makeSums(geography, { residents: [16_000, 1_600, 8_000, 0], weightSum: [16_000, 1_600, 9_600, 0] }, [
    { clinicId: 1, residents: 16_000, weightSum: 16_000 },
    { clinicId: 3, residents: 4_000, weightSum: 5_000 },
    { clinicId: 999, residents: 50, weightSum: 60 },
    { clinicId: 65_535, residents: 100, weightSum: 100 },
  ]);
  const register = makeRegister(geography, [
    { clinicId: 3, municipalityIndex: 2, capacities: 2.5, gps: 3 },
    { clinicId: 1, municipalityIndex: 0, capacities: 12, gps: 7 },
    { clinicId: 4, municipalityIndex: 3, capacities: 1, tendered: true },
  ]);
  return { sums, geography, register, weightTable: makeWeightTable({ share }), asOf };
}

function errorOf(fn: () => unknown): FordelingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FordelingError) return error;
    throw error;
  }
  throw new Error("expected a FordelingError");
}

describe("computeCapacityReport", () => {
  it("gives an empty municipality and a clinic without patients null averages, not NaN, and excludes them from the distribution", () => {
    const report = computeCapacityReport(world());
    const empty = report.municipalities[3]!;
    expect(empty.averageWeight).toBeNull();
    expect(empty.minimumPatientsPerCapacity).toBeNull();
    expect(empty.need).toBe(0);
    const clinic4 = report.clinics.find((c) => c.clinicId === 4)!;
    expect(clinic4).toMatchObject({
      listedPatients: 0,
      averageWeight: null,
      minimumPatientsPerCapacity: null,
      minimumPatients: null,
      insideBand: null,
      atOrAboveMinimum: null,
    });
    expect(report.councils[1]!.clinicsWithMinimum).toBe(1);
    expect(everyNumber(report).every(Number.isFinite)).toBe(true);
    for (const level of REPORT_LEVELS) {
      const table = capacityTable(report, level);
      expect(toCsv(table).split("\r\n")).toHaveLength(table.rowCount + 2);
      expect(formatTable(terminalTable(report, level)).split("\n")).toHaveLength(table.rowCount + 3);
    }
  });

  it("makes a clinic whose patients average weight 1.25 take 1,280 per capacity", () => {
    const clinic = computeCapacityReport(world()).clinics.find((c) => c.clinicId === 3)!;
    expect(clinic.averageWeight).toBe(1.25);
    expect(clinic.minimumPatientsPerCapacity).toBe(1280);
    expect(clinic.minimumPatients).toBe(3200);
    expect(clinic.listedPatientsPerCapacity).toBe(1600);
    expect(clinic.atOrAboveMinimum).toBe(true);
    expect(clinic.insideBand).toBe(true);
  });

  it("computes need, supply and gap per municipality and council", () => {
    const report = computeCapacityReport(world());
    expect(report.municipalities.map((m) => m.need)).toEqual([10, 1, 6, 0]);
    expect(report.municipalities.map((m) => m.supply)).toEqual([12, 0, 2.5, 1]);
    expect(report.councils.map((c) => [c.need, c.supply, c.gap])).toEqual([
      [11, 12, 1],
      [6, 3.5, -2.5],
    ]);
    expect(report.councils.map((c) => [c.clinics, c.gps])).toEqual([
      [1, 7],
      [2, 4],
    ]);
  });

  it("closes a council whose supply meets need and lets an open one open floor(need − supply)", () => {
    const report = computeCapacityReport(world());
    expect(report.councils.map((c) => [c.status, c.newCapacitiesAllowed])).toEqual([
      ["closed", 0],
      ["open", 2],
    ]);
    expect(report.national).toMatchObject({ councilsOpen: 1, councilsClosed: 1, newCapacitiesAllowed: 2 });
    expect(report.municipalities.map((m) => m.councilStatus)).toEqual(["closed", "closed", "open", "open"]);
  });

  it("lets a non-bridged island in a closed council open its own deficit before 1 January 2027", () => {
    const report = computeCapacityReport(world("2026-12-31"));
    const island = report.municipalities[1]!;
    expect(island).toMatchObject({ islandException: true, islandExtraCapacitiesAllowed: 1, councilStatus: "closed" });
    expect(report.councils[0]!.islandExtraCapacitiesAllowed).toBe(1);
    expect(report.national).toMatchObject({ islandExceptionInForce: true, islandExtraCapacitiesAllowed: 1 });
  });

  it("ends the island exception on 1 January 2027, or on a scenario's date", () => {
    const after = computeCapacityReport(world("2027-01-01"));
    expect(after.municipalities[1]).toMatchObject({ islandException: false, islandExtraCapacitiesAllowed: 0 });
    expect(after.national).toMatchObject({ islandExceptionInForce: false, islandExtraCapacitiesAllowed: 0 });
    const moved = computeCapacityReport({ ...world("2027-01-01"), policy: { islandExceptionUntil: "2028-01-01" } });
    expect(moved.municipalities[1]!.islandExtraCapacitiesAllowed).toBe(1);
  });

  it("counts residents without a clinic and with a clinic id the register does not know", () => {
    const report = computeCapacityReport(world());
    expect(report.national.residentsWithoutClinic).toBe(100);
    expect(report.national.residentsWithUnregisteredClinic).toBe(50);
  });

  it("keeps national need unchanged by the correction and council totals equal to their municipalities", () => {
    const report = computeCapacityReport(world("2026-06-01", 0.3));
    expect(report.national.need).toBeCloseTo(report.national.needUncorrected, 10);
    expect(report.councils.reduce((s, c) => s + c.need, 0)).toBeCloseTo(report.national.need, 10);
    for (const c of report.councils) {
      const fromMunicipalities = report.municipalities.filter((m) => m.councilIndex === c.councilIndex).reduce((s, m) => s + m.need, 0);
      expect(fromMunicipalities).toBeCloseTo(c.need, 10);
    }
    // North has 85 % of the lost life years but 65 % of the weight, so need moves north; the
    // empty municipality has no residents, hence no lost years, and stays at zero.
    expect(report.councils[0]!.need).toBeGreaterThan(report.councils[0]!.needUncorrected);
    expect(report.councils[1]!.need).toBeLessThan(report.councils[1]!.needUncorrected);
    expect(report.municipalities[3]!.need).toBe(0);
  });

  it("totals regions under both schemes to the national figures on the real geography", () => {
    const geography = defaultGeography();
    const residents = geography.municipalities.map((m) => m.population2026);
    const sums = makeSums(geography, { residents, weightSum: residents.map((r, i) => r * (0.9 + (i % 7) * 0.05)) });
    const report = computeCapacityReport({
      sums,
      geography,
      register: makeRegister(geography, []),
      weightTable: makeWeightTable(),
      asOf: "2026-01-01",
    });
    expect(report.councils).toHaveLength(17);
    expect(report.regions.filter((r) => r.scheme === "2007-2026")).toHaveLength(5);
    expect(report.regions.filter((r) => r.scheme === "2027")).toHaveLength(4);
    for (const scheme of ["2007-2026", "2027"] as const) {
      const rows = report.regions.filter((r) => r.scheme === scheme);
      expect(rows.reduce((s, r) => s + r.residents, 0)).toBe(6_025_511);
      expect(rows.reduce((s, r) => s + r.need, 0)).toBeCloseTo(report.national.need, 8);
    }
    expect(report.national.need).toBeCloseTo(report.national.needUncorrected, 8);
    // With no register every council is short and open.
    expect(report.national.councilsOpen).toBe(17);
    expect(report.national.p50).toBeNull();
  });

  it("rejects sums that do not fit the geography, naming the level", () => {
    const input = world();
    const error = errorOf(() =>
      computeCapacityReport({
        ...input,
        sums: { ...input.sums, municipality: makeSums(defaultGeography(), { residents: [], weightSum: [] }).municipality },
      }),
    );
    expect(error.code).toBe("FD_ERR_INTERNAL");
    expect(error.message).toMatch(/municipality sums have 98 slots, expected 4/u);
  });

  it("rejects NaN in the sums instead of passing it on", () => {
    const input = world();
    input.sums.municipality.weightSum[2] = Number.NaN;
    expect(errorOf(() => computeCapacityReport(input)).message).toMatch(/municipality slot 2 holds NaN/u);
    const negative = world();
    negative.sums.clinic.weightSum[5] = -Infinity;
    expect(errorOf(() => computeCapacityReport(negative)).message).toMatch(/clinic slot 5 holds -Infinity/u);
    const fewer = world();
    fewer.sums.clinic.residents[9] = -1;
    expect(errorOf(() => computeCapacityReport(fewer)).message).toMatch(/clinic slot 9 holds -1/u);
  });

  it("rejects a register clinic in an unknown municipality or with negative capacities", () => {
    const input = world();
    const bad = { ...input.register, clinics: [{ ...input.register.clinics[0]!, municipalityIndex: 9 }] };
    expect(errorOf(() => computeCapacityReport({ ...input, register: bad })).code).toBe("FD_ERR_REGISTER");
    const negative = { ...input.register, clinics: [{ ...input.register.clinics[0]!, capacities: -1 }] };
    expect(errorOf(() => computeCapacityReport({ ...input, register: negative })).message).toMatch(/clinic 3.*>= 0, got -1/u);
  });

  it("rejects a report date that is not a calendar date", () => {
    const error = errorOf(() => computeCapacityReport({ ...world(), asOf: "2026-31-12" }));
    expect(error.code).toBe("FD_ERR_BAD_VALUE");
    expect(error.message).toContain("asOf");
  });
});
