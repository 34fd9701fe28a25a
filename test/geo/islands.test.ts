import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCapacityReport } from "../../src/capacity/report.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { computeIslandRows, islandTable, withIslandDecisions, type IslandRow } from "../../src/capacity/islandFigures.js";
import { defaultLocationTable } from "../../src/geo/locations.js";
import { weighPopulationFile } from "../../src/kernel/weigh/file.js";
import { defaultWeightTable } from "../../src/model/weightTable.js";
import { generatePopulationColumns, generatePopulationFile } from "../../src/population/generate.js";
import { ResidentFileWriter } from "../../src/population/residentFile.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { writePopulationFile } from "../kernel/weigh/arrowFiles.js";

const geography = defaultGeography();
const table = defaultLocationTable();
const weightTable = defaultWeightTable();
const register = makeSyntheticRegister(geography, { seed: 9, scale: 0.05 });
const dir = mkdtempSync(join(tmpdir(), "fordeling-islands-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SCALE = 0.05;

async function islandRows(populationFile: string, asOf: string): Promise<IslandRow[]> {
  const sums = await weighPopulationFile({ populationFile, weightTable, geography, threads: 1 });
  const report = computeCapacityReport({ sums, geography, register, weightTable, asOf });
  return computeIslandRows({ populationFile, report, register, weightTable, geography, table });
}

const withLocations = join(dir, "with.arrow");
const withoutLocations = join(dir, "without.arrow");
beforeAll(async () => {
  await generatePopulationFile({ outFile: withLocations, seed: 4, scale: SCALE, geography, register });
  // The same residents in a file of the kind written before the location column existed.
  writePopulationFile(withoutLocations, generatePopulationColumns({ seed: 4, scale: SCALE, geography, register }));
}, 60_000);

describe("every non-bridged island in weigh --by island", () => {
  it("weighs files with and without the location column alike", async () => {
    const a = await weighPopulationFile({ populationFile: withLocations, weightTable, geography, threads: 1 });
    const b = await weighPopulationFile({ populationFile: withoutLocations, weightTable, geography, threads: 1 });
    expect(a.totalWeight).toBe(b.totalWeight);
    expect([...a.municipality.residents]).toEqual([...b.municipality.residents]);
  });

  it("lists the 5 island municipalities and 27 small islands with residents, need and GPs on the island", async () => {
    const rows = await islandRows(withLocations, "2026-06-01");
    expect(rows).toHaveLength(32);
    const fur = rows.find((r) => r.island.name === "Fur")!;
    expect(fur.residents).toBeGreaterThanOrEqual(Math.floor(912 * SCALE) - 1);
    expect(fur.residents).toBeLessThanOrEqual(Math.ceil(912 * SCALE) + 1);
    expect(fur.need).toBeGreaterThan(0);
    expect(fur.estimated).toBe(false);
    const bornholm = rows.find((r) => r.island.name === "Bornholm")!;
    const bornholmClinics = register.clinics.filter((c) => c.municipalityCode === 400);
    expect(bornholm.clinics).toBe(bornholmClinics.length);
    expect(bornholm.gps).toBe(bornholmClinics.reduce((s, c) => s + c.gpIds.length, 0));
    const table = islandTable(rows, geography);
    expect(table.columns.map((c) => c.name)).toContain("extra_capacities_allowed");
    expect(table.rowCount).toBe(32);
  });

  it("lets islands of closed councils open their own deficit before 1 Jan 2027 only", async () => {
    const before = await islandRows(withLocations, "2026-12-31");
    const after = await islandRows(withLocations, "2027-01-01");
    for (const row of before) {
      const deficit = Math.max(0, Math.ceil(row.ceilingNeed - row.supply));
      expect(row.extraCapacitiesAllowed, row.island.name).toBe(row.councilStatus === "closed" ? deficit : 0);
    }
    expect(after.every((r) => r.extraCapacitiesAllowed === 0 && !r.islandException)).toBe(true);
  });

  it("carries every island's extra capacities into its municipality, council and national rows", async () => {
    const sums = await weighPopulationFile({ populationFile: withLocations, weightTable, geography, threads: 1 });
    const municipal = computeCapacityReport({ sums, geography, register, weightTable, asOf: "2026-06-01" });
    const rows = computeIslandRows({ populationFile: withLocations, report: municipal, register, weightTable, geography, table });
    const report = withIslandDecisions(municipal, rows);
    const extraOf = (municipalityIndex: number): number =>
      rows.filter((r) => r.island.municipalityIndex === municipalityIndex).reduce((s, r) => s + r.extraCapacitiesAllowed, 0);
    const skive = report.municipalities.find((m) => m.municipalityName === "Skive")!;
    // Skive is no island municipality, but Fur lies in it: before the island rows it had no exception.
    expect(municipal.municipalities[skive.municipalityIndex]!.islandException).toBe(false);
    expect(skive.islandException).toBe(true);
    for (const m of report.municipalities) expect(m.islandExtraCapacitiesAllowed, m.municipalityName).toBe(extraOf(m.municipalityIndex));
    expect(rows.some((r) => r.island.kind === "small" && r.extraCapacitiesAllowed > 0)).toBe(true);
    for (const c of report.councils) {
      const inCouncil = report.municipalities.filter((m) => m.councilIndex === c.councilIndex);
      expect(c.islandExtraCapacitiesAllowed).toBe(inCouncil.reduce((s, m) => s + m.islandExtraCapacitiesAllowed, 0));
    }
    expect(report.national.islandExtraCapacitiesAllowed).toBe(rows.reduce((s, r) => s + r.extraCapacitiesAllowed, 0));
  });

  it("estimates a small island from its published share when the file has no locations", async () => {
    const rows = await islandRows(withoutLocations, "2026-06-01");
    const fur = rows.find((r) => r.island.name === "Fur")!;
    expect(fur.estimated).toBe(true);
    // Skive's 44,104 residents × 0.05 = 2,205 generated; Fur's published share of them is 912 / 44,104.
    expect(fur.residents).toBeCloseTo((912 / 44_104) * Math.round(44_104 * SCALE), 9);
    expect(Number.isInteger(fur.residents)).toBe(false);
  });
});

describe("the resident file writer", () => {
  it("writes 65535 (unknown) as the location when none is given", async () => {
    const file = join(dir, "unknown.arrow");
    const columns = generatePopulationColumns({ seed: 1, scale: 0.001, geography, register });
    const writer = await ResidentFileWriter.open(file);
    await writer.write(columns, columns.sex.length);
    await writer.commit();
    const { readPopulationBatches } = await import("../../src/population/read.js");
    const [batch] = [...readPopulationBatches(file, geography)];
    expect(batch!.locationIds!.every((id) => id === 0xffff)).toBe(true);
  });
});
