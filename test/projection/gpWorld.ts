import { defaultGeography } from "../../src/geo/geography.js";
import type { ScenarioLevers } from "../../src/model/levers.js";
import { defaultParameterFile, type ParameterKey } from "../../src/model/parameters.js";
import type { AccessGrid } from "../../src/projection/accessGrid.js";
import { drawParameters } from "../../src/projection/draw.js";
import type { GpRules, YearContext } from "../../src/projection/gps.js";
import { resolveLevers } from "../../src/projection/supply/levers.js";
import { placeFeatures } from "../../src/projection/supply/places.js";
import type { RetirementHazard } from "../../src/projection/supply/retirement.js";
import type { GpRegister } from "../../src/register/types.js";

/** Hand-made GP worlds for the tests of the GP model: registers, rules and year contexts. */
const geography = defaultGeography();
const features = placeFeatures(geography);

/** An exit hazard under which nobody retires. */
export const NO_EXITS: RetirementHazard = { midAgeYears: 200, spreadYears: 1, ceiling: 0 };

/** A register of one clinic per entry, one GP each with the given age; no places (clinics stand at their municipality's largest town). */
export function gpRegister(clinics: { municipality: number; gpAge: number; capacity?: number; tendered?: boolean }[]): GpRegister {
  const clinicIndexById = new Int32Array(65535).fill(-1);
  clinics.forEach((_, k) => (clinicIndexById[k] = k));
  return {
    clinics: clinics.map((c, k) => ({
      clinicId: k,
      municipalityCode: geography.municipalities[c.municipality]!.code,
      municipalityIndex: c.municipality,
      capacities: c.capacity ?? 1,
      tendered: c.tendered ?? false,
      gpIds: [k],
    })),
    gps: clinics.map((c, k) => ({ gpId: k, clinicId: k, ageYears: c.gpAge, capacity: c.capacity ?? 1 })),
    clinicIndexById,
  };
}

/** The GP model's rules with the default parameters, the given overrides fixed (no draws), seed 1. */
export function gpRules(options: {
  access: AccessGrid;
  parameters?: Partial<Record<ParameterKey, number | string>>;
  replication?: number;
  retirement?: RetirementHazard;
  levers?: ScenarioLevers;
}): GpRules {
  const p = drawParameters(defaultParameterFile(), { id: "test", parameters: options.parameters ?? {} }, 1, -1);
  return {
    seed: 1,
    replication: options.replication ?? 0,
    retirement: options.retirement ?? NO_EXITS,
    populationScale: 1,
    geography,
    features,
    levers: resolveLevers(options.levers, geography, p),
    p,
    access: options.access,
  };
}

/**
 * A year's context: need per municipality (capacities; also the ceiling), lists of `lists`
 * residents per original clinic (weight = residents), no growth, decisions on 1 January.
 */
export function yearContext(options: { year?: number; lists: number[]; need?: Float64Array; asOf?: string }): YearContext {
  const year = options.year ?? 1;
  const need = options.need ?? new Float64Array(geography.municipalities.length);
  const raw = Float64Array.from([...options.lists, 0]);
  return {
    year,
    calendarYear: 2025 + year,
    rawResidents: raw,
    rawWeight: raw,
    needMunicipality: need,
    ceilingMunicipality: need,
    growthMunicipality: new Float64Array(geography.municipalities.length),
    target: 1600,
    asOf: options.asOf ?? `${2025 + year}-01-01`,
    policy: {
      islandExceptionUntil: "2027-01-01",
      openingRoundUpFraction: 1,
      fastGrowthThresholdShare: 0.012,
      fastGrowthExtraCapacities: 1,
    },
  };
}
