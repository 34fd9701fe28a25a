import { describe, expect, it } from "vitest";
import { baselineScenario } from "../../src/model/scenario.js";
import { columnOfKey, parseVary, sweepGrid, sweepScenarios, sweepTable } from "../../src/results/sweep.js";
import { makeReplicationData } from "./fixtures.js";

describe("sweep grids", () => {
  it.each([
    ["training.placesPerYear", /key=from:to:step/u],
    ["weather.rain=1:2:1", /not a parameter/u],
    ["policy.islandExceptionUntil=1:2:1", /only numeric parameters/u],
    ["training.placesPerYear=350:550:0", /step must be above 0/u],
    ["training.placesPerYear=550:350:50", /to must not be below from/u],
    ["training.placesPerYear=0:1000:1", /at most 100/u],
  ])("refuses --vary %s", (text, message) => {
    expect(() => parseVary(text)).toThrow(message);
  });

  it("includes both ends and rounds away binary fractions", () => {
    expect(parseVary("training.placesPerYear=350:550:50").values).toEqual([350, 400, 450, 500, 550]);
    expect(parseVary("training.fillRate=0.1:0.3:0.1").values).toEqual([0.1, 0.2, 0.3]);
  });

  it("crosses the axes, the first varying slowest, and validates each point as a scenario", () => {
    const grid = sweepGrid([parseVary("training.placesPerYear=350:450:100"), parseVary("training.fillRate=0.7:0.8:0.1")]);
    expect(grid).toEqual([
      { "training.placesPerYear": 350, "training.fillRate": 0.7 },
      { "training.placesPerYear": 350, "training.fillRate": 0.8 },
      { "training.placesPerYear": 450, "training.fillRate": 0.7 },
      { "training.placesPerYear": 450, "training.fillRate": 0.8 },
    ]);
    expect(sweepScenarios(baselineScenario(), grid)[3]?.parameters).toEqual({ "training.placesPerYear": 450, "training.fillRate": 0.8 });
    expect(() => sweepScenarios(baselineScenario(), [{ "training.fillRate": 1.5 }])).toThrow(/training.fillRate/u);
    expect(() => sweepGrid([parseVary("training.fillRate=0.1:0.2:0.1"), parseVary("training.fillRate=0.1:0.2:0.1")])).toThrow(/twice/u);
  });

  it("names a varied parameter's column in snake_case", () => {
    expect(columnOfKey("capacity.targetWeightedResidentsPerCapacity")).toBe("capacity_target_weighted_residents_per_capacity");
  });

  it("tabulates each point against the first, paired", () => {
    const point = (shift: number) =>
      makeReplicationData({
        replications: 4,
        years: [2025, 2026],
        columns: ["gap", "need", "supply", "residents_without_gp"],
        value: (c, r) => (c === "gap" ? r + shift : 1),
      });
    const axes = [parseVary("training.placesPerYear=350:450:100")];
    const table = sweepTable(axes, [
      { values: { "training.placesPerYear": 350 }, data: point(0) },
      { values: { "training.placesPerYear": 450 }, data: point(2) },
    ]);
    const col = (name: string) => table.columns.find((c) => c.name === name)?.values ?? [];
    expect(table.rowCount).toBe(2 * 2 * 2);
    expect(col("gap_difference_vs_first")).toEqual([0, 0, 0, 0, 2, 2, 2, 2]);
    expect(col("gap_difference_vs_first_ci95_low")).toEqual([0, 0, 0, 0, 2, 2, 2, 2]);
    expect(col("gap_mean").slice(0, 1)).toEqual([1.5]);
  });
});
