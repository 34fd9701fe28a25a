import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { loadWeightTable } from "../../src/model/weightTable.js";
import { generatePopulationColumns } from "../../src/population/generate.js";
import { integerizeCells, municipalTotals, rakePyramids } from "../../src/population/pyramid.js";
import { CELL_COUNT, loadNationalMargins2026, loadPyramids2020 } from "../../src/population/referenceData.js";
import { Xoshiro128 } from "../../src/population/rng.js";
import { weightCalibration } from "../../bench/weightCalibration.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";

const geography = defaultGeography();

describe("seeded PRNG", () => {
  it("gives the same stream for the same (seed, stream) and floats in [0, 1)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 999 }), (seed, stream) => {
        const a = new Xoshiro128(seed, stream);
        const b = new Xoshiro128(seed, stream);
        for (let k = 0; k < 50; k++) {
          const u = a.nextFloat();
          expect(u).toBe(b.nextFloat());
          expect(u >= 0 && u < 1).toBe(true);
        }
      }),
      { numRuns: 50, seed: 1 },
    );
    expect(new Xoshiro128(1, 101).nextUint32()).not.toBe(new Xoshiro128(1, 147).nextUint32());
  });

  it("has a mean near 1/2 over many draws (within 5 standard errors)", () => {
    const rng = new Xoshiro128(20260101, 0);
    let sum = 0;
    const n = 200_000;
    for (let k = 0; k < n; k++) sum += rng.nextFloat();
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });
});

describe("pyramids", () => {
  it("integerizes to the exact total with every cell at the floor or ceiling of its fitted count", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        (raw, seed) => {
          const sum = raw.reduce((s, v) => s + v, 0);
          fc.pre(sum > 1e-6);
          const total = Math.max(1, Math.round(sum));
          const fitted = Float64Array.from(raw, (v) => (v * total) / sum);
          const counts = integerizeCells(fitted, total, new Xoshiro128(seed));
          expect(counts.reduce((s, v) => s + v, 0)).toBe(total);
          counts.forEach((count, c) => {
            expect(count).toBeGreaterThanOrEqual(Math.floor(fitted[c]! - 1e-9));
            expect(count).toBeLessThanOrEqual(Math.ceil(fitted[c]! + 1e-9));
          });
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it("rakes every municipality to its 2026 total and keeps empty cells empty", () => {
    const totals = municipalTotals(geography, 1);
    const seed = loadPyramids2020(geography);
    const fitted = rakePyramids(seed, totals, loadNationalMargins2026());
    totals.forEach((total, m) => {
      const row = fitted.subarray(m * CELL_COUNT, (m + 1) * CELL_COUNT);
      expect(Math.abs(row.reduce((s, v) => s + v, 0) - total)).toBeLessThan(1e-6 * total);
    });
    seed.forEach((v, i) => {
      if (v === 0 && fitted[i] !== 0) throw new Error(`cell ${i} was empty in 2020 but not after raking`);
    });
  });
});

describe("default weight table on the synthetic population", () => {
  it("has a national mean weight of 1.0 and a wide municipal spread (scale 0.05, register at scale 1)", () => {
    // docs/MODEL.md reports the same figures on the full population.
    const register = makeSyntheticRegister(geography, { seed: 20260101, scale: 1 });
    const columns = generatePopulationColumns({ seed: 20260101, scale: 0.05, geography, register });
    const result = weightCalibration(columns, loadWeightTable(), geography, register);
    expect(Math.abs(result.nationalMeanWeight - 1)).toBeLessThan(0.01);
    expect(result.municipalMeanWeight.min).toBeLessThan(0.9);
    expect(result.municipalMeanWeight.max).toBeGreaterThan(1.3);
    expect(result.municipalMeanWeight.minCode).toBe(101);
  });
});
