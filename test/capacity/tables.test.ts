import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeCapacityReport } from "../../src/capacity/report.js";
import { capacityTable, REPORT_LEVELS, TERMINAL_COLUMNS, terminalTable } from "../../src/capacity/tables.js";
import { toCsv } from "../../src/io/csv.js";
import { makeGeography, makeRegister, makeSums, makeWeightTable } from "./fixtures.js";

/** One small world whose every level is kept as a golden CSV file. */
function smallReport() {
  const geography = makeGeography([
    {
      id: "north",
      municipalities: [
        { code: 101, name: "Nordby", lifeExpectancyYears: 80 },
        { code: 102, name: "Øen", islandNoBridge: true },
      ],
    },
    {
      id: "south",
      municipalities: [{ code: 201, name: "Sydby", lifeExpectancyYears: 82, region2007: "Region B", region2027: "Region B" }],
    },
  ]);
  const sums = makeSums(geography, { residents: [3_200, 800, 1_600], weightSum: [3_520, 1_000, 1_600] }, [
    { clinicId: 7, residents: 3_000, weightSum: 3_750 },
    { clinicId: 8, residents: 1_600, weightSum: 1_600 },
    { clinicId: 65_535, residents: 1_000, weightSum: 770 },
  ]);
  const register = makeRegister(geography, [
    { clinicId: 7, municipalityIndex: 0, capacities: 3, gps: 2 },
    { clinicId: 8, municipalityIndex: 2, capacities: 0.5 },
    { clinicId: 9, municipalityIndex: 1, capacities: 0, tendered: true },
  ]);
  return computeCapacityReport({ sums, geography, register, weightTable: makeWeightTable({ share: 0.05 }), asOf: "2026-01-01" });
}

describe("capacity tables", () => {
  it("writes every level of a small world exactly as its golden CSV (UPDATE_GOLDEN=1 rewrites)", () => {
    const report = smallReport();
    for (const level of REPORT_LEVELS) {
      const file = join(import.meta.dirname, "golden", `${level}.csv`);
      const csv = toCsv(capacityTable(report, level));
      if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, csv);
      expect(csv, level).toBe(readFileSync(file, "utf8"));
    }
  });

  it("has one row per council, municipality, clinic and region and one national row", () => {
    const report = smallReport();
    expect(REPORT_LEVELS.map((level) => capacityTable(report, level).rowCount)).toEqual([2, 3, 3, 4, 1]);
  });

  it("shows only columns that exist in the full table at the terminal", () => {
    const report = smallReport();
    for (const level of REPORT_LEVELS) {
      expect(terminalTable(report, level).columns.map((c) => c.name)).toEqual(TERMINAL_COLUMNS[level]);
    }
  });

  it("writes flags as 0/1 and undefined minimums as empty fields", () => {
    const csv = toCsv(capacityTable(smallReport(), "clinic"));
    // Clinic 9: tendered, no patients and no capacities, so nothing per capacity is defined.
    expect(csv.split("\r\n")[3]).toBe("9,102,Øen,north,0,1,1,0,1.003642807765371,0,0,,,,,,,,,");
  });
});
