import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { FordelingError } from "../errors.js";
import { dataFile } from "../paths.js";
import { readDataFile } from "../io/readDataFile.js";

/**
 * The projection's parameters: every rate lives in data/model/parameters.json with its source
 * (or "assumption"); uncertain ones declare a distribution each replication draws from.
 * This module loads and checks that file and resolves a scenario's overrides on top of it.
 */

export const DEFAULT_PARAMETERS_FILE = dataFile("model/parameters.json");
const SCHEMA_FILE = dataFile("model/parameters.schema.json");

/** Every key the model reads; a test keeps this list equal to the file's keys. */
export const PARAMETER_KEYS = [
  "capacity.targetWeightedResidentsPerCapacity",
  "policy.islandExceptionUntil",
  "policy.openingRoundUpFraction",
  "policy.extraCapacityGrowthThreshold",
  "policy.extraCapacitiesPerGrowthYear",
  "model.weightTableFile",
  "mortality.gompertzSlopePerYear",
  "mortality.makehamHazardPerYear",
  "mortality.infantDeathProbability",
  "mortality.lifeExpectancyShiftYears",
  "mortality.sexGapYears",
  "births.meanAgeOfMotherYears",
  "births.sdAgeOfMotherYears",
  "births.levelFactor",
  "births.girlShare",
  "migration.grossOutRate",
  "migration.peakAgeYears",
  "migration.netFactor",
  "chronic.onsetFactor",
  "civil.marriageRatePeak",
  "civil.divorceRate",
  "civil.remarriageRate",
  "civil.spouseAgeGapYears",
  "labour.returnRate",
  "gp.retirementMeanAgeYears",
  "gp.retirementAgeShiftYears",
  "gp.publishedExitsPerYear",
  "gp.publishedGpCount",
  "gp.newGpAgeYears",
  "training.placesPerYear",
  "training.placesChangeYear",
  "training.historicPlacesPerYear",
  "training.fillRate",
  "training.settleShare",
  "training.lagYears",
  "tender.delayYears",
  // New keys go at the end: a key's index is its draw stream (src/projection/draw.ts), so
  // inserting one earlier would change every later parameter's draws.
  "gp.publishedShare65PlusIn2030",
  "gp.moveShare",
  "settle.densityCoefficient",
  "settle.distanceCoefficientPer100Km",
  "settle.shortageCoefficient",
  "settle.outsideUtility",
  "settle.subsidyUtilityPer100kDkk",
  "settle.premisesUtilityPerMillionDkk",
  "vacancy.maxOpenYears",
  "temporary.openProbability",
  "temporary.maxYears",
  "temporary.costDkkPerResidentYear",
  "tender.contractYears",
  "tender.staffingFailureProbability",
  "tender.renewalProbability",
  "tender.costDkkPerResidentYear",
  "training.costDkkPerPlaceYear",
  "births.fertileFromAgeYears",
  "births.fertileToAgeYears",
  "migration.profileFloor",
  "migration.profilePeakHeight",
  "migration.profilePeakWidthYears",
  "migration.childExtra",
  "migration.childAgeBelowYears",
  "civil.marriagePeakFromAgeYears",
  "civil.marriagePeakToAgeYears",
  "civil.marriageToAgeYears",
  "civil.divorceFullBelowAgeYears",
  "civil.divorceToAgeYears",
  "civil.remarriageFullBelowAgeYears",
  "civil.remarriageToAgeYears",
  "civil.widowedRemarriageShare",
] as const;

export type ParameterKey = (typeof PARAMETER_KEYS)[number];
export type ParameterType = "number" | "integer" | "date" | "file";

export type Distribution =
  | { kind: "normal"; mean: number; sd: number; min: number; max: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "triangular"; min: number; mode: number; max: number };

export interface ParameterSpec {
  type: ParameterType;
  value: number | string;
  min?: number | string;
  max?: number | string;
  unit?: string;
  source: string;
  distribution?: Distribution;
}

export interface ParameterFile {
  formatVersion: 1;
  id: string;
  description?: string;
  parameters: Record<ParameterKey, ParameterSpec>;
}

/** The allowed range of a parameter as words, for error messages. */
export function describeRange(spec: ParameterSpec): string {
  if (spec.type === "file") return "a file path (empty for the default)";
  if (spec.type === "date") return `a date YYYY-MM-DD from ${String(spec.min)} to ${String(spec.max)}`;
  const kind = spec.type === "integer" ? "a whole number" : "a number";
  return `${kind} from ${String(spec.min ?? "-∞")} to ${String(spec.max ?? "∞")}`;
}

/** Validates a parsed parameter file; `file` only labels errors. */
export function parameterFileFromJson(value: unknown, file = "<parameters>"): ParameterFile {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new FordelingError(
      "FD_ERR_BAD_VALUE",
      (validate.errors ?? []).map((e) => `${e.instancePath || "(top level)"} ${e.message ?? "is invalid"}`).join("; "),
      { file, field: first?.instancePath || "/" },
    );
  }
  const parsed = value as ParameterFile;
  const fail = (key: string, message: string): never => {
    throw new FordelingError("FD_ERR_BAD_VALUE", message, { file, field: `/parameters/${key}` });
  };
  const keys = Object.keys(parsed.parameters);
  for (const key of PARAMETER_KEYS) if (!keys.includes(key)) fail(key, "the parameter is missing");
  for (const key of keys) if (!(PARAMETER_KEYS as readonly string[]).includes(key)) fail(key, "unknown parameter");
  for (const key of PARAMETER_KEYS) {
    const spec = parsed.parameters[key];
    const problem = checkValue(spec, spec.value);
    if (problem !== undefined) fail(key, `value ${JSON.stringify(spec.value)}: ${problem}`);
    const d = spec.distribution;
    if (d !== undefined) {
      if (spec.type !== "number") fail(key, "only number parameters may declare a distribution");
      if (!(d.min < d.max)) fail(key, "distribution min must be below max");
      if (checkValue(spec, d.min) !== undefined || checkValue(spec, d.max) !== undefined) {
        fail(key, `distribution bounds ${d.min}…${d.max} exceed the parameter's range (${describeRange(spec)})`);
      }
      if (d.kind === "triangular" && !(d.mode >= d.min && d.mode <= d.max)) fail(key, "triangular mode must lie within min…max");
    }
  }
  return parsed;
}

/** undefined when `value` is allowed for `spec`, else what is wrong (without the key). */
export function checkValue(spec: ParameterSpec, value: unknown): string | undefined {
  const allowed = `allowed: ${describeRange(spec)}`;
  if (spec.type === "file") return typeof value === "string" ? undefined : `must be a string (${allowed})`;
  if (spec.type === "date") {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/u.test(value) || Number.isNaN(Date.parse(value))) {
      return `must be a date YYYY-MM-DD (${allowed})`;
    }
    if (value < String(spec.min) || value > String(spec.max)) return `is out of range (${allowed})`;
    return undefined;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return `must be a number (${allowed})`;
  if (spec.type === "integer" && !Number.isInteger(value)) return `must be a whole number (${allowed})`;
  if ((typeof spec.min === "number" && value < spec.min) || (typeof spec.max === "number" && value > spec.max)) {
    return `is out of range (${allowed})`;
  }
  return undefined;
}

export function loadParameterFile(file = DEFAULT_PARAMETERS_FILE): ParameterFile {
  return parameterFileFromJson(readDataFile(file, "the parameter file", "FD_ERR_BAD_VALUE"), file);
}

let cached: ParameterFile | undefined;
export function defaultParameterFile(): ParameterFile {
  cached ??= loadParameterFile();
  return cached;
}

/** Resolved numbers and strings of one replication (or the central values). */
export interface ParameterValues {
  num(key: ParameterKey): number;
  str(key: ParameterKey): string;
  readonly values: Readonly<Record<ParameterKey, number | string>>;
}

export function makeParameterValues(values: Record<ParameterKey, number | string>): ParameterValues {
  return {
    values,
    num(key) {
      const v = values[key];
      if (typeof v !== "number") throw new FordelingError("FD_ERR_BAD_VALUE", `parameter '${key}' is not a number`);
      return v;
    },
    str(key) {
      const v = values[key];
      if (typeof v !== "string") throw new FordelingError("FD_ERR_BAD_VALUE", `parameter '${key}' is not a string`);
      return v;
    },
  };
}
