import { describe, expect, it } from "vitest";
import type { FordelingError } from "../../src/errors.js";
import { recordAt } from "../../src/io/table.js";
import { compareRuns } from "../../src/results/compare.js";
import { pairedDifference, tQuantile, unpairedDifference } from "../../src/results/stats.js";
import { makeReplicationData, makeStoredRun, normals } from "./fixtures.js";

const COLUMNS = ["need", "supply", "gap", "residents_without_gp"];
const noise = normals(5, 400);

/** Gap of replication r = base(r) + shift: base shared by both runs when they share draws. */
const runWith = (shift: number, opts: { replications?: number; years?: number[]; noiseOffset?: number } = {}) =>
  makeReplicationData({
    replications: opts.replications ?? 100,
    years: opts.years ?? [2025, 2026, 2027],
    columns: COLUMNS,
    value: (c, r, y) => (c === "gap" ? (y === 0 ? 1 : 1 + shift + 3 * (noise[r + (opts.noiseOffset ?? 0)] ?? 0)) : c === "need" ? 100 : 10),
  });

const failure = (f: () => unknown): FordelingError => {
  try {
    f();
  } catch (error) {
    return error as FordelingError;
  }
  throw new Error("expected a failure");
};

describe("intervals", () => {
  it("gives a point interval when the differences do not vary", () => {
    expect(pairedDifference([1, 2, 3], [3, 4, 5])).toEqual({ estimate: 2, low: 2, high: 2 });
    expect(pairedDifference([1, 2, 3], [1, 2, 3])).toEqual({ estimate: 0, low: 0, high: 0 });
  });

  it("matches Welch's interval worked by hand", () => {
    // Variances 5/3 each, se = √(5/12 + 5/12) = 0.9129, df = 6, t(0.975, 6) = 2.4469.
    const w = unpairedDifference([1, 2, 3, 4], [3, 4, 5, 6]);
    expect(w.estimate).toBe(2);
    expect(w.high - w.estimate).toBeCloseTo(2.4469 * 0.91287, 3);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.96, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
  });
});

describe("compareRuns", () => {
  it("refuses runs that share no council or no year with FD_ERR_NOT_COMPARABLE", () => {
    const a = makeStoredRun("a", runWith(0));
    const other = makeReplicationData({
      replications: 10,
      years: [2025, 2026],
      areas: [{ level: "council", id: "south", name: "South" }],
      columns: COLUMNS,
      value: () => 1,
    });
    expect(failure(() => compareRuns(a, makeStoredRun("b", other), { level: "council" })).code).toBe("FD_ERR_NOT_COMPARABLE");
    const later = makeReplicationData({ replications: 10, years: [2030], columns: COLUMNS, value: () => 1 });
    const error = failure(() => compareRuns(a, makeStoredRun("b", later)));
    expect(error.code).toBe("FD_ERR_NOT_COMPARABLE");
    expect(error.message).toContain("share no year");
  });

  it("refuses a run without a compared outcome instead of leaving it empty", () => {
    const bare = makeReplicationData({ replications: 3, years: [2025], columns: ["gap"], value: () => 1 });
    expect(failure(() => compareRuns(makeStoredRun("a", bare), makeStoredRun("b", bare))).code).toBe("FD_ERR_NOT_COMPARABLE");
  });

  it("gives exactly zero differences and intervals for a run compared with itself", () => {
    const a = makeStoredRun("a", runWith(0));
    const c = compareRuns(a, a);
    expect(c.method).toBe("paired");
    expect(c.warnings).toEqual([]);
    for (const name of ["gap_difference", "gap_difference_ci95_low", "gap_difference_ci95_high", "need_difference"]) {
      expect(c.table.columns.find((col) => col.name === name)?.values.every((v) => v === 0)).toBe(true);
    }
  });

  it("pairs runs of the same seed and inputs: a shift shared by every replication is found exactly", () => {
    const c = compareRuns(makeStoredRun("a", runWith(0)), makeStoredRun("b", runWith(0.5)), { level: "council", year: 2027 });
    const row = recordAt(c.table, 0);
    expect(c.method).toBe("paired");
    expect(row["gap_difference"]).toBeCloseTo(0.5, 5);
    expect(Number(row["gap_difference_ci95_high"]) - Number(row["gap_difference_ci95_low"])).toBeLessThan(1e-5);
    expect(row["method"]).toBe("paired");
  });

  it("compares runs of different seeds unpaired, with an interval from both runs' spread", () => {
    const a = makeStoredRun("a", runWith(0));
    const b = makeStoredRun("b", runWith(0.5, { noiseOffset: 150 }), { seed: 2 });
    const c = compareRuns(a, b, { area: "north", year: 2027 });
    const row = recordAt(c.table, 0);
    expect(c.method).toBe("unpaired");
    const expected = unpairedDifference(
      Float32Array.from({ length: 100 }, (_, r) => 1 + 3 * (noise[r] ?? 0)),
      Float32Array.from({ length: 100 }, (_, r) => 1.5 + 3 * (noise[r + 150] ?? 0)),
    );
    expect(row["gap_difference"]).toBeCloseTo(expected.estimate, 4);
    expect(row["gap_difference_ci95_low"]).toBeCloseTo(expected.low, 4);
    // Two independent spreads of sd 3 over 100 replications: half-width ≈ 1.97 × 3 × √(2/100).
    expect(Number(row["gap_difference_ci95_high"]) - Number(row["gap_difference"])).toBeGreaterThan(0.6);
  });

  it("warns, in the result and in every row, when horizons, replications, populations or model versions differ", () => {
    const a = makeStoredRun("a", runWith(0));
    const b = makeStoredRun("b", runWith(0, { replications: 60, years: [2025, 2026] }), {
      modelVersion: "fordeling-projection/2",
      dataVersions: {
        population: { file: "p.arrow", rows: 2000, sha256: "c".repeat(64) },
        register: { file: "register.csv", gps: 10, clinics: 5, sha256: "b".repeat(64) },
        geography: "data/kommuner.csv",
      },
    });
    const c = compareRuns(a, b);
    expect(c.method).toBe("unpaired");
    const text = c.warnings.join("\n");
    expect(text).toMatch(/horizons differ \(A to 2027, B to 2026\)/u);
    expect(text).toMatch(/replications differ \(A 100, B 60\)/u);
    expect(text).toMatch(/populations differ/u);
    expect(text).toMatch(/model versions differ/u);
    expect(text).toMatch(/seeds are equal but the inputs differ/u);
    expect(new Set<unknown>(c.table.columns.find((col) => col.name === "year")?.values)).toEqual(new Set([2025, 2026]));
    expect(c.table.columns.find((col) => col.name === "warnings")?.values.every((v) => v === c.warnings.join("; "))).toBe(true);
  });

  it("pairs the first replications of runs of the same seed with different counts, and says so", () => {
    const c = compareRuns(makeStoredRun("a", runWith(0)), makeStoredRun("b", runWith(1, { replications: 40 })));
    expect(c.method).toBe("paired");
    expect(c.replicationsA).toBe(40);
    expect(c.warnings).toContain("paired over the first 40 replications of each");
  });

  it("names areas only one run has instead of filling them with nulls", () => {
    const extra = makeReplicationData({
      replications: 100,
      years: [2025, 2026, 2027],
      areas: [
        { level: "council", id: "north", name: "North" },
        { level: "council", id: "south", name: "South" },
        { level: "national", id: "DK", name: "Denmark" },
      ],
      columns: COLUMNS,
      value: () => 1,
    });
    const c = compareRuns(makeStoredRun("a", runWith(0)), makeStoredRun("b", extra));
    expect(c.warnings.join()).toContain("B only: south");
    expect(c.table.columns.find((col) => col.name === "area_id")?.values).not.toContain("south");
  });
});
