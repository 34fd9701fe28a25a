import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantileSorted, summarizeMinimumPatients } from "../../src/capacity/distribution.js";

describe("the minimum-patient distribution", () => {
  it("is all null, not NaN, when no clinic has a minimum", () => {
    expect(summarizeMinimumPatients([])).toEqual({ clinicsWithMinimum: 0, p10: null, p50: null, p90: null, shareInsideBand: null });
    expect(summarizeMinimumPatients([null, null]).p50).toBeNull();
  });

  it("gives one clinic's value for every quantile", () => {
    expect(summarizeMinimumPatients([1280])).toEqual({ clinicsWithMinimum: 1, p10: 1280, p50: 1280, p90: 1280, shareInsideBand: 1 });
  });

  it("interpolates between order statistics like NumPy's default and skips null", () => {
    const d = summarizeMinimumPatients([2000, null, 1000, 1500, 1100, 1800]);
    // Sorted 1000 1100 1500 1800 2000; positions 0.4, 2, 3.6.
    expect(d.p10).toBeCloseTo(1040, 10);
    expect(d.p50).toBe(1500);
    expect(d.p90).toBeCloseTo(1920, 10);
    expect(d.clinicsWithMinimum).toBe(5);
  });

  it("counts both ends of the 1,150–2,000 band as inside", () => {
    expect(summarizeMinimumPatients([1149.99, 1150, 2000, 2000.01]).shareInsideBand).toBe(0.5);
  });

  it("keeps quantiles ordered and inside the data's range", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 100, max: 5000, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const d = summarizeMinimumPatients(values);
        const sorted = [...values].sort((a, b) => a - b);
        expect(d.p10!).toBeGreaterThanOrEqual(sorted[0]!);
        expect(d.p10!).toBeLessThanOrEqual(d.p50!);
        expect(d.p50!).toBeLessThanOrEqual(d.p90!);
        expect(d.p90!).toBeLessThanOrEqual(sorted.at(-1)!);
        expect(quantileSorted(Float64Array.from(sorted), 1)).toBe(sorted.at(-1));
      }),
    );
  });
});
