import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "../../src/population/rng.js";
import { sensitivity } from "../../src/results/sensitivity.js";
import { makeReplicationData, normals } from "./fixtures.js";

const N = 400;
const rng = new Xoshiro128(11);
const draws = { a: new Float64Array(N), b: new Float64Array(N), c: new Float64Array(N) };
for (let r = 0; r < N; r++) for (const key of ["a", "b", "c"] as const) draws[key][r] = rng.nextFloat();
const noise = normals(12, N);

const dataWith = (gap: (r: number) => number) =>
  makeReplicationData({
    replications: N,
    years: [2025, 2026],
    columns: ["gap"],
    value: (_c, r, y) => (y === 0 ? 0 : gap(r)),
    parameters: (["a", "b", "c"] as const).map((key) => ({ key: `p.${key}`, value: (r: number) => draws[key][r] ?? 0 })),
  });

const rowsFor = (s: ReturnType<typeof sensitivity>, area = "north") =>
  Object.fromEntries(s.rows.filter((r) => r.areaIndex === (area === "north" ? 0 : 1)).map((r) => [r.parameter, r]));

describe("sensitivity (partial rank correlation)", () => {
  it("refuses a run that drew no parameter, and one with too few replications", () => {
    const none = makeReplicationData({ replications: 10, years: [2025, 2026], columns: ["gap"], value: (_c, r) => r });
    expect(() => sensitivity(none)).toThrow(/drew no uncertain parameters/u);
    const few = makeReplicationData({
      replications: 4,
      years: [2025, 2026],
      columns: ["gap"],
      value: (_c, r) => r,
      parameters: [
        { key: "p.a", value: (r) => r },
        { key: "p.b", value: (r) => (r * 7) % 4 },
      ],
    });
    expect(() => sensitivity(few)).toThrow(/too few to rank 2 parameters/u);
  });

  it("leaves out, with a warning, an area-year whose outcome does not vary", () => {
    const s = sensitivity(dataWith(() => 3));
    expect(s.rows).toHaveLength(0);
    expect(s.warnings[0]).toMatch(/north 2026: the gap is the same in every replication/u);
  });

  it("ranks first the parameter that alone drives the gap, near 1, and leaves the others' intervals around 0", () => {
    const s = sensitivity(dataWith((r) => 5 * (draws.a[r] ?? 0) + 0.05 * (noise[r] ?? 0)));
    const rows = rowsFor(s);
    expect(rows["p.a"]?.rank).toBe(1);
    expect(rows["p.a"]?.prcc).toBeGreaterThan(0.95);
    for (const other of ["p.b", "p.c"]) {
      expect(rows[other]?.low).toBeLessThan(0);
      expect(rows[other]?.high).toBeGreaterThan(0);
    }
    expect(rows["p.a"]?.rSquared).toBeGreaterThan(0.9);
    expect(s.table.columns.map((c) => c.name)).toEqual([
      "level",
      "area_id",
      "area_name",
      "year",
      "outcome",
      "parameter",
      "rank",
      "prcc",
      "prcc_ci95_low",
      "prcc_ci95_high",
      "r_squared",
    ]);
  });

  it("gives ±1 to a parameter that determines the outcome's ranks exactly", () => {
    const s = sensitivity(dataWith((r) => -10 * (draws.c[r] ?? 0)));
    const rows = rowsFor(s);
    expect(rows["p.c"]?.rank).toBe(1);
    expect(rows["p.c"]?.prcc).toBeLessThan(-0.999);
  });

  it("sees through a monotone non-linear effect and keeps the sign of a negative one", () => {
    const s = sensitivity(dataWith((r) => Math.exp(8 * (draws.b[r] ?? 0)) - 3 * (draws.c[r] ?? 0)));
    const rows = rowsFor(s, "DK");
    expect(rows["p.b"]?.rank).toBe(1);
    expect(rows["p.b"]?.prcc).toBeGreaterThan(0.9);
    expect(rows["p.c"]?.prcc).toBeLessThan(-0.3);
    expect(rows["p.c"]?.rank).toBe(2);
  });

  it("gives an interval that holds the estimate and lies inside [−1, 1]", () => {
    const s = sensitivity(dataWith((r) => (draws.a[r] ?? 0) + (draws.b[r] ?? 0) + (noise[r] ?? 0)));
    for (const row of s.rows) {
      expect(row.low).toBeLessThanOrEqual(row.prcc);
      expect(row.high).toBeGreaterThanOrEqual(row.prcc);
      expect(row.low).toBeGreaterThanOrEqual(-1);
      expect(row.high).toBeLessThanOrEqual(1);
    }
  });
});
