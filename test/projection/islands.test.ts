import { beforeAll, describe, expect, it } from "vitest";
import { computeIslandRows, type IslandRow } from "../../src/capacity/islandFigures.js";
import { computeCapacityReport } from "../../src/capacity/report.js";
import { FordelingError } from "../../src/errors.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultLocationTable } from "../../src/geo/locations.js";
import type { Table } from "../../src/io/table.js";
import { weighPopulationFile } from "../../src/kernel/weigh/file.js";
import { baselineScenario } from "../../src/model/scenario.js";
import { defaultWeightTable } from "../../src/model/weightTable.js";
import { checkIslandCount } from "../../src/projection/accessGrid.js";
import { ISLAND_COUNT } from "../../src/projection/metrics.js";
import { runProjection, type ProjectionRequest, type ProjectionResult } from "../../src/projection/run.js";
import { readRegisterCsv } from "../../src/register/registerCsv.js";
import { makeSmallWorld } from "./fixture.js";

// Workers run the compiled dist/ code: `npm run build` before these tests (npm test does).
const geography = defaultGeography();
let world: Awaited<ReturnType<typeof makeSmallWorld>>;
const request = (over: Partial<ProjectionRequest> = {}): ProjectionRequest => ({
  scenario: baselineScenario(),
  replications: 4,
  seed: 3,
  horizonYear: 2028,
  populationFile: world.populationFile,
  registerFile: world.registerFile,
  threads: 2,
  ...over,
});

/** Rows of a result table as records. */
function rowsOf(table: Table): Record<string, string | number | null>[] {
  return Array.from({ length: table.rowCount }, (_, r) => Object.fromEntries(table.columns.map((c) => [c.name, c.values[r] ?? null])));
}

let baseline: ProjectionResult;
beforeAll(async () => {
  world = await makeSmallWorld(0.01, 5);
  baseline = await runProjection(request());
}, 120_000);

describe("the island count the results hold", () => {
  it("is what the island data give, and other data are refused with a coded error naming the fix", () => {
    expect(defaultLocationTable().islands).toHaveLength(ISLAND_COUNT);
    expect(() => checkIslandCount(defaultLocationTable())).not.toThrow();
    const oneMore = { islands: [...defaultLocationTable().islands, { id: ISLAND_COUNT + 1 }] };
    const error = (() => {
      try {
        checkIslandCount(oneMore);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FordelingError);
    expect((error as FordelingError).code).toBe("FD_ERR_REFERENCE_DATA");
    expect((error as FordelingError).message).toMatch(/33 non-bridged islands.*ISLAND_COUNT/u);
  });
});

describe("islands in the projection's results", () => {
  it("has a row per island and year (32 × 2025…2028) with the island's municipality and council", () => {
    const rows = rowsOf(baseline.tables.island);
    expect(rows).toHaveLength(ISLAND_COUNT * 4);
    const names = [...new Set(rows.map((r) => r.island))];
    expect(names).toHaveLength(ISLAND_COUNT);
    expect(names).toEqual(expect.arrayContaining(["Bornholm", "Ærø", "Fur", "Anholt", "Omø", "Mandø"]));
    expect(rows.filter((r) => r.kind === "municipality").length).toBe(5 * 4);
    expect(rows.filter((r) => r.kind === "small").length).toBe(27 * 4);
    const fur = rows.find((r) => r.island === "Fur" && r.year === 2026)!;
    const skive = geography.municipalities.find((m) => m.name === "Skive")!;
    expect(fur).toMatchObject({
      municipality_code: skive.code,
      municipality_name: "Skive",
      council_id: geography.councils[skive.councilIndex]!.id,
    });
    expect(baseline.tables.island.columns.map((c) => c.name)).toEqual([
      "island",
      "kind",
      "municipality_code",
      "municipality_name",
      "council_id",
      "year",
      "residents_mean",
      ...["need", "supply", "gap"].flatMap((m) => ["mean", "p5", "p50", "p95"].map((k) => `${m}_${k}`)),
      "p_short",
      ...["gps", "residents_failing_access", "share_failing_access", "island_extra_capacities_allowed"].flatMap((m) =>
        ["mean", "p5", "p50", "p95"].map((k) => `${m}_${k}`),
      ),
    ]);
    // The exception's extra capacities are a decision of 1 January: none in the base year, none from 2027.
    for (const r of rows.filter((x) => x.year !== 2026)) expect(r.island_extra_capacities_allowed_mean, String(r.island)).toBe(0);
  });

  it("gives each island in the base year the residents, need, GPs and supply weigh --by island gives", async () => {
    const weightTable = defaultWeightTable();
    const register = readRegisterCsv(world.registerFile, geography);
    const sums = await weighPopulationFile({ populationFile: world.populationFile, weightTable, geography, threads: 1 });
    const report = computeCapacityReport({ sums, geography, register, weightTable, asOf: "2026-01-01" });
    const weighed = computeIslandRows({
      populationFile: world.populationFile,
      report,
      register,
      weightTable,
      geography,
      table: defaultLocationTable(),
    });
    const projected = new Map(
      rowsOf(baseline.tables.island)
        .filter((r) => r.year === 2025)
        .map((r) => [r.island, r]),
    );
    // The small world must hold GPs on some island for the comparison to mean something.
    expect(weighed.some((w) => w.gps > 0 && w.island.kind === "small") || weighed.filter((w) => w.gps > 0).length >= 3).toBe(true);
    weighed.forEach((w: IslandRow) => {
      const p = projected.get(w.island.name)!;
      expect(p.supply_mean, w.island.name).toBeCloseTo(w.supply, 9);
      // The projection counts GPs in practice; a tendered clinic's doctors are not on the register's GP list.
      expect(p.gps_mean, w.island.name).toBe(w.gps);
      expect(p.residents_mean, w.island.name).toBeCloseTo(w.residents, 6);
      expect(p.need_mean as number, w.island.name).toBeCloseTo(w.need, 6);
    });
  });

  it("adds nothing of the islands to the municipalities, councils and the nation", () => {
    const sum = (table: Table, column: string, year: number): number =>
      rowsOf(table)
        .filter((r) => r.year === year)
        .reduce((s, r) => s + ((r[column] as number | null) ?? 0), 0);
    for (const year of [2025, 2026, 2028]) {
      // Summed metrics, equal up to float rounding of means (need is computed per council, not summed: left out).
      for (const column of ["residents_mean", "supply_mean", "gps_mean", "residents_failing_access_mean"]) {
        const national = sum(baseline.tables.national, column, year);
        expect(sum(baseline.tables.council, column, year) / national, `${column} ${year}`).toBeCloseTo(1, 6);
        expect(sum(baseline.tables.municipality, column, year) / national, `${column} ${year}`).toBeCloseTo(1, 6);
      }
    }
    // Every island lies in a municipality: its residents are part of that municipality's, never more.
    const municipal = new Map(rowsOf(baseline.tables.municipality).map((r) => [`${r.municipality_code}/${r.year}`, r]));
    for (const r of rowsOf(baseline.tables.island)) {
      const m = municipal.get(`${r.municipality_code}/${r.year}`)!;
      expect(r.residents_mean as number).toBeLessThanOrEqual((m.residents_mean as number) + 1e-9);
      expect(r.supply_mean as number).toBeLessThanOrEqual((m.supply_mean as number) + 1e-9);
    }
  });

  it("lets an island without a GP in a closed council open its deficit in the 2026 decision only", async () => {
    // A high target makes every council's supply exceed its ceiling (closed); Fur has no clinic in this world.
    const scenario = { ...baselineScenario(), parameters: { "capacity.targetWeightedResidentsPerCapacity": 5000 } };
    const result = await runProjection(request({ scenario }));
    const fur = rowsOf(result.tables.island).filter((r) => r.island === "Fur");
    expect(fur.find((r) => r.year === 2025)).toMatchObject({ supply_mean: 0, gps_mean: 0 });
    const allowed = fur.map((r) => [r.year, r.island_extra_capacities_allowed_p5, r.island_extra_capacities_allowed_p95]);
    expect(allowed).toEqual([
      [2025, 0, 0],
      [2026, 1, 1],
      [2027, 0, 0],
      [2028, 0, 0],
    ]);
  });
});
