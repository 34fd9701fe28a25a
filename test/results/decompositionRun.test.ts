import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baselineScenario } from "../../src/model/scenario.js";
import { runProjection, type ProjectionResult } from "../../src/projection/run.js";
import { DECOMPOSITION_PARTS, decompose } from "../../src/results/decomposition.js";
import { makeSmallWorld } from "../projection/fixture.js";

/** The decomposition of a real (small) run: every part recorded, adding up exactly. */
describe("decomposition of a projection", () => {
  let world: Awaited<ReturnType<typeof makeSmallWorld>>;
  let result: ProjectionResult;
  beforeAll(async () => {
    world = await makeSmallWorld(0.01, 5);
    result = await runProjection({ scenario: baselineScenario(), replications: 12, seed: 2, horizonYear: 2030, ...world, threads: 2 });
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
