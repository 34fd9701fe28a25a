import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { correctForLifeExpectancy, imputeLifeExpectancy } from "../../src/capacity/lifeExpectancy.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { makeGeography } from "./fixtures.js";

const geography = defaultGeography();
const relativeError = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));
const sum = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);

interface RandomInput {
  residents: number[];
  averageWeight: number[];
  lifeExpectancy: number[];
  share: number;
  reference: number;
}

/** Random inputs over the real 98 municipalities: residents, weights, life expectancies, share. */
const inputs: fc.Arbitrary<RandomInput> = fc.record({
  residents: fc.array(fc.nat({ max: 700_000 }), { minLength: 98, maxLength: 98 }),
  averageWeight: fc.array(fc.double({ min: 0.3, max: 2, noNaN: true }), { minLength: 98, maxLength: 98 }),
  lifeExpectancy: fc.array(fc.double({ min: 70, max: 90, noNaN: true }), { minLength: 98, maxLength: 98 }),
  share: fc.double({ min: 0, max: 1, noNaN: true }),
  reference: fc.double({ min: 75, max: 86, noNaN: true }),
});

function correct(input: RandomInput) {
  return correctForLifeExpectancy({
    geography,
    residents: input.residents,
    weightSum: input.residents.map((r, i) => r * (input.averageWeight[i] ?? 1)),
    lifeExpectancyYears: input.lifeExpectancy,
    correction: { redistributedShare: input.share, referenceLifeExpectancyYears: input.reference },
  });
}

describe("life-expectancy imputation", () => {
  it("gives an island the population-weighted mean of its council's other municipalities", () => {
    const g = makeGeography([
      {
        id: "c",
        municipalities: [
          { code: 101, lifeExpectancyYears: 80, population2026: 3000 },
          { code: 102, lifeExpectancyYears: 84, population2026: 1000 },
          { code: 103, islandNoBridge: true, population2026: 500 },
        ],
      },
    ]);
    const { years, imputed } = imputeLifeExpectancy(g);
    expect(years[2]).toBe(81);
    expect(imputed).toEqual([false, false, true]);
  });

  it("imputes exactly Ærø, Fanø, Læsø and Samsø in the reference data, inside their council's range", () => {
    const { years, imputed } = imputeLifeExpectancy(geography);
    const names = geography.municipalities
      .filter((m) => imputed[m.index])
      .map((m) => m.name)
      .sort();
    expect(names).toEqual(["Fanø", "Læsø", "Samsø", "Ærø"]);
    for (const m of geography.municipalities.filter((x) => imputed[x.index])) {
      const others = geography.councils[m.councilIndex]!.municipalityIndices.map(
        (i) => geography.municipalities[i]!.lifeExpectancyYears,
      ).filter((v) => v !== undefined);
      expect(years[m.index]).toBeGreaterThanOrEqual(Math.min(...others));
      expect(years[m.index]).toBeLessThanOrEqual(Math.max(...others));
    }
  });
});

describe("the two-stage life-expectancy correction", () => {
  it("changes nothing when the share is zero", () => {
    const c = correct({
      residents: Array(98).fill(1000),
      averageWeight: Array(98).fill(1.1),
      lifeExpectancy: Array(98).fill(79),
      share: 0,
      reference: 83.3,
    });
    expect(Array.from(c.municipality)).toEqual(Array(98).fill(1100));
  });

  it("changes nothing when nobody has lost life years", () => {
    const c = correct({
      residents: Array(98).fill(1000),
      averageWeight: Array(98).fill(1),
      lifeExpectancy: Array(98).fill(84),
      share: 0.05,
      reference: 83.3,
    });
    expect(Array.from(c.council)).toEqual(Array.from(c.councilUncorrected));
    for (const v of c.municipality) expect(v).toBeCloseTo(1000, 9);
  });

  it("leaves an empty council at zero without NaN and keeps the rest whole", () => {
    const residents = geography.municipalities.map((m) => (m.councilIndex === 0 ? 0 : 5000));
    const c = correct({ residents, averageWeight: Array(98).fill(1), lifeExpectancy: Array(98).fill(78), share: 0.2, reference: 83.3 });
    expect(c.council[0]).toBe(0);
    expect([...c.municipality, ...c.council].every(Number.isFinite)).toBe(true);
    expect(relativeError(sum(c.council), c.national)).toBeLessThan(1e-12);
  });

  it("moves need toward low life expectancy: Lolland up, Gentofte down", () => {
    const { years } = imputeLifeExpectancy(geography);
    const residents = geography.municipalities.map((m) => m.population2026);
    const c = correctForLifeExpectancy({
      geography,
      residents,
      weightSum: residents,
      lifeExpectancyYears: years,
      correction: { redistributedShare: 0.05, referenceLifeExpectancyYears: 83.3 },
    });
    const ratio = (name: string): number => {
      const m = geography.municipalities.find((x) => x.name === name)!;
      return c.municipality[m.index]! / residents[m.index]!;
    };
    expect(ratio("Lolland")).toBeGreaterThan(1);
    expect(ratio("Gentofte")).toBeLessThan(1);
  });

  it("keeps national need unchanged (property over random inputs)", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const c = correct(input);
        const uncorrected = input.residents.reduce((s, r, i) => s + r * (input.averageWeight[i] ?? 1), 0);
        expect(relativeError(sum(c.council), uncorrected)).toBeLessThan(1e-12);
        expect(relativeError(sum(c.municipality), uncorrected)).toBeLessThan(1e-12);
        expect(c.national).toBe(sum(c.councilUncorrected));
      }),
      { numRuns: 200 },
    );
  });

  it("preserves every council's total at the second stage (property)", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const c = correct(input);
        for (const council of geography.councils) {
          const fromMunicipalities = council.municipalityIndices.reduce((s, i) => s + c.municipality[i]!, 0);
          expect(relativeError(fromMunicipalities, c.council[council.index]!)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never makes a corrected weight negative and moves s·(W·lost share − W_c) to each council (property)", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const c = correct(input);
        expect(Array.from(c.municipality).every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
        const lostTotal = sum(c.councilLostLifeYears);
        if (lostTotal === 0 || c.national === 0) return;
        for (const council of geography.councils) {
          const own = c.councilUncorrected[council.index]!;
          const lostShare = c.councilLostLifeYears[council.index]! / lostTotal;
          const gained = c.council[council.index]! - own;
          // A council gains when its share of lost life years exceeds its share of weight.
          expect(Math.abs(gained - input.share * (c.national * lostShare - own))).toBeLessThanOrEqual(1e-9 * c.national);
        }
      }),
      { numRuns: 100 },
    );
  });
});
