import { describe, expect, it } from "vitest";
import { calibrateShare, defaultShareGrid, evaluateShare } from "../../src/capacity/shareCalibration.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { makeRegister, makeSums, makeWeightTable } from "./fixtures.js";

/** The real geography, every resident weighing 1 except a heavier band of municipalities. */
function input() {
  const geography = defaultGeography();
  const residents = geography.municipalities.map((m) => m.population2026);
  const sums = makeSums(
    geography,
    { residents, weightSum: residents.map((r, i) => r * (0.85 + (i % 12) * 0.05)) },
    geography.municipalities.map((_, i) => ({ clinicId: i, residents: 1000, weightSum: 1000 * (0.7 + (i % 10) * 0.1) })),
  );
  const clinics = geography.municipalities.map((m) => ({ clinicId: m.index, municipalityIndex: m.index, capacities: 1 }));
  const register = makeRegister(geography, clinics);
  return { sums, geography, register, weightTable: makeWeightTable(), asOf: "2026-01-01" };
}

describe("calibrating the redistributed share", () => {
  it("measures the published figures under a share: the span of municipal weights and Aabenraa's minimum list", () => {
    const fit = evaluateShare(input(), 0);
    expect(fit.lowestMunicipalAverageWeight).toBeCloseTo(0.85, 12);
    expect(fit.highestMunicipalAverageWeight).toBeCloseTo(1.4, 12);
    expect(fit.lowestMunicipalMinimumList).toBeCloseTo(1600 / 1.4, 9);
    expect(fit.highestMunicipalMinimumList).toBeCloseTo(1600 / 0.85, 9);
    expect(Number.isFinite(fit.aabenraaMinimumPatientsPerCapacity)).toBe(true);
    expect(fit.shareOfClinicsInsideBand).toBeGreaterThan(0);
    expect(fit.loss).toBeGreaterThan(0);
  });

  it("widens the span as the share grows: need moves toward short lives", () => {
    const [none, some] = [evaluateShare(input(), 0), evaluateShare(input(), 0.3)];
    expect(some.highestMunicipalAverageWeight - some.lowestMunicipalAverageWeight).toBeGreaterThan(
      none.highestMunicipalAverageWeight - none.lowestMunicipalAverageWeight,
    );
  });

  it("keeps a positive share at a local minimum of the loss, never the share that switches the correction off", () => {
    const grid = defaultShareGrid().filter((_, i) => i % 4 === 0);
    const { best, fits } = calibrateShare(input(), grid);
    expect(fits).toHaveLength(grid.length);
    expect(best.share).toBeGreaterThan(0);
    const i = fits.findIndex((f) => f.share === best.share);
    expect(best.loss).toBeLessThanOrEqual(fits[i - 1]!.loss);
    expect(best.loss).toBeLessThanOrEqual(fits[i + 1]?.loss ?? Infinity);
  });

  it("evaluates the grid 0 … 0.5 in steps of 0.005", () => {
    const grid = defaultShareGrid();
    expect(grid).toHaveLength(101);
    expect([grid[0], grid[1], grid[100]]).toEqual([0, 0.005, 0.5]);
  });
});
