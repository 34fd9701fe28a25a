import { describe, expect, it } from "vitest";
import { ageGroupByAge, defaultWeightTable, residentWeight, weightTableFromJson } from "../../src/model/weightTable.js";

const clone = () => structuredClone(defaultWeightTable()) as unknown as Record<string, any>;

describe("weight table", () => {
  it("rejects a table with a missing age group, naming the field", () => {
    const table = clone();
    table["baseWeight"].woman.pop();
    expect(() => weightTableFromJson(table, "w.json")).toThrow(/field '\/baseWeight\/woman'.*every group needs one/u);
  });

  it("rejects unknown keys and wrong types", () => {
    const table = clone();
    table["contributions"].smoker = 0.2;
    table["targetWeightedResidentsPerCapacity"] = "1600";
    expect(() => weightTableFromJson(table, "w.json")).toThrow(/smoker/u);
    expect(() => weightTableFromJson(table, "w.json")).toThrow(/targetWeightedResidentsPerCapacity must be number/u);
  });

  it("rejects descending age bounds", () => {
    const table = clone();
    table["ageGroupLowerBounds"][3] = 2;
    expect(() => weightTableFromJson(table)).toThrow(/strictly ascending/u);
  });

  it("carries the one published coefficient: +0.54 outside the labour market", () => {
    expect(defaultWeightTable().contributions.outsideLabourMarket).toBe(0.54);
  });

  it("states a source for every number", () => {
    const table = defaultWeightTable();
    const keys = [
      "ageGroupLowerBounds",
      "baseWeight",
      ...Object.keys(table.contributions).map((k) => `contributions.${k}`),
      ...Object.keys(table.lifeExpectancyCorrection).map((k) => `lifeExpectancyCorrection.${k}`),
      "targetWeightedResidentsPerCapacity",
    ];
    for (const key of keys) expect(table.sources?.[key], key).toMatch(/\w+/u);
  });

  it("maps every age 0…110 to a group and adds contributions in the documented way", () => {
    const table = defaultWeightTable();
    const groups = ageGroupByAge(table);
    expect(groups[0]).toBe(0);
    expect(groups[110]).toBe(table.ageGroupLowerBounds.length - 1);
    const g = groups[40] ?? 0;
    const plain = residentWeight(table, g, 0, 1, 1, 0, 0, 0, 0);
    expect(plain).toBe(table.baseWeight.man[g]);
    expect(residentWeight(table, g, 0, 1, 1, 0, 0, 0, 1)).toBeCloseTo(plain + 0.54, 12);
  });
});
