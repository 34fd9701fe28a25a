import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { FordelingError } from "../errors.js";
import { dataFile } from "../paths.js";
import { MAX_AGE_YEARS, MAX_CHRONIC_DISEASES } from "../limits.js";
import { readDataFile } from "../io/readDataFile.js";

/**
 * A disease-weight table: weight = base[sex][age group] + Σ contributions (an additive model),
 * plus the life-expectancy correction and the target per capacity that go with it.
 * Format: data/model/weight-table.schema.json; documented in docs/MODEL.md.
 */
export interface WeightTable {
  formatVersion: 1;
  id: string;
  illustrative?: boolean;
  description?: string;
  /** Ascending, starting at 0; group g covers [bounds[g], bounds[g+1]). */
  ageGroupLowerBounds: number[];
  baseWeight: { man: number[]; woman: number[] };
  contributions: {
    widowed: number;
    divorced: number;
    primarySchoolOnly: number;
    longHigherEducation: number;
    /** Index = number of chronic diseases (0…7, 7 = seven or more). */
    chronicDiseasesByCount: number[];
    psychiatric: number;
    menapt: number;
    outsideLabourMarket: number;
  };
  lifeExpectancyCorrection: { redistributedShare: number; referenceLifeExpectancyYears: number };
  targetWeightedResidentsPerCapacity: number;
  sources?: Record<string, string>;
}

export const DEFAULT_WEIGHT_TABLE_FILE = dataFile("model/illustrative-2026.json");
const SCHEMA_FILE = dataFile("model/weight-table.schema.json");

let validator: ReturnType<Ajv["compile"]> | undefined;
function schemaValidator(): ReturnType<Ajv["compile"]> {
  if (validator === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
  }
  return validator;
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(top level)" : error.instancePath;
  const extra = error.keyword === "additionalProperties" ? ` '${String(error.params["additionalProperty"])}'` : "";
  return `${where} ${error.message ?? "is invalid"}${extra}`;
}

/** Validates a parsed table; `file` only labels errors. */
export function weightTableFromJson(value: unknown, file = "<weight table>"): WeightTable {
  const validate = schemaValidator();
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new FordelingError(
      "FD_ERR_WEIGHT_TABLE",
      (validate.errors ?? []).map(describeAjvError).join("; "),
      first ? { file, field: first.instancePath || "/" } : { file },
    );
  }
  const table = value as WeightTable;
  const bounds = table.ageGroupLowerBounds;
  const fail = (field: string, message: string): never => {
    throw new FordelingError("FD_ERR_WEIGHT_TABLE", message, { file, field });
  };
  if (bounds[0] !== 0) fail("/ageGroupLowerBounds/0", "the first age group must start at age 0");
  for (let g = 1; g < bounds.length; g++) {
    if ((bounds[g] ?? 0) <= (bounds[g - 1] ?? 0)) fail(`/ageGroupLowerBounds/${g}`, "age group bounds must be strictly ascending");
  }
  for (const sex of ["man", "woman"] as const) {
    if (table.baseWeight[sex].length !== bounds.length) {
      fail(
        `/baseWeight/${sex}`,
        `has ${table.baseWeight[sex].length} base weights but there are ${bounds.length} age groups: every group needs one`,
      );
    }
  }
  if (table.contributions.chronicDiseasesByCount.length !== MAX_CHRONIC_DISEASES + 1) {
    fail("/contributions/chronicDiseasesByCount", `needs ${MAX_CHRONIC_DISEASES + 1} entries (0…7 diseases)`);
  }
  checkWeightsPositive(table, file);
  return table;
}

/** One resident's characteristics in the codes of src/population/schema.ts (age as its group). */
export interface WeightCombination {
  ageGroup: number;
  sex: number;
  civilStatus: number;
  education: number;
  chronicDiseaseCount: number;
  psychiatric: number;
  menapt: number;
  outsideLabourMarket: number;
}

export function combinationWeight(table: WeightTable, c: WeightCombination): number {
  const { ageGroup, sex, civilStatus, education, chronicDiseaseCount, psychiatric, menapt, outsideLabourMarket } = c;
  return residentWeight(table, ageGroup, sex, civilStatus, education, chronicDiseaseCount, psychiatric, menapt, outsideLabourMarket);
}

/** Words for a combination, for error messages: "man aged 15–19, divorced, long higher education, …". */
export function describeCombination(table: WeightTable, c: WeightCombination): string {
  const low = table.ageGroupLowerBounds[c.ageGroup] ?? 0;
  const next = table.ageGroupLowerBounds[c.ageGroup + 1];
  const ages = next === undefined ? `${low}+` : next - 1 === low ? `${low}` : `${low}–${next - 1}`;
  const civil = ["never married", "married", "divorced", "widowed"][c.civilStatus] ?? `civil status ${c.civilStatus}`;
  const educations = ["primary school only", "upper secondary", "short or medium higher education", "long higher education"];
  const education = educations[c.education] ?? `education ${c.education}`;
  return [
    `${c.sex === 1 ? "woman" : "man"} aged ${ages}`,
    civil,
    education,
    `${c.chronicDiseaseCount} chronic diseases`,
    c.psychiatric === 1 ? "psychiatric disease" : "no psychiatric disease",
    c.menapt === 1 ? "MENAPT origin" : "not MENAPT origin",
    c.outsideLabourMarket === 1 ? "outside the labour market" : "not outside the labour market",
  ].join(", ");
}

/** The lightest combination of all: the model is additive, so each part takes its smallest term. */
export function lightestCombination(table: WeightTable): WeightCombination {
  const c = table.contributions;
  const argMin = (values: readonly number[]): number => values.reduce((best, v, i) => (v < (values[best] ?? Infinity) ? i : best), 0);
  let best = { sex: 0, ageGroup: 0 };
  for (const sex of [0, 1]) {
    const weights = sex === 1 ? table.baseWeight.woman : table.baseWeight.man;
    const bestWeights = best.sex === 1 ? table.baseWeight.woman : table.baseWeight.man;
    const g = argMin(weights);
    if ((weights[g] ?? Infinity) < (bestWeights[best.ageGroup] ?? Infinity)) best = { sex, ageGroup: g };
  }
  return {
    ...best,
    // Index = code: never married/married add 0, divorced and widowed their contributions.
    civilStatus: [0, 0, c.divorced, c.widowed].indexOf(Math.min(0, c.divorced, c.widowed)),
    education: [c.primarySchoolOnly, 0, 0, c.longHigherEducation].indexOf(Math.min(0, c.primarySchoolOnly, c.longHigherEducation)),
    chronicDiseaseCount: argMin(c.chronicDiseasesByCount),
    psychiatric: c.psychiatric < 0 ? 1 : 0,
    menapt: c.menapt < 0 ? 1 : 0,
    outsideLabourMarket: c.outsideLabourMarket < 0 ? 1 : 0,
  };
}

/**
 * A weight of zero or less has no meaning (need and minimum lists divide by weights, and a
 * negative need would cut capacities elsewhere): reject a table under which any combination of
 * characteristics, possible or not in a given population, weighs ≤ 0, naming the lightest one.
 */
export function checkWeightsPositive(table: WeightTable, file = "<weight table>"): void {
  const lightest = lightestCombination(table);
  const weight = combinationWeight(table, lightest);
  if (!(weight > 0)) {
    throw new FordelingError(
      "FD_ERR_NONPOSITIVE_WEIGHT",
      `a ${describeCombination(table, lightest)} would weigh ${weight}; every combination must weigh more than 0`,
      { file },
    );
  }
}

export function loadWeightTable(file = DEFAULT_WEIGHT_TABLE_FILE): WeightTable {
  return weightTableFromJson(readDataFile(file, "the weight table", "FD_ERR_WEIGHT_TABLE"), file);
}

/** Age group index for every single year of age 0…110: kernels look up by age, not by bounds. */
export function ageGroupByAge(table: WeightTable): Uint8Array {
  const groups = new Uint8Array(MAX_AGE_YEARS + 1);
  let g = 0;
  const bounds = table.ageGroupLowerBounds;
  for (let age = 0; age <= MAX_AGE_YEARS; age++) {
    while (g + 1 < bounds.length && age >= (bounds[g + 1] ?? Infinity)) g++;
    groups[age] = g;
  }
  return groups;
}

/**
 * The weight of one resident: the definition every kernel must match exactly.
 * Sums in a fixed order (base, civil, education, chronic, psychiatric, MENAPT, labour market)
 * so float results are reproducible bit for bit.
 */
export function residentWeight(
  table: WeightTable,
  ageGroup: number,
  sex: number,
  civilStatus: number,
  education: number,
  chronicDiseaseCount: number,
  psychiatric: number,
  menapt: number,
  outsideLabourMarket: number,
): number {
  const c = table.contributions;
  let w = (sex === 1 ? table.baseWeight.woman : table.baseWeight.man)[ageGroup] ?? Number.NaN;
  w += civilStatus === 3 ? c.widowed : civilStatus === 2 ? c.divorced : 0;
  w += education === 0 ? c.primarySchoolOnly : education === 3 ? c.longHigherEducation : 0;
  w += c.chronicDiseasesByCount[chronicDiseaseCount] ?? Number.NaN;
  w += psychiatric === 1 ? c.psychiatric : 0;
  w += menapt === 1 ? c.menapt : 0;
  w += outsideLabourMarket === 1 ? c.outsideLabourMarket : 0;
  return w;
}

let cachedDefault: WeightTable | undefined;
export function defaultWeightTable(): WeightTable {
  cachedDefault ??= loadWeightTable();
  return cachedDefault;
}
