import { dataFile } from "../paths.js";
import { readDataFile } from "../io/readDataFile.js";
import { parameterFailure, readSourcedParameters, type ParameterFailure } from "../io/sourcedParameters.js";

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

/** Validates a parsed parameter file; `file` only labels errors. */
export function registerParametersFromJson(json: unknown, file = "<register parameters>"): RegisterParameters {
  const fail = parameterFailure(file);
  const values = readSourcedParameters(json, KEYS, fail);
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

function checkConsistency(p: RegisterParameters, fail: ParameterFailure): void {
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
