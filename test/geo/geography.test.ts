import { readFileSync, writeFileSync } from "node:fs";
import { makeTestTempDir } from "../support/tempDirs.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultGeography, loadGeography, councilIdFromName } from "../../src/geo/geography.js";
import { dataFile } from "../../src/paths.js";

function withEditedCsv(edit: (lines: string[]) => string[]): string {
  const dir = makeTestTempDir("fordeling-geo-");
  const file = join(dir, "kommuner.csv");
  const lines = readFileSync(dataFile("kommuner.csv"), "utf8").trimEnd().split(/\r?\n/u);
  writeFileSync(file, edit(lines).join("\n") + "\n");
  return file;
}

describe("geography", () => {
  it("rejects a duplicated municipality code, naming the row", () => {
    const file = withEditedCsv((lines) => [...lines, lines[1] ?? ""]);
    expect(() => loadGeography(file)).toThrow(/row 100.*appears twice|appears twice/u);
  });

  it("rejects a missing column, naming it", () => {
    const file = withEditedCsv((lines) => lines.map((l) => l.split(",").slice(0, -1).join(",")));
    expect(() => loadGeography(file)).toThrow(/column 'life_expectancy_2015_2019'/u);
  });

  it("rejects a non-numeric population, naming file, row and column", () => {
    const file = withEditedCsv((lines) => lines.map((l, i) => (i === 3 ? l.replace(/,\d+,(\d+),/u, ",many,$1,") : l)));
    expect(() => loadGeography(file)).toThrow(/row 4, column 'population_2025_01_01': 'many' is not a number/u);
  });

  it("rejects totals that differ from the documented ones", () => {
    const file = withEditedCsv((lines) => lines.filter((_, i) => i !== 5));
    expect(() => loadGeography(file)).toThrow(/expected 98 municipalities/u);
  });

  it("has 98 unique municipalities in 17 councils, each municipality in exactly one", () => {
    const geo = defaultGeography();
    expect(geo.municipalities).toHaveLength(98);
    expect(new Set(geo.municipalities.map((m) => m.code)).size).toBe(98);
    expect(geo.councils).toHaveLength(17);
    const members = geo.councils.flatMap((c) => c.municipalityIndices).sort((a, b) => a - b);
    expect(members).toEqual(geo.municipalities.map((m) => m.index));
  });

  it("sums populations to the documented totals", () => {
    const geo = defaultGeography();
    expect(geo.municipalities.reduce((s, m) => s + m.population2026, 0)).toBe(6_025_511);
    expect(geo.municipalities.reduce((s, m) => s + m.population2025, 0)).toBe(5_992_644);
  });

  it("flags exactly the five non-bridged island municipalities", () => {
    const islands = defaultGeography()
      .municipalities.filter((m) => m.islandNoBridge)
      .map((m) => m.code);
    expect(islands).toEqual([400, 492, 563, 741, 825]);
  });

  it("maps code to index both ways and -1 for unknown codes", () => {
    const geo = defaultGeography();
    for (const m of geo.municipalities) expect(geo.municipalityIndexByCode[m.code]).toBe(m.index);
    expect(geo.municipalityIndexByCode[102]).toBe(-1);
  });

  it("turns Danish council names into stable ids", () => {
    expect(councilIdFromName("Sundhedsråd Østsjælland og Øerne")).toBe("oestsjaelland-og-oeerne");
  });
});
