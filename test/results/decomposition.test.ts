import { describe, expect, it } from "vitest";
import { DECOMPOSITION_PARTS, decompose } from "../../src/results/decomposition.js";
import { makeReplicationData } from "./fixtures.js";

/**
 * A council by hand: 1,000 residents needing 10 capacities, then 1,050 needing 11 and 1,100
 * needing 12; supply 12, then +1 entrant and a tendered clinic of 1 capacity, then +2 entrants
 * and 2 capacities lost to retirements: 14. Replication 1 is the same with no entrants at all
 * (supply 12 → 13 → 11).
 */
const YEARS = [2025, 2026, 2027];
const table: Record<string, number[][]> = {
  residents: [
    [1000, 1050, 1100],
    [1000, 1050, 1100],
  ],
  need: [
    [10, 11, 12],
    [10, 11, 12],
  ],
  supply: [
    [12, 14, 14],
    [12, 13, 11],
  ],
  gp_entrant_capacities: [
    [0, 1, 2],
    [0, 0, 0],
  ],
  tendered_supply: [
    [0, 1, 1],
    [0, 1, 1],
  ],
};
const data = makeReplicationData({
  replications: 2,
  years: YEARS,
  areas: [{ level: "council", id: "north", name: "North" }],
  columns: Object.keys(table),
  value: (c, r, y) => table[c]?.[r]?.[y] ?? 0,
});

describe("decomposition of the gap change", () => {
  it("refuses the base year as the end year", () => {
    expect(() => decompose(data, { year: 2025 })).toThrow(/a year after the base year 2025/u);
  });

  it("matches the hand-made council part by part", () => {
    const d = decompose(data);
    const row = d.rows[0]!;
    // Need per resident 0.01 → 12/1100: population ΔR × (w0 + w1)/2, the rest is weight drift.
    const population = (100 * (10 / 1000 + 12 / 1100)) / 2;
    expect(row.parts.population_growth).toBeCloseTo(-population, 12);
    expect(row.parts.weight_drift).toBeCloseTo(-(2 - population), 12);
    expect(row.parts.entrants).toBeCloseTo((3 + 0) / 2, 12);
    expect(row.parts.tendered_clinics).toBeCloseTo(1, 12);
    // Replication 0: 14 − 12 − 3 − 1 = −2; replication 1: 11 − 12 − 0 − 1 = −2.
    expect(row.parts.retirements).toBeCloseTo(-2, 12);
    expect(row.parts.movers).toBe(0);
    expect(row.parts.temporary_clinics).toBe(0);
    expect(row.gapBase).toBeCloseTo(2, 12);
    expect(row.gapEnd).toBeCloseTo((2 + -1) / 2, 12);
    expect(d.missing).toEqual(["movers", "temporary_clinics"]);
  });

  it("has parts that add up to the total change exactly, for every year", () => {
    for (const year of [2026, 2027]) {
      const d = decompose(data, { year });
      for (const row of d.rows) {
        const sum = DECOMPOSITION_PARTS.reduce((s, p) => s + row.parts[p], 0);
        expect(Math.abs(sum - row.total)).toBeLessThan(1e-12);
        expect(Math.abs(row.gapBase + row.total - row.gapEnd)).toBeLessThan(1e-12);
      }
    }
  });

  it("uses movers and temporary clinics when the run records them", () => {
    const withFlows = makeReplicationData({
      replications: 1,
      years: [2025, 2026],
      areas: [{ level: "council", id: "north", name: "North" }],
      columns: [...Object.keys(table), "gp_mover_capacities_net", "temporary_supply"],
      value: (c, _r, y) =>
        c === "gp_mover_capacities_net" ? y : c === "temporary_supply" ? 2 * y : c === "supply" ? 12 + 3 * y : (table[c]?.[0]?.[y] ?? 0),
    });
    const row = decompose(withFlows).rows[0]!;
    expect(row.parts.movers).toBe(1);
    expect(row.parts.temporary_clinics).toBe(2);
    expect(row.parts.retirements).toBeCloseTo(3 - 1 - 1 - 1 - 2, 12);
  });
});
