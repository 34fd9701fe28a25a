import { readDataFile } from "../io/readDataFile.js";
import { parameterFailure, readSourcedParameters } from "../io/sourcedParameters.js";
import { dataFile } from "../paths.js";

/**
 * Parameters of locations and of the access rule: every number lives in
 * data/model/geo-parameters.json with its source (or "assumption") and an allowed range.
 */
export const DEFAULT_GEO_PARAMETERS_FILE = dataFile("model/geo-parameters.json");

export interface GeoParameters {
  radiusKm: number;
  minimumGps: number;
  detourFactor: number;
  minimumRuralShare: number;
  coordinateToleranceKm: number;
  islandWithoutPolygonRadiusKm: number;
}

const KEYS = {
  "access.radiusKm": "radiusKm",
  "access.minimumGps": "minimumGps",
  "access.detourFactor": "detourFactor",
  "locations.minimumRuralShare": "minimumRuralShare",
  "locations.coordinateToleranceKm": "coordinateToleranceKm",
  "locations.islandWithoutPolygonRadiusKm": "islandWithoutPolygonRadiusKm",
} as const satisfies Record<string, keyof GeoParameters>;

/** Validates a parsed parameter file; `file` only labels errors. */
export function geoParametersFromJson(json: unknown, file = "<geo parameters>"): GeoParameters {
  const kinds = Object.fromEntries(Object.keys(KEYS).map((key) => [key, "number"])) as Record<keyof typeof KEYS, "number">;
  const values = readSourcedParameters(json, kinds, parameterFailure(file));
  const out: Partial<GeoParameters> = {};
  for (const [key, name] of Object.entries(KEYS) as [keyof typeof KEYS, keyof GeoParameters][]) out[name] = values.get(key) as number;
  return out as GeoParameters;
}

export function loadGeoParameters(file = DEFAULT_GEO_PARAMETERS_FILE): GeoParameters {
  return geoParametersFromJson(readDataFile(file, "the geo parameters", "FD_ERR_REFERENCE_DATA"), file);
}

let cached: GeoParameters | undefined;
export function defaultGeoParameters(): GeoParameters {
  cached ??= loadGeoParameters();
  return cached;
}
