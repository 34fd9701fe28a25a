import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { baselineScenario } from "../../src/model/scenario.js";
import { runProjection, type ProjectionResult } from "../../src/projection/run.js";
import { writeProjectionResult } from "../../src/projection/write.js";
import { compareRuns } from "../../src/results/compare.js";
import { DECOMPOSITION_PARTS, decompose } from "../../src/results/decomposition.js";
import { readRun } from "../../src/results/readRun.js";
import { REPLICATION_FILES } from "../../src/results/replicationArrow.js";
import { MUNICIPALITY_REPLICATION_COLUMNS } from "../../src/results/replicationData.js";
import { sensitivity } from "../../src/results/sensitivity.js";
import { makeSmallWorld } from "../projection/fixture.js";

/** The decomposition of a real (small) run: every part recorded, adding up exactly. */
describe("decomposition of a projection", () => {
  let world: Awaited<ReturnType<typeof makeSmallWorld>>;
  let result: ProjectionResult;
  beforeAll(async () => {
    world = await makeSmallWorld(0.01, 5);
    const request = { scenario: baselineScenario(), replications: 12, seed: 2, horizonYear: 2030, ...world, threads: 2 };
    result = await runProjection({ ...request, keepMunicipalities: true });
  });
  afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

  it("records every part, adds them up to the gap change exactly and shows movers and temporary clinics", () => {
    const d = decompose(result.replications);
    expect(d.missing).toEqual([]);
    for (const row of d.rows) {
      const sum = DECOMPOSITION_PARTS.reduce((s, p) => s + row.parts[p], 0);
      expect(Math.abs(sum - row.total)).toBeLessThan(1e-9);
      expect(Math.abs(row.gapBase + row.total - row.gapEnd)).toBeLessThan(1e-9);
    }
    const councils = d.rows.filter((r) => result.replications.areas[r.areaIndex]?.level === "council");
    expect(councils.some((r) => r.parts.movers !== 0)).toBe(true);
    expect(councils.some((r) => r.parts.temporary_clinics !== 0)).toBe(true);
    // Moves inside Denmark only shift capacities (a mover may take a place of another size).
    const national = d.rows.find((r) => result.replications.areas[r.areaIndex]?.id === "DK")!;
    expect(Math.abs(national.parts.movers)).toBeLessThan(councils.reduce((s, r) => s + Math.abs(r.parts.movers), 0) + 1e-9);
  });

  it("keeps retirements equal to the recorded capacities of retiring GPs", () => {
    const data = result.replications;
    const retired = data.metrics.get("gp_retired_capacities")!;
    for (const row of decompose(data).rows) {
      let stored = 0;
      for (let r = 0; r < data.replications; r++) {
        for (let y = 1; y < data.years.length; y++) stored += retired[(r * data.years.length + y) * data.areas.length + row.areaIndex] ?? 0;
      }
      expect(row.parts.retirements).toBeCloseTo(-stored / data.replications, 2);
    }
  });

  it("counts a temporary clinic's staffed capacities only where it has residents", () => {
    const data = result.replications;
    const temporary = data.metrics.get("temporary_supply")!;
    const residents = data.metrics.get("residents_temporary_clinic")!;
    let seen = 0;
    temporary.forEach((capacities, i) => {
      expect(capacities).toBeGreaterThanOrEqual(0);
      if ((residents[i] ?? 0) === 0) expect(capacities).toBe(0);
      else {
        seen += 1;
        // About one capacity per 1,600 weighted residents (weights average near 1).
        expect(capacities / (residents[i] ?? 1)).toBeGreaterThan(1 / 4000);
        expect(capacities / (residents[i] ?? 1)).toBeLessThan(1 / 600);
      }
    });
    expect(seen).toBeGreaterThan(0);
  });
});

describe("a run that keeps its municipalities", () => {
  let world: Awaited<ReturnType<typeof makeSmallWorld>>;
  const dirs = { kept: "", plain: "" };
  beforeAll(async () => {
    world = await makeSmallWorld(0.003, 9);
    const request = { scenario: baselineScenario(), replications: 30, seed: 4, horizonYear: 2027, ...world, threads: 2 };
    dirs.kept = join(world.dir, "kept");
    dirs.plain = join(world.dir, "plain");
    await writeProjectionResult(await runProjection({ ...request, keepMunicipalities: true }), dirs.kept);
    await writeProjectionResult(await runProjection(request), dirs.plain);
  });
  afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

  it("refuses --level municipality on a run that did not keep them, naming the flag", async () => {
    expect(existsSync(join(dirs.plain, REPLICATION_FILES.municipalities))).toBe(false);
    await expect(readRun(dirs.plain, "plain", { municipalities: true })).rejects.toMatchObject({
      code: "FD_ERR_NOT_COMPARABLE",
      message: expect.stringMatching(/--keep-municipalities/u),
    });
  });

  it("writes the 98 municipalities with the analyses' columns beside the councils' file, not inside it", async () => {
    const councils = await readRun(dirs.kept);
    const municipal = await readRun(dirs.kept, "kept", { municipalities: true });
    expect(councils.data.areas).toHaveLength(18);
    expect(municipal.data.areas).toHaveLength(98);
    expect(municipal.data.areas.every((a) => a.level === "municipality")).toBe(true);
    expect(new Set(municipal.data.metrics.keys())).toEqual(MUNICIPALITY_REPLICATION_COLUMNS);
    expect(municipal.data.parameters.map((p) => p.key)).toEqual(councils.data.parameters.map((p) => p.key));
    const plain = statSync(join(dirs.plain, REPLICATION_FILES.outcomes)).size;
    expect(statSync(join(dirs.kept, REPLICATION_FILES.outcomes)).size).toBe(plain);
  });

  it("compares, explains and decomposes per municipality; the additive parts sum to the council's", async () => {
    const municipal = await readRun(dirs.kept, "kept", { municipalities: true });
    const councils = await readRun(dirs.kept);
    const self = compareRuns(municipal, municipal, { level: "municipality" });
    expect(self.method).toBe("paired");
    expect(self.table.rowCount).toBe(98 * 3);
    expect(sensitivity(municipal.data, { level: "municipality", year: 2027 }).table.rowCount).toBeGreaterThan(0);
    const byMunicipality = decompose(municipal.data, { level: "municipality" });
    const byCouncil = decompose(councils.data, { level: "council" });
    const geography = defaultGeography();
    for (const row of byCouncil.rows) {
      const council = geography.councils.find((c) => c.id === councils.data.areas[row.areaIndex]?.id)!;
      const codes = new Set(council.municipalityIndices.map((m) => String(geography.municipalities[m]!.code)));
      const inside = byMunicipality.rows.filter((r) => codes.has(municipal.data.areas[r.areaIndex]?.id ?? ""));
      for (const part of ["entrants", "movers", "tendered_clinics", "temporary_clinics", "retirements"] as const) {
        expect(inside.reduce((s, r) => s + r.parts[part], 0)).toBeCloseTo(row.parts[part], 2);
      }
      const sum = DECOMPOSITION_PARTS.reduce((s, p) => s + (inside[0]?.parts[p] ?? 0), 0);
      expect(Math.abs(sum - (inside[0]?.total ?? 0))).toBeLessThan(1e-9);
    }
  });
});
