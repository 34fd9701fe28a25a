import type { AreaSums, WeighSums } from "../../src/kernel/weigh/types.js";
import type { Council, Geography, Municipality } from "../../src/geo/geography.js";
import { defaultWeightTable, type WeightTable } from "../../src/model/weightTable.js";
import type { Clinic, GpRegister } from "../../src/register/types.js";
import { CLINIC_SLOTS } from "../../src/capacity/inputs.js";

/** Hand-made worlds for the capacity arithmetic: a few municipalities, councils and clinics. */

export interface MunicipalitySpec {
  code: number;
  name?: string;
  lifeExpectancyYears?: number;
  islandNoBridge?: boolean;
  population2026?: number;
  region2007?: string;
  region2027?: string;
}

export function makeGeography(councils: { id: string; municipalities: MunicipalitySpec[] }[]): Geography {
  const municipalities: Municipality[] = [];
  const councilList: Council[] = councils.map((c, councilIndex) => {
    const indices = c.municipalities.map((spec) => {
      const index = municipalities.length;
      municipalities.push({
        index,
        code: spec.code,
        name: spec.name ?? `M${spec.code}`,
        councilIndex,
        region2007: spec.region2007 ?? "Region A",
        region2027: spec.region2027 ?? "Region A",
        population2025: spec.population2026 ?? 1000,
        population2026: spec.population2026 ?? 1000,
        areaKm2: 10,
        lat: 56,
        lon: 10,
        islandNoBridge: spec.islandNoBridge ?? false,
        lifeExpectancyYears: spec.lifeExpectancyYears,
      });
      return index;
    });
    return { index: councilIndex, id: c.id, name: `Sundhedsråd ${c.id}`, municipalityIndices: indices };
  });
  const municipalityIndexByCode = new Int16Array(1000).fill(-1);
  for (const m of municipalities) municipalityIndexByCode[m.code] = m.index;
  return { municipalities, councils: councilList, municipalityIndexByCode };
}

function areaSums(length: number): AreaSums {
  return { residents: new Float64Array(length), weightSum: new Float64Array(length), weightSquaredSum: new Float64Array(length) };
}

export interface ClinicPatients {
  clinicId: number;
  residents: number;
  weightSum: number;
}

/** Sums as the kernel would return them: per municipality (by index), councils and clinics derived. */
export function makeSums(
  geography: Geography,
  perMunicipality: { residents: number[]; weightSum: number[] },
  clinicPatients: ClinicPatients[] = [],
): WeighSums {
  const municipality = areaSums(geography.municipalities.length);
  const council = areaSums(geography.councils.length);
  const clinic = areaSums(CLINIC_SLOTS);
  geography.municipalities.forEach((m, i) => {
    const residents = perMunicipality.residents[i] ?? 0;
    const weight = perMunicipality.weightSum[i] ?? 0;
    municipality.residents[i] = residents;
    municipality.weightSum[i] = weight;
    council.residents[m.councilIndex] = (council.residents[m.councilIndex] ?? 0) + residents;
    council.weightSum[m.councilIndex] = (council.weightSum[m.councilIndex] ?? 0) + weight;
  });
  for (const p of clinicPatients) {
    clinic.residents[p.clinicId] = p.residents;
    clinic.weightSum[p.clinicId] = p.weightSum;
  }
  const totalResidents = perMunicipality.residents.reduce((a, b) => a + b, 0);
  const totalWeight = perMunicipality.weightSum.reduce((a, b) => a + b, 0);
  return { municipality, council, clinic, totalResidents, totalWeight };
}

export function makeRegister(
  geography: Geography,
  clinics: { clinicId: number; municipalityIndex: number; capacities: number; gps?: number; tendered?: boolean }[],
): GpRegister {
  const clinicIndexById = new Int32Array(CLINIC_SLOTS - 1).fill(-1);
  let gpId = 0;
  const gps: GpRegister["gps"] = [];
  const list: Clinic[] = clinics.map((c, index) => {
    clinicIndexById[c.clinicId] = index;
    const gpIds = Array.from({ length: c.gps ?? 1 }, () => {
      gps.push({ gpId, clinicId: c.clinicId, ageYears: 50, capacity: c.capacities / (c.gps ?? 1) });
      return gpId++;
    });
    return {
      clinicId: c.clinicId,
      municipalityCode: geography.municipalities[c.municipalityIndex]?.code ?? 0,
      municipalityIndex: c.municipalityIndex,
      capacities: c.capacities,
      tendered: c.tendered ?? false,
      gpIds,
    };
  });
  return { clinics: list, gps, clinicIndexById };
}

export function makeWeightTable(overrides: { target?: number; share?: number; reference?: number } = {}): WeightTable {
  const base = defaultWeightTable();
  return {
    ...base,
    targetWeightedResidentsPerCapacity: overrides.target ?? 1600,
    lifeExpectancyCorrection: {
      redistributedShare: overrides.share ?? base.lifeExpectancyCorrection.redistributedShare,
      referenceLifeExpectancyYears: overrides.reference ?? base.lifeExpectancyCorrection.referenceLifeExpectancyYears,
    },
  };
}

/** Every number anywhere in a value, for "no NaN" checks over whole reports. */
export function everyNumber(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => everyNumber(v, out));
  else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => everyNumber(v, out));
  return out;
}
