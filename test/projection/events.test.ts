import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { imputeLifeExpectancy } from "../../src/capacity/lifeExpectancy.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultParameterFile } from "../../src/model/parameters.js";
import { baselineScenario } from "../../src/model/scenario.js";
import { defaultWeightTable } from "../../src/model/weightTable.js";
import { generatePopulationColumns } from "../../src/population/generate.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { slotCapacity } from "../../src/kernel/step/slots.js";
import { packBasePopulation, type BasePopulation } from "../../src/projection/basePopulation.js";
import { drawParameters } from "../../src/projection/draw.js";
import { deathProbability, lifeExpectancyAtBirth, solveGompertzLevel } from "../../src/projection/mortality.js";
import { calibrateResidentRates, type ResidentRates } from "../../src/projection/rates.js";
import { makeReferenceSimulator } from "../../src/projection/simulators.js";
import { CELLS, STEP_MUNICIPALITIES } from "../../src/kernel/step/layout.js";

const geography = defaultGeography();
let base: BasePopulation;

beforeAll(() => {
  const register = makeSyntheticRegister(geography, { seed: 3, scale: 0.005 });
  const columns = generatePopulationColumns({ seed: 3, scale: 0.005, geography, register });
  base = packBasePopulation(columns, columns.municipalityCode.length, geography, register, defaultWeightTable());
});

function simulate(seed: number, replication: number, years: number) {
  const p = drawParameters(defaultParameterFile(), baselineScenario(), seed, replication);
  const rates = calibrateResidentRates(base.profile, geography, p);
  const sim = makeReferenceSimulator(base, defaultWeightTable(), seed, slotCapacity(base.rows, years));
  return { rates, sums: sim(rates, p, replication, years) };
}

/** Σ over cells of residents × probability, and its binomial variance. */
function expected(rates: ResidentRates, event: "death" | "moveOut" | "moveIn" | "birth"): { mean: number; sd: number } {
  let mean = 0;
  let variance = 0;
  for (let i = 0; i < STEP_MUNICIPALITIES * CELLS; i++) {
    const n = base.profile.cells[i] ?? 0;
    const q = rates[event][i] ?? 0;
    mean += n * q;
    variance += n * q * (1 - q);
  }
  return { mean, sd: Math.sqrt(variance) };
}

describe("resident events", () => {
  it("conserves residents: end = start + births + in-movers − deaths − movers-out, in every municipality and year", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 999 }), (seed, replication) => {
        const { sums } = simulate(seed, replication, 3);
        const all = [base.baseSums, ...sums];
        for (let y = 1; y < all.length; y++) {
          const now = all[y]!;
          const before = all[y - 1]!;
          for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
            const flow = (now.births[m] ?? 0) + (now.movedIn[m] ?? 0) - (now.deaths[m] ?? 0) - (now.movedOut[m] ?? 0);
            expect(now.residents[m]).toBe((before.residents[m] ?? 0) + flow);
          }
          const listed = now.clinicResidents.reduce((a, b) => a + b, 0);
          expect(listed).toBe(now.residents.reduce((a, b) => a + b, 0));
        }
      }),
      { numRuns: 4 },
    );
  });

  it("produces deaths, births and moves at their rates (within 4 standard deviations)", () => {
    const { rates, sums } = simulate(21, 0, 1);
    const observed = sums[0]!;
    const total = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
    for (const [event, counts] of [
      ["death", observed.deaths],
      ["moveOut", observed.movedOut],
      ["moveIn", observed.movedIn],
      ["birth", observed.births],
    ] as const) {
      const { mean, sd } = expected(rates, event);
      expect(mean, event).toBeGreaterThan(50);
      expect(Math.abs(total(counts) - mean), `${event}: ${total(counts)} vs ${mean.toFixed(1)} ± ${sd.toFixed(1)}`).toBeLessThan(4 * sd);
    }
  });

  it("calibrates births to the base population's 0-year-olds and net change to the observed 2025→2026 change", () => {
    const p = drawParameters(defaultParameterFile(), baselineScenario(), 1, -1);
    const rates = calibrateResidentRates(base.profile, geography, p);
    const births = expected(rates, "birth").mean;
    let infants = 0;
    for (let m = 0; m < STEP_MUNICIPALITIES; m++)
      infants += (base.profile.cells[m * CELLS] ?? 0) + (base.profile.cells[m * CELLS + 111] ?? 0);
    // Exact per municipality, except where a tiny test municipality has infants but no women aged 15-49.
    expect(births / infants).toBeCloseTo(1, 2);
    const change = births + expected(rates, "moveIn").mean - expected(rates, "death").mean - expected(rates, "moveOut").mean;
    const observedGrowth =
      geography.municipalities.reduce((s, m) => s + m.population2026 - m.population2025, 0) /
      geography.municipalities.reduce((s, m) => s + m.population2025, 0);
    expect(change / base.rows).toBeCloseTo(observedGrowth, 3);
  });

  it("fits Gompertz mortality to each municipality's life expectancy", () => {
    const p = drawParameters(defaultParameterFile(), baselineScenario(), 1, -1);
    const rates = calibrateResidentRates(base.profile, geography, p);
    const shape = { slopePerYear: 0.1, makehamPerYear: 0.0002, infantDeathProbability: 0.003 };
    const lolland = geography.municipalities.find((m) => m.code === 360)!;
    const women = lifeExpectancyAtBirth(rates.lnLevel[lolland.index * 2 + 1] ?? 0, shape);
    expect(women).toBeCloseTo((lolland.lifeExpectancyYears ?? 0) + 0.6 + 1.9, 5);
  });

  it("solves every municipality's mortality as its own solve would, though equal targets share one", () => {
    const central = calibrateResidentRates(base.profile, geography, drawParameters(defaultParameterFile(), baselineScenario(), 1, -1));
    const p = drawParameters(defaultParameterFile(), baselineScenario(), 7, 3);
    const rates = calibrateResidentRates(base.profile, geography, p, central.lnLevel);
    // A second call (the profile's shares now cached) gives the same rates.
    expect(calibrateResidentRates(base.profile, geography, p, central.lnLevel)).toEqual(rates);
    const shape = {
      slopePerYear: p.num("mortality.gompertzSlopePerYear"),
      makehamPerYear: p.num("mortality.makehamHazardPerYear"),
      infantDeathProbability: p.num("mortality.infantDeathProbability"),
    };
    const lifeExpectancy = imputeLifeExpectancy(geography).years;
    const halfGap = p.num("mortality.sexGapYears") / 2;
    for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
      for (let sex = 0; sex < 2; sex++) {
        const target = (lifeExpectancy[m] ?? 0) + p.num("mortality.lifeExpectancyShiftYears") + (sex === 1 ? halfGap : -halfGap);
        const level = solveGompertzLevel(target, shape, central.lnLevel[m * 2 + sex] ?? -10);
        expect(rates.lnLevel[m * 2 + sex]).toBe(level);
        for (let age = 0; age <= 110; age++) expect(rates.death[(m * 2 + sex) * 111 + age]).toBe(deathProbability(level, shape, age));
      }
    }
  });
});
