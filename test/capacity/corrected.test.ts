import { describe, expect, it } from "vitest";
import { computeCapacityReport, type CapacityReportInput } from "../../src/capacity/report.js";
import { makeGeography, makeRegister, makeSums, makeWeightTable } from "./fixtures.js";

/**
 * Two one-municipality councils of 1,000 residents weighing 1,000 each. A (code 101) lives to
 * 80.3, three years short of the reference 83.3; B (201) reaches it. With share 0.1, stage 1
 * moves 0.1 × 2,000 × (A's lost years / all lost years) = 200 to A: A' = 0.9 × 1,000 + 200 = 1,100,
 * B' = 900. So every resident of A weighs 1.1 × as much, of B 0.9 ×.
 */
function world(asOf = "2026-06-01"): CapacityReportInput {
  const geography = makeGeography([
    { id: "a", municipalities: [{ code: 101, lifeExpectancyYears: 80.3 }] },
    { id: "b", municipalities: [{ code: 201, lifeExpectancyYears: 83.3 }] },
  ]);
  const sums = makeSums(geography, { residents: [1000, 1000], weightSum: [1000, 1000] }, [
    { clinicId: 1, residents: 500, weightSum: 600 },
    { clinicId: 2, residents: 800, weightSum: 800 },
  ]);
  const register = makeRegister(geography, [
    { clinicId: 1, municipalityIndex: 0, capacities: 0.5 },
    { clinicId: 2, municipalityIndex: 1, capacities: 0.5 },
  ]);
  return { sums, geography, register, weightTable: makeWeightTable({ share: 0.1, reference: 83.3 }), asOf, growthShare: [0, 0] };
}

describe("corrected average weights and minimum lists", () => {
  it("raises the average weight where life years are lost and lowers it elsewhere, keeping the uncorrected beside", () => {
    const [a, b] = computeCapacityReport(world()).municipalities;
    expect(a?.averageWeightUncorrected).toBe(1);
    expect(a?.averageWeight).toBeCloseTo(1.1, 12);
    expect(a?.correctionFactor).toBeCloseTo(1.1, 12);
    expect(b?.averageWeight).toBeCloseTo(0.9, 12);
    expect(a?.minimumPatientsPerCapacityUncorrected).toBe(1600);
    expect(a?.minimumPatientsPerCapacity).toBeCloseTo(1600 / 1.1, 9);
    expect(b?.minimumPatientsPerCapacity).toBeCloseTo(1600 / 0.9, 9);
  });

  it("gives councils the same corrected and uncorrected figures side by side", () => {
    const [a] = computeCapacityReport(world()).councils;
    expect(a).toMatchObject({ averageWeightUncorrected: 1, minimumPatientsPerCapacityUncorrected: 1600 });
    expect(a?.averageWeight).toBeCloseTo(1.1, 12);
    expect(a?.minimumPatientsPerCapacity).toBeCloseTo(1454.545454545, 6);
  });

  it("scales a clinic's weighted list by its municipality's factor: 600 → 660, minimum 1,333 → 1,212 per capacity", () => {
    const clinic = computeCapacityReport(world()).clinics.find((c) => c.clinicId === 1);
    expect(clinic?.weightedPatientsUncorrected).toBe(600);
    expect(clinic?.weightedPatients).toBeCloseTo(660, 9);
    expect(clinic?.averageWeightUncorrected).toBe(1.2);
    expect(clinic?.averageWeight).toBeCloseTo(1.32, 12);
    expect(clinic?.minimumPatientsPerCapacityUncorrected).toBeCloseTo(1333.333333, 5);
    expect(clinic?.minimumPatientsPerCapacity).toBeCloseTo(1212.121212, 5);
    expect(clinic?.minimumPatients).toBeCloseTo(606.060606, 5);
    expect(clinic?.minimumPatientsUncorrected).toBeCloseTo(666.666667, 5);
  });

  it("scales each patient by their own municipality's factor when the weighing split the lists: 400 × 1.1 + 200 × 0.9", () => {
    const input = world();
    input.sums.clinicByMunicipality = {
      clinicId: Int32Array.from([1, 1]),
      municipalityIndex: Int16Array.from([0, 1]),
      weightSum: Float64Array.from([400, 200]),
    };
    const clinic = computeCapacityReport(input).clinics.find((c) => c.clinicId === 1);
    expect(clinic?.correctionFactor).toBeCloseTo(620 / 600, 12);
    expect(clinic?.weightedPatients).toBeCloseTo(620, 9);
    expect(clinic?.minimumPatientsPerCapacity).toBeCloseTo(1600 / (620 / 500), 9);
    // A clinic the split does not mention keeps its municipality's factor.
    expect(computeCapacityReport(input).clinics.find((c) => c.clinicId === 2)?.correctionFactor).toBeCloseTo(0.9, 12);
  });

  it("summarises the clinics' corrected and uncorrected minimum lists per council", () => {
    const [a, b] = computeCapacityReport(world()).councils;
    expect(a?.p50).toBeCloseTo(1212.121212, 5);
    expect(a?.minimumPatientsUncorrected.p50).toBeCloseTo(1333.333333, 5);
    expect(b?.p50).toBeCloseTo(1777.777778, 5);
    expect(b?.minimumPatientsUncorrected.p50).toBe(1600);
  });

  it("changes nothing with a redistributed share of 0", () => {
    const report = computeCapacityReport({ ...world(), weightTable: makeWeightTable({ share: 0 }) });
    for (const row of [...report.municipalities, ...report.councils]) {
      expect(row.averageWeight).toBe(row.averageWeightUncorrected);
      expect(row.minimumPatientsPerCapacity).toBe(row.minimumPatientsPerCapacityUncorrected);
    }
    expect(report.clinics.every((c) => c.averageWeight === c.averageWeightUncorrected)).toBe(true);
  });
});

describe("the ceiling in force in the report", () => {
  // A needs 1,100 / 1,600 = 0.6875 capacities today; its projected population (0.9 × 3,000 + 0.1 × 4,000) / 1,600 = 1.9375.
  const projected = { populationYear: 2026, residents: [3000, 1000], weightSum: [3000, 1000], label: "projected to end 2026" };

  it("decides on the weighed population's need under the end-2025 ceiling", () => {
    const report = computeCapacityReport({ ...world("2026-12-30"), ceilingPopulation: projected });
    expect(report.national.ceiling.fixedOn).toBe("2025-12-31");
    expect(report.national.ceilingPopulation).toBe("weighed population");
    expect(report.councils[0]).toMatchObject({ status: "open", newCapacitiesAllowed: 0 });
    expect(report.councils[0]?.ceilingNeed).toBeCloseTo(0.6875, 12);
  });

  it("decides on the projected population's need under the end-2026 ceiling, keeping today's need beside", () => {
    const report = computeCapacityReport({ ...world("2026-12-31"), ceilingPopulation: projected });
    expect(report.national.ceiling).toEqual({ fixedOn: "2026-12-31", populationYear: 2026, basis: "ordinance, projected population" });
    expect(report.national.ceilingPopulation).toBe("projected to end 2026");
    const a = report.councils[0];
    expect(a?.need).toBeCloseTo(0.6875, 12);
    expect(a?.ceilingNeed).toBeCloseTo(1.9375, 12);
    expect(a).toMatchObject({ status: "open", newCapacitiesAllowed: 1 });
  });

  it("says so when a later ceiling is in force but no projection was given", () => {
    const report = computeCapacityReport(world("2027-06-30"));
    expect(report.national.ceiling.fixedOn).toBe("2026-12-31");
    expect(report.national.ceilingPopulation).toMatch(/no projection to end 2026 given/u);
  });
});

describe("exceptions in the report", () => {
  it("lets a fast-growing short municipality of a closed council open one extra capacity", () => {
    const municipalities = [
      { code: 101, lifeExpectancyYears: 80 },
      { code: 102, lifeExpectancyYears: 80 },
    ];
    const geography = makeGeography([{ id: "c", municipalities }]);
    const sums = makeSums(geography, { residents: [16_000, 3_200], weightSum: [16_000, 3_200] });
    const register = makeRegister(geography, [{ clinicId: 1, municipalityIndex: 0, capacities: 13 }]);
    const input = { sums, geography, register, weightTable: makeWeightTable({ share: 0 }), asOf: "2027-06-30" };
    const grown = computeCapacityReport({ ...input, growthShare: [0, 0.03] });
    expect(grown.councils[0]).toMatchObject({ status: "closed", fastGrowthExtraCapacitiesAllowed: 1 });
    expect(grown.municipalities[1]).toMatchObject({ fastGrowth: true, fastGrowthExtraCapacitiesAllowed: 1, growthShare: 0.03 });
    expect(grown.national.fastGrowthExtraCapacitiesAllowed).toBe(1);
    const slow = computeCapacityReport({ ...input, growthShare: [0, 0.01] });
    expect(slow.municipalities[1]).toMatchObject({ fastGrowth: false, fastGrowthExtraCapacitiesAllowed: 0 });
  });

  it("lets a closed island council open before 1 January 2027 and not after", () => {
    const municipalities = [
      { code: 101, lifeExpectancyYears: 80 },
      { code: 102, islandNoBridge: true },
    ];
    const geography = makeGeography([{ id: "c", municipalities }]);
    const sums = makeSums(geography, { residents: [16_000, 4_000], weightSum: [16_000, 4_000] });
    const register = makeRegister(geography, [
      { clinicId: 1, municipalityIndex: 0, capacities: 20 },
      { clinicId: 2, municipalityIndex: 1, capacities: 1 },
    ]);
    const input = { sums, geography, register, weightTable: makeWeightTable({ share: 0 }), growthShare: [0, 0] };
    const before = computeCapacityReport({ ...input, asOf: "2026-12-31" });
    expect(before.councils[0]).toMatchObject({ status: "closed", islandExtraCapacitiesAllowed: 2 });
    const after = computeCapacityReport({ ...input, asOf: "2027-01-01" });
    expect(after.councils[0]).toMatchObject({ status: "closed", islandExtraCapacitiesAllowed: 0 });
    expect(after.national.islandExceptionInForce).toBe(false);
  });
});

describe("growth under a later ceiling", () => {
  it("reads the past year's growth from the projected population and the year before it", () => {
    const input = world("2027-06-30");
    const { growthShare: _, ...withoutGrowth } = input;
    const later = {
      populationYear: 2026,
      residents: [1030, 1000],
      weightSum: [1030, 1000],
      residentsYearBefore: [1000, 1000],
      label: "projected",
    };
    const report = computeCapacityReport({ ...withoutGrowth, ceilingPopulation: later });
    expect(report.municipalities[0]?.growthShare).toBeCloseTo(0.03, 12);
    expect(report.municipalities[0]?.fastGrowth).toBe(true);
    expect(report.municipalities[1]?.growthShare).toBe(0);
  });
});
