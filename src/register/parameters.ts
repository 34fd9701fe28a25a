import { FordelingError } from "../errors.js";
import { dataFile } from "../paths.js";
import { readDataFile } from "../io/readDataFile.js";

/**
 * The register's parameters: every number lives in data/model/register-parameters.json with its
 * source (or "assumption"), a unit and an allowed range. This module checks that file and turns
 * it into a typed object; docs/REGISTER.md explains each parameter.
 */

export const DEFAULT_REGISTER_PARAMETERS_FILE = dataFile("model/register-parameters.json");

export interface RegisterParameters {
  nationalCapacities: number;
  nationalClinics: number;
  underservedCapacityFactor: number;
  municipalNoiseSd: number;
  gpCapacityValues: number[];
  gpCapacityShares: number[];
  ageBandLowerYears: number[];
  ageBandUpperYears: number;
  ageBandShares: number[];
  meanCapacitiesPerClinic: { urban: number; rural: number; island: number };
  ruralDensityBelow: number;
  maxGpsPerClinic: number;
  tenderedClinicShare: number;
  tenderedUnderservedWeight: number;
  crossBorderShare: number;
  maxCrossBorderShare: number;
  neighbourCount: number;
  distanceDecayKm: number;
  pullExponent: number;
}

/** Every key of the file and whether its value is a list; a missing or unknown key is an error. */
const KEYS = {
  "capacities.national": "number",
  "clinics.national": "number",
  "capacities.underservedFactor": "number",
  "capacities.municipalNoiseSd": "number",
  "gp.capacityValues": "list",
  "gp.capacityShares": "list",
  "gp.ageBandLowerYears": "list",
  "gp.ageBandUpperYears": "number",
  "gp.ageBandShares": "list",
  "clinics.meanCapacitiesUrban": "number",
  "clinics.meanCapacitiesRural": "number",
  "clinics.meanCapacitiesIsland": "number",
  "clinics.ruralDensityBelow": "number",
  "clinics.maxGpsPerClinic": "number",
  "tender.clinicShare": "number",
  "tender.underservedWeight": "number",
  "chooser.crossBorderShare": "number",
  "chooser.maxCrossBorderShare": "number",
  "chooser.neighbourCount": "number",
  "chooser.distanceDecayKm": "number",
  "chooser.pullExponent": "number",
} as const;
type Key = keyof typeof KEYS;

interface Entry {
  value: unknown;
  min?: unknown;
  max?: unknown;
  source?: unknown;
}

/** Validates a parsed parameter file; `file` only labels errors. */
export function registerParametersFromJson(json: unknown, file = "<register parameters>"): RegisterParameters {
  const fail = (message: string, field?: string): never => {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", message, field === undefined ? { file } : { file, field });
  };
  const entries = (json as { parameters?: unknown } | null)?.parameters;
  if (typeof entries !== "object" || entries === null) return fail("expected an object with a 'parameters' object");
  const table = entries as Record<string, Entry>;
  for (const key of Object.keys(table)) if (!(key in KEYS)) fail(`unknown parameter (allowed: ${Object.keys(KEYS).join(", ")})`, key);

  const values = new Map<Key, number | number[]>();
  for (const [key, kind] of Object.entries(KEYS) as [Key, "number" | "list"][]) {
    const entry = table[key];
    if (entry === undefined) return fail("parameter is missing", key);
    if (typeof entry.source !== "string" || entry.source === "") fail("every parameter needs a 'source' (or 'assumption')", key);
    const min = typeof entry.min === "number" ? entry.min : -Infinity;
    const max = typeof entry.max === "number" ? entry.max : Infinity;
    const list = kind === "list" ? entry.value : [entry.value];
    if (!Array.isArray(list) || list.length === 0)
      return fail(`value must be a ${kind === "list" ? "non-empty list of numbers" : "number"}`, key);
    for (const v of list) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
        fail(`value ${JSON.stringify(v)} is not a number from ${min} to ${max}`, key);
      }
    }
    values.set(key, kind === "list" ? (list as number[]) : (list[0] as number));
  }
  const num = (k: Key): number => values.get(k) as number;
  const list = (k: Key): number[] => values.get(k) as number[];

  const params: RegisterParameters = {
    nationalCapacities: num("capacities.national"),
    nationalClinics: num("clinics.national"),
    underservedCapacityFactor: num("capacities.underservedFactor"),
    municipalNoiseSd: num("capacities.municipalNoiseSd"),
    gpCapacityValues: list("gp.capacityValues"),
    gpCapacityShares: list("gp.capacityShares"),
    ageBandLowerYears: list("gp.ageBandLowerYears"),
    ageBandUpperYears: num("gp.ageBandUpperYears"),
    ageBandShares: list("gp.ageBandShares"),
    meanCapacitiesPerClinic: {
      urban: num("clinics.meanCapacitiesUrban"),
      rural: num("clinics.meanCapacitiesRural"),
      island: num("clinics.meanCapacitiesIsland"),
    },
    ruralDensityBelow: num("clinics.ruralDensityBelow"),
    maxGpsPerClinic: num("clinics.maxGpsPerClinic"),
    tenderedClinicShare: num("tender.clinicShare"),
    tenderedUnderservedWeight: num("tender.underservedWeight"),
    crossBorderShare: num("chooser.crossBorderShare"),
    maxCrossBorderShare: num("chooser.maxCrossBorderShare"),
    neighbourCount: num("chooser.neighbourCount"),
    distanceDecayKm: num("chooser.distanceDecayKm"),
    pullExponent: num("chooser.pullExponent"),
  };
  checkConsistency(params, fail);
  return params;
}

function checkConsistency(p: RegisterParameters, fail: (message: string, field?: string) => never): void {
  const sumsToOne = (xs: number[]): boolean => Math.abs(xs.reduce((s, x) => s + x, 0) - 1) < 1e-9;
  if (p.gpCapacityShares.length !== p.gpCapacityValues.length) fail("needs one share per capacity value", "gp.capacityShares");
  if (!sumsToOne(p.gpCapacityShares)) fail("shares must sum to 1", "gp.capacityShares");
  if (p.ageBandShares.length !== p.ageBandLowerYears.length) fail("needs one share per age band", "gp.ageBandShares");
  if (!sumsToOne(p.ageBandShares)) fail("shares must sum to 1", "gp.ageBandShares");
  const bounds = [...p.ageBandLowerYears, p.ageBandUpperYears];
  for (let i = 1; i < bounds.length; i++) {
    if (!Number.isInteger(bounds[i]) || (bounds[i] as number) <= (bounds[i - 1] as number)) {
      fail("age band bounds must be whole years, strictly ascending, below gp.ageBandUpperYears", "gp.ageBandLowerYears");
    }
  }
  for (const k of ["maxGpsPerClinic", "neighbourCount"] as const) {
    if (!Number.isInteger(p[k]))
      fail("must be a whole number", k === "maxGpsPerClinic" ? "clinics.maxGpsPerClinic" : "chooser.neighbourCount");
  }
  if (p.crossBorderShare > p.maxCrossBorderShare) fail("must not exceed chooser.maxCrossBorderShare", "chooser.crossBorderShare");
}

export function loadRegisterParameters(file = DEFAULT_REGISTER_PARAMETERS_FILE): RegisterParameters {
  return registerParametersFromJson(readDataFile(file, "the register parameters", "FD_ERR_REFERENCE_DATA"), file);
}

let cached: RegisterParameters | undefined;
/** The shipped parameters, loaded once per process. */
export function defaultRegisterParameters(): RegisterParameters {
  cached ??= loadRegisterParameters();
  return cached;
}
