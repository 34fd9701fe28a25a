import { describe, expect, it } from "vitest";
import { deathProbability, lifeExpectancyAtBirth, solveGompertzLevel, type GompertzShape } from "../../src/projection/mortality.js";
import { STEP_AGES } from "../../src/kernel/step/layout.js";

const shape: GompertzShape = { slopePerYear: 0.095, makehamPerYear: 0.0004, infantDeathProbability: 0.0035 };

describe("Gompertz–Makeham mortality", () => {
  it("fills the life table of the level it returns, bit for bit as deathProbability", () => {
    for (const [target, start] of [
      [81.5, -10],
      [78.2, -9.4],
      [84.9, -11],
    ] as const) {
      const table = new Float64Array(STEP_AGES).fill(Number.NaN);
      const level = solveGompertzLevel(target, shape, start, table);
      expect(level).toBe(solveGompertzLevel(target, shape, start));
      for (let age = 0; age < STEP_AGES; age++) expect(table[age]).toBe(deathProbability(level, shape, age));
      expect(Math.abs(lifeExpectancyAtBirth(level, shape) - target)).toBeLessThan(1e-7);
    }
  });
});
