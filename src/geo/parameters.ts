import { FordelingError } from "../errors.js";
import { readDataFile } from "../io/readDataFile.js";
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

interface Entry {
  value?: unknown;
  min?: unknown;
  max?: unknown;
  source?: unknown;
}

/** Validates a parsed parameter file; `file` only labels errors. */
export function geoParametersFromJson(json: unknown, file = "<geo parameters>"): GeoParameters {
  const fail = (message: string, field?: string): never => {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", message, field === undefined ? { file } : { file, field });
  };
  const entries = (json as { parameters?: unknown } | null)?.parameters;
  if (typeof entries !== "object" || entries === null) return fail("expected an object with a 'parameters' object");
  const table = entries as Record<string, Entry>;
  for (const key of Object.keys(table)) if (!(key in KEYS)) fail(`unknown parameter (allowed: ${Object.keys(KEYS).join(", ")})`, key);
  const out: Partial<GeoParameters> = {};
  for (const [key, name] of Object.entries(KEYS) as [keyof typeof KEYS, keyof GeoParameters][]) {
    const entry = table[key];
    if (entry === undefined) return fail("parameter is missing", key);
    if (typeof entry.source !== "string" || entry.source === "") fail("every parameter needs a 'source' (or 'assumption')", key);
    const min = typeof entry.min === "number" ? entry.min : -Infinity;
    const max = typeof entry.max === "number" ? entry.max : Infinity;
    const v = entry.value;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
      fail(`value ${JSON.stringify(v)} is not a number from ${min} to ${max}`, key);
    out[name] = v as number;
  }
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
