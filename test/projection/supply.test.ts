import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Table } from "../../src/io/table.js";
import { baselineScenario, loadScenario } from "../../src/model/scenario.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { runProjection, type ProjectionRequest } from "../../src/projection/run.js";
import { makeSmallWorld } from "./fixture.js";

// Workers run the compiled dist/ code: `npm run build` before these tests (npm test does).
let world: Awaited<ReturnType<typeof makeSmallWorld>>;
const request = (over: Partial<ProjectionRequest> = {}): ProjectionRequest => ({
  scenario: baselineScenario(),
  replications: 8,
  seed: 5,
  horizonYear: 2030,
  populationFile: world.populationFile,
  registerFile: world.registerFile,
  threads: 2,
  ...over,
});
const column = (t: Table, name: string): number[] => {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c.values as number[];
};

beforeAll(async () => {
  world = await makeSmallWorld(0.01);
});

describe("GP supply in the projection", () => {
  it("counts every resident in exactly one state: listed + temporary + tendered + without GP = population, every year", async () => {
    const { national } = (await runProjection(request({ replications: 4 }))).tables;
    const residents = column(national, "residents_mean");
    const listed = column(national, "residents_listed_mean");
    const temporary = column(national, "residents_temporary_clinic_mean");
    const tendered = column(national, "residents_tendered_clinic_mean");
    const without = column(national, "without_gp_mean");
    residents.forEach((r, y) => expect(listed[y]! + temporary[y]! + tendered[y]! + without[y]!).toBeCloseTo(r, 4));
    expect(Math.max(...temporary) + Math.max(...without)).toBeGreaterThan(0);
  });

  it("gives a council with a settling subsidy more entrants than the baseline with the same seed", async () => {
    const scenario = loadScenario(join(PACKAGE_ROOT, "scenarios", "settling-subsidy-vendsyssel.json"));
    const strong = {
      ...scenario,
      levers: { ...scenario.levers, settlingSubsidy: [{ councils: ["vendsyssel"], dkkPerEntrant: 2_000_000 }] },
    };
    const entrantsIn = (t: Table, council: string): number => {
      const ids = column(t, "council_id") as unknown as string[];
      return column(t, "entrants_mean").reduce((s, v, i) => s + (ids[i] === council ? v : 0), 0);
    };
    const base = (await runProjection(request())).tables.council;
    const subsidised = (await runProjection(request({ scenario: strong }))).tables.council;
    expect(entrantsIn(subsidised, "vendsyssel")).toBeGreaterThan(entrantsIn(base, "vendsyssel"));
    const cost = column(subsidised, "cost_dkk_levers_mean");
    expect(cost.some((c) => c > 0)).toBe(true);
  });

  it("lets the target of 1,500 change supply, not only need", async () => {
    const base = (await runProjection(request())).tables.national;
    const t1500 = (await runProjection(request({ scenario: loadScenario(join(PACKAGE_ROOT, "scenarios", "target-1500.json")) }))).tables
      .national;
    expect(column(t1500, "need_mean").at(-1)).toBeGreaterThan(column(base, "need_mean").at(-1)!);
    expect(column(t1500, "supply_mean")).not.toEqual(column(base, "supply_mean"));
  });
});
