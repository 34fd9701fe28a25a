import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { checkPopulationWeightsPositive } from "../../src/model/populationWeights.js";
import {
  ageGroupByAge,
  combinationWeight,
  defaultWeightTable,
  lightestCombination,
  residentWeight,
  weightTableFromJson,
} from "../../src/model/weightTable.js";
import { allocateResidentColumns } from "../../src/population/schema.js";

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

describe("weights that cannot be negative", () => {
  it("rejects a table under which a combination weighs less than 0, naming it", () => {
    const table = clone();
    table["contributions"].longHigherEducation = -5;
    let error: unknown;
    try {
      weightTableFromJson(table, "w.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FordelingError);
    expect((error as FordelingError).code).toBe("FD_ERR_NONPOSITIVE_WEIGHT");
    expect((error as FordelingError).message).toMatch(
      /w\.json: a man aged 10–14, never married, long higher education, 0 chronic diseases.* would weigh -4\.81/u,
    );
  });

  it("rejects a combination that weighs exactly 0 and accepts one just above", () => {
    const table = clone();
    table["baseWeight"].man[3] = 0.15;
    table["baseWeight"].man[4] = 0.15;
    expect(() => weightTableFromJson(table)).toThrow(/would weigh 0;/u);
    table["baseWeight"].man[3] = 0.1500001;
    table["baseWeight"].man[4] = 0.1500001;
    expect(() => weightTableFromJson(table)).not.toThrow();
  });

  it("finds the lightest combination even when it takes negative contributions everywhere", () => {
    const table = defaultWeightTable();
    const contributions = { ...table.contributions, divorced: -0.1, widowed: -0.05, psychiatric: -0.01, menapt: -0.02 };
    const lightest = lightestCombination({ ...table, contributions });
    expect(lightest).toMatchObject({ civilStatus: 2, education: 3, psychiatric: 1, menapt: 1, outsideLabourMarket: 0 });
  });

  it("accepts the illustrative table, whose lightest resident weighs 0.036", () => {
    const table = defaultWeightTable();
    expect(combinationWeight(table, lightestCombination(table))).toBeCloseTo(0.036, 12);
  });

  it("checks a loaded population's actual combinations and names the first resident that fails", () => {
    const table = defaultWeightTable();
    const columns = allocateResidentColumns(3);
    columns.ageYears.set([40, 12, 70]);
    columns.education.set([1, 3, 0]);
    const bad = { ...table, contributions: { ...table.contributions, longHigherEducation: -0.5 } };
    expect(() => checkPopulationWeightsPositive(table, columns, 3)).not.toThrow();
    let error: unknown;
    try {
      checkPopulationWeightsPositive(bad, columns, 3, "pop.arrow");
    } catch (e) {
      error = e;
    }
    expect((error as FordelingError).code).toBe("FD_ERR_NONPOSITIVE_WEIGHT");
    expect((error as FordelingError).location).toEqual({ file: "pop.arrow", row: 1 });
    expect((error as FordelingError).message).toMatch(/man aged 10–14, never married, long higher education/u);
  });
});
