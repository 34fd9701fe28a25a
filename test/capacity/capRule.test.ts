import { describe, expect, it } from "vitest";
import { applyCapRule, councilDecision, ownDeficitRoundedUp, type CapRuleInput } from "../../src/capacity/capRule.js";
import { ceilingInForce } from "../../src/capacity/ceilings.js";
import { capacitiesToOpen, defaultCapacityPolicy, type CapacityPolicy } from "../../src/capacity/policy.js";

const policy: CapacityPolicy = {
  islandExceptionUntil: "2027-01-01",
  openingRoundUpFraction: 1,
  fastGrowthThresholdShare: 0.012,
  fastGrowthExtraCapacities: 1,
};

describe("the cap rule", () => {
  it("closes a council whose supply exactly meets its ceiling", () => {
    expect(councilDecision(12, 12, policy)).toEqual({ status: "closed", newCapacitiesAllowed: 0 });
  });

  it("closes a council with more supply than its ceiling and never asks it to cut", () => {
    expect(councilDecision(10.2, 14, policy)).toEqual({ status: "closed", newCapacitiesAllowed: 0 });
  });

  it("keeps a council short by less than one capacity open with none to open when rounding down", () => {
    expect(councilDecision(7.4, 7, policy)).toEqual({ status: "open", newCapacitiesAllowed: 0 });
  });

  it("lets an open council open the whole capacities of its deficit, rounded down by default", () => {
    expect(councilDecision(10.9, 7, policy)).toEqual({ status: "open", newCapacitiesAllowed: 3 });
    expect(councilDecision(10, 7, policy)).toEqual({ status: "open", newCapacitiesAllowed: 3 });
    expect(councilDecision(3.5, 0, policy)).toEqual({ status: "open", newCapacitiesAllowed: 3 });
  });

  it("rounds a partial deficit up from the fraction the parameter names", () => {
    expect(capacitiesToOpen(2.5, 0.5)).toBe(3);
    expect(capacitiesToOpen(2.49, 0.5)).toBe(2);
    expect(capacitiesToOpen(2.01, 0)).toBe(3);
    expect(capacitiesToOpen(3, 0)).toBe(3);
    expect(capacitiesToOpen(-1, 0)).toBe(0);
    expect(councilDecision(7.6, 7, { openingRoundUpFraction: 0.5 })).toEqual({ status: "open", newCapacitiesAllowed: 1 });
  });

  it("takes its default rounding, island date and growth threshold from the parameter file", () => {
    expect(defaultCapacityPolicy()).toEqual(policy);
  });
});

/** One closed council (0: an island and a fast-growing mainland municipality) and one open council (1). */
function input(asOf: string, growth = 0.02): CapRuleInput {
  return {
    asOf,
    policy,
    councils: [
      { ceiling: 40, supply: 45 },
      { ceiling: 10, supply: 7 },
    ],
    municipalities: [
      { councilIndex: 0, ceiling: 29.7, supply: 35, growthShare: 0 },
      { councilIndex: 0, ceiling: 5.3, supply: 3, growthShare: growth },
      { councilIndex: 0, ceiling: 5, supply: 7, growthShare: 0 },
      { councilIndex: 1, ceiling: 10, supply: 7, growthShare: 0.05 },
    ],
    islands: [
      { id: "island", name: "Island", councilIndex: 0, municipalityIndex: 2, residents: 3000, need: 2.82, supply: 2 },
      { id: "open-island", name: "Open", councilIndex: 1, municipalityIndex: 3, residents: 100, need: 3, supply: 1 },
    ],
  };
}

describe("the island exception", () => {
  it("lets an island of a closed council open its own deficit rounded up until 31 December 2026", () => {
    const decision = applyCapRule(input("2026-12-31"));
    expect(decision.councils[0]).toEqual({ status: "closed", newCapacitiesAllowed: 0 });
    expect(decision.islands[0]).toEqual({ id: "island", municipalityIndex: 2, exceptionInForce: true, extraCapacitiesAllowed: 1 });
    expect(decision.municipalities[2]?.islandExtraCapacitiesAllowed).toBe(1);
  });

  it("ends on 1 January 2027", () => {
    const decision = applyCapRule(input("2027-01-01"));
    expect(decision.islandExceptionInForce).toBe(false);
    expect(decision.islands.map((i) => i.extraCapacitiesAllowed)).toEqual([0, 0]);
  });

  it("gives an island of an open council nothing extra: it shares the council's allowance", () => {
    const decision = applyCapRule(input("2026-06-01"));
    expect(decision.councils[1]).toEqual({ status: "open", newCapacitiesAllowed: 3 });
    expect(decision.islands[1]?.extraCapacitiesAllowed).toBe(0);
  });

  it("counts an island's deficit rounded up, and nothing when it is not short", () => {
    expect(ownDeficitRoundedUp(2.82, 2)).toBe(1);
    expect(ownDeficitRoundedUp(29.7, 23)).toBe(7);
    expect(ownDeficitRoundedUp(2, 2)).toBe(0);
    expect(ownDeficitRoundedUp(1, 3)).toBe(0);
  });
});

describe("the fast-growth exception", () => {
  it("lets a short municipality of a closed council that grew above the threshold open one extra capacity", () => {
    const decision = applyCapRule(input("2027-06-30", 0.02));
    expect(decision.municipalities[1]).toMatchObject({ fastGrowth: true, fastGrowthExtraCapacitiesAllowed: 1 });
  });

  it("gives nothing at or below the threshold, to a municipality that is not short, or in an open council", () => {
    const atThreshold = applyCapRule(input("2027-06-30", 0.012)).municipalities[1];
    expect(atThreshold).toMatchObject({ fastGrowth: false, fastGrowthExtraCapacitiesAllowed: 0 });
    expect(applyCapRule(input("2027-06-30", 0.02)).municipalities[0]?.fastGrowthExtraCapacitiesAllowed).toBe(0);
    const inOpenCouncil = applyCapRule(input("2027-06-30", 0.02)).municipalities[3];
    expect(inOpenCouncil).toMatchObject({ fastGrowth: true, fastGrowthExtraCapacitiesAllowed: 0 });
  });

  it("never gives more than the municipality's own deficit rounded up", () => {
    const decision = applyCapRule({ ...input("2027-06-30"), policy: { ...policy, fastGrowthExtraCapacities: 10 } });
    expect(decision.municipalities[1]?.fastGrowthExtraCapacitiesAllowed).toBe(3);
  });

  it("treats unknown growth as no fast growth", () => {
    const base = input("2027-06-30");
    const decision = applyCapRule({ ...base, municipalities: base.municipalities.map((m) => ({ ...m, growthShare: null })) });
    expect(decision.municipalities.every((m) => !m.fastGrowth)).toBe(true);
  });
});

describe("the ceiling in force", () => {
  it("is the end-2025 ceiling from 31 December 2025 (the ordinance)", () => {
    expect(ceilingInForce("2025-12-31")).toEqual({ fixedOn: "2025-12-31", populationYear: 2025, basis: "ordinance" });
    expect(ceilingInForce("2026-12-30")).toMatchObject({ fixedOn: "2025-12-31", populationYear: 2025 });
  });

  it("is the end-2026 ceiling, from a projected population, from 31 December 2026", () => {
    expect(ceilingInForce("2026-12-31")).toEqual({ fixedOn: "2026-12-31", populationYear: 2026, basis: "ordinance, projected population" });
  });

  it("stays the end-2026 ceiling on 30 June 2027, then is recomputed each 31 December (assumption)", () => {
    expect(ceilingInForce("2027-06-30")).toMatchObject({ fixedOn: "2026-12-31", populationYear: 2026 });
    const annual = { fixedOn: "2027-12-31", populationYear: 2027, basis: "annual recomputation (assumption)" };
    expect(ceilingInForce("2027-12-31")).toEqual(annual);
  });

  it("has none fixed before 31 December 2025, where the end-2025 population stands in", () => {
    expect(ceilingInForce("2025-07-01")).toEqual({ fixedOn: "2025-12-31", populationYear: 2025, basis: "none fixed yet (assumption)" });
  });
});
