import { beforeAll, describe, expect, it } from "vitest";
import { baselineScenario } from "../../src/model/scenario.js";
import { compactRows, shouldCompact } from "../../src/kernel/step/compact.js";
import { runProjection, type ProjectionRequest } from "../../src/projection/run.js";
import { allocateStepColumns } from "../../src/kernel/step/layout.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultParameterFile } from "../../src/model/parameters.js";
import { defaultWeightTable } from "../../src/model/weightTable.js";
import { generatePopulationColumns } from "../../src/population/generate.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { instantiateStepKernel } from "../../src/kernel/step/kernel.js";
import { fillProjectionMemory, makeProjectionMemory, planProjectionMemory } from "../../src/kernel/step/slots.js";
import { packBasePopulation } from "../../src/projection/basePopulation.js";
import { drawParameters } from "../../src/projection/draw.js";
import { calibrateResidentRates } from "../../src/projection/rates.js";
import { makeReferenceSimulator, makeWasmSimulator } from "../../src/projection/simulators.js";
import { makeSmallWorld } from "./fixture.js";

// Workers run the compiled dist/ code: `npm run build` before these tests (npm test does).
let world: Awaited<ReturnType<typeof makeSmallWorld>>;
const request = (over: Partial<ProjectionRequest> = {}): ProjectionRequest => ({
  scenario: baselineScenario(),
  replications: 3,
  seed: 3,
  horizonYear: 2040,
  populationFile: world.populationFile,
  registerFile: world.registerFile,
  threads: 2,
  ...over,
});

beforeAll(async () => {
  world = await makeSmallWorld(0.01);
});

describe("reclaiming the rows of residents who died or moved out", () => {
  it("keeps nothing of an all-gone scratch and everything of an all-live one", () => {
    const c = allocateStepColumns(4);
    c.age.set([255, 255, 255, 255]);
    expect(compactRows(c, 4)).toBe(0);
    c.age.set([1, 2, 3, 4]);
    expect(compactRows(c, 4)).toBe(4);
    expect([...c.age]).toEqual([1, 2, 3, 4]);
  });

  it("drops gone rows and keeps the others in order with their code, municipality and clinic", () => {
    const c = allocateStepColumns(6);
    c.age.set([10, 255, 30, 255, 255, 60]);
    c.code.set([1, 2, 3, 4, 5, 6]);
    c.muni.set([0, 0, 1, 1, 2, 2]);
    c.clinic.set([7, 8, 9, 10, 11, 12]);
    expect(compactRows(c, 6)).toBe(3);
    expect([...c.age.subarray(0, 3)]).toEqual([10, 30, 60]);
    expect([...c.code.subarray(0, 3)]).toEqual([1, 3, 6]);
    expect([...c.muni.subarray(0, 3)]).toEqual([0, 1, 2]);
    expect([...c.clinic.subarray(0, 3)]).toEqual([7, 9, 12]);
  });

  it("compacts when the next year's appends might not fit, or a quarter of the rows are gone, and not otherwise", () => {
    expect(shouldCompact(100_000, 99_000, 5_000, 200_000)).toBe(false);
    expect(shouldCompact(195_000, 180_000, 5_000, 200_000)).toBe(true);
    expect(shouldCompact(100_000, 70_000, 5_000, 200_000)).toBe(true);
    // The default population's first year to a 2027 horizon: 6.03 M + 5.6 % appended in a slot of 1.14 × 6.03 M.
    expect(shouldCompact(6_361_000, 6_060_000, 336_000, Math.ceil(6_025_511 * 1.14) + 1024)).toBe(false);
  });
});

describe("long horizons", () => {
  it("gives the same sums in WASM and the reference over 15 years, compacting twice in a row in the same slot", () => {
    const geography = defaultGeography();
    const register = makeSyntheticRegister(geography, { seed: 4, scale: 0.002 });
    const columns = generatePopulationColumns({ seed: 4, scale: 0.002, geography, register });
    const base = packBasePopulation(columns, columns.municipalityCode.length, geography, register, defaultWeightTable());
    const years = 15;
    const layout = planProjectionMemory(base.rows, years, 1, base.clinicSlots);
    const memory = makeProjectionMemory(layout);
    fillProjectionMemory(memory, layout, base.columns);
    const wasm = makeWasmSimulator(instantiateStepKernel(memory), memory, layout, 0, defaultWeightTable(), 9);
    const reference = makeReferenceSimulator(base, defaultWeightTable(), 9, layout.capacity);
    // Two replications in the same slot: the second must start from the base rows' groups again.
    for (const replication of [0, 1]) {
      const p = drawParameters(defaultParameterFile(), baselineScenario(), 9, replication);
      const rates = calibrateResidentRates(base.profile, geography, p);
      expect(wasm(rates, p, replication, years)).toEqual(reference(rates, p, replication, years));
    }
  });

  it("runs a 2040 horizon at scale 0.01, with residents every year and the same tables for 1 and 2 threads", async () => {
    const two = await runProjection(request());
    const one = await runProjection(request({ threads: 1 }));
    expect(two.tables).toEqual(one.tables);
    const years = two.tables.national.columns.find((c) => c.name === "year")?.values;
    expect(years).toEqual(Array.from({ length: 16 }, (_, i) => 2025 + i));
    const residents = two.tables.national.columns.find((c) => c.name === "residents_mean")?.values as number[];
    for (const r of residents) expect(r).toBeGreaterThan(0.9 * (residents[0] ?? 0));
  });
});
