import type { WeighSums } from "../kernel/weigh/types.js";
import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";
import type { GpRegister } from "../register/types.js";
import { summarizeMinimumPatients } from "./distribution.js";
import { checkInputs, CLINIC_SLOTS } from "./inputs.js";
import { correctForLifeExpectancy, imputeLifeExpectancy } from "./lifeExpectancy.js";
import {
  CAPACITY_RULES,
  capStatus,
  islandExceptionApplies,
  islandExtraCapacities,
  minimumPatientsPerCapacity,
  ratioOrNull,
  toIsoDate,
  type CapacityRuleOptions,
} from "./rules.js";
import type { AreaFigures, CapacityReport, ClinicRow, CouncilRow, MunicipalityRow, RegionRow, RegionScheme } from "./types.js";

export interface CapacityReportInput {
  sums: WeighSums;
  geography: Geography;
  register: GpRegister;
  weightTable: WeightTable;
  /** The day the report speaks for (`YYYY-MM-DD`, or a Date by its UTC day): decides the island exception. */
  asOf: string | Date;
  rules?: CapacityRuleOptions;
}

/** The law's arithmetic on one weighing: need, supply, cap status and minimum lists at every level. */
export function computeCapacityReport(input: CapacityReportInput): CapacityReport {
  const { sums, geography, register, weightTable } = input;
  const asOf = toIsoDate(input.asOf, "asOf");
  const islandUntil = toIsoDate(input.rules?.islandExceptionUntil ?? CAPACITY_RULES.islandExceptionUntil, "islandExceptionUntil");
  checkInputs(input);
  const target = weightTable.targetWeightedResidentsPerCapacity;
  const m = sums.municipality;

  const lifeExpectancy = imputeLifeExpectancy(geography);
  const corrected = correctForLifeExpectancy({
    geography,
    residents: m.residents,
    weightSum: m.weightSum,
    lifeExpectancyYears: lifeExpectancy.years,
    correction: weightTable.lifeExpectancyCorrection,
  });

  const clinics = clinicRows(input, target);
  const supply = new Float64Array(geography.municipalities.length);
  const clinicCount = new Float64Array(geography.municipalities.length);
  const gpCount = new Float64Array(geography.municipalities.length);
  for (const clinic of clinics) {
    supply[clinic.municipalityIndex] = (supply[clinic.municipalityIndex] ?? 0) + clinic.capacities;
    clinicCount[clinic.municipalityIndex] = (clinicCount[clinic.municipalityIndex] ?? 0) + 1;
    gpCount[clinic.municipalityIndex] = (gpCount[clinic.municipalityIndex] ?? 0) + clinic.gps;
  }

  const figures = (indices: readonly number[], correctedWeight: number): AreaFigures => {
    const sum = (values: ArrayLike<number>): number => indices.reduce((s, i) => s + (values[i] ?? 0), 0);
    const residents = sum(m.residents);
    const weightSum = sum(m.weightSum);
    const need = correctedWeight / target;
    return {
      residents,
      weightSum,
      averageWeight: ratioOrNull(weightSum, residents),
      correctedWeightSum: correctedWeight,
      needUncorrected: weightSum / target,
      need,
      supply: sum(supply),
      gap: sum(supply) - need,
      clinics: sum(clinicCount),
      gps: sum(gpCount),
    };
  };

  const councilFigures = geography.councils.map((c) => figures(c.municipalityIndices, corrected.council[c.index] ?? 0));
  const statusByCouncil = councilFigures.map((f) => capStatus(f.need, f.supply));

  const municipalities: MunicipalityRow[] = geography.municipalities.map((mu) => {
    const area = figures([mu.index], corrected.municipality[mu.index] ?? 0);
    const councilStatus = statusByCouncil[mu.councilIndex]?.status ?? "open";
    const islandException = islandExceptionApplies(mu, asOf, islandUntil);
    return {
      municipalityIndex: mu.index,
      municipalityCode: mu.code,
      municipalityName: mu.name,
      councilIndex: mu.councilIndex,
      councilId: geography.councils[mu.councilIndex]?.id ?? "",
      region2007: mu.region2007,
      region2027: mu.region2027,
      islandNoBridge: mu.islandNoBridge,
      ...area,
      lifeExpectancyYears: lifeExpectancy.years[mu.index] ?? 0,
      lifeExpectancyImputed: lifeExpectancy.imputed[mu.index] ?? false,
      lostLifeYears: corrected.municipalityLostLifeYears[mu.index] ?? 0,
      minimumPatientsPerCapacity: minimumPatientsPerCapacity(target, area.averageWeight),
      councilStatus,
      islandException,
      // The exception lifts the council's closure for the island, not the need arithmetic.
      islandExtraCapacitiesAllowed:
        islandException && councilStatus === "closed" ? islandExtraCapacities(area.need, area.supply) : 0,
    };
  });

  const councils: CouncilRow[] = geography.councils.map((c) => {
    const inCouncil = clinics.filter((clinic) => geography.municipalities[clinic.municipalityIndex]?.councilIndex === c.index);
    const status = statusByCouncil[c.index] ?? capStatus(0, 0);
    return {
      councilIndex: c.index,
      councilId: c.id,
      councilName: c.name,
      region2027: geography.municipalities[c.municipalityIndices[0] ?? -1]?.region2027 ?? "",
      ...(councilFigures[c.index] as AreaFigures),
      lifeExpectancyYears: corrected.councilLifeExpectancyYears[c.index] ?? 0,
      lostLifeYears: corrected.councilLostLifeYears[c.index] ?? 0,
      status: status.status,
      newCapacitiesAllowed: status.newCapacitiesAllowed,
      islandExtraCapacitiesAllowed: c.municipalityIndices.reduce((s, i) => s + (municipalities[i]?.islandExtraCapacitiesAllowed ?? 0), 0),
      ...summarizeMinimumPatients(inCouncil.map((clinic) => clinic.minimumPatientsPerCapacity)),
    };
  });

  const regions: RegionRow[] = (["2007-2026", "2027"] as const).flatMap((scheme) => regionRows(scheme, geography, corrected.municipality, figures));
  const allIndices = geography.municipalities.map((mu) => mu.index);
  let unregistered = 0;
  for (let id = 0; id < CLINIC_SLOTS - 1; id++) {
    if ((register.clinicIndexById[id] ?? -1) < 0) unregistered += sums.clinic.residents[id] ?? 0;
  }
  return {
    national: {
      asOf,
      targetPerCapacity: target,
      weightTableId: weightTable.id,
      redistributedShare: weightTable.lifeExpectancyCorrection.redistributedShare,
      ...figures(allIndices, corrected.national),
      councilsOpen: councils.filter((c) => c.status === "open").length,
      councilsClosed: councils.filter((c) => c.status === "closed").length,
      newCapacitiesAllowed: councils.reduce((s, c) => s + c.newCapacitiesAllowed, 0),
      islandExtraCapacitiesAllowed: councils.reduce((s, c) => s + c.islandExtraCapacitiesAllowed, 0),
      islandExceptionInForce: asOf < islandUntil,
      residentsWithoutClinic: sums.clinic.residents[CLINIC_SLOTS - 1] ?? 0,
      residentsWithUnregisteredClinic: unregistered,
      ...summarizeMinimumPatients(clinics.map((clinic) => clinic.minimumPatientsPerCapacity)),
    },
    councils,
    municipalities,
    clinics,
    regions,
  };
}

function clinicRows(input: CapacityReportInput, target: number): ClinicRow[] {
  const { sums, geography, register } = input;
  const band = CAPACITY_RULES.minimumPatientsBand;
  const rows = register.clinics.map((clinic): ClinicRow => {
    const municipality = geography.municipalities[clinic.municipalityIndex];
    const listedPatients = sums.clinic.residents[clinic.clinicId] ?? 0;
    const weightedPatients = sums.clinic.weightSum[clinic.clinicId] ?? 0;
    const averageWeight = ratioOrNull(weightedPatients, listedPatients);
    const perCapacity = minimumPatientsPerCapacity(target, averageWeight);
    const minimumPatients = perCapacity === null ? null : perCapacity * clinic.capacities;
    return {
      clinicId: clinic.clinicId,
      municipalityIndex: clinic.municipalityIndex,
      municipalityCode: clinic.municipalityCode,
      municipalityName: municipality?.name ?? "",
      councilId: geography.councils[municipality?.councilIndex ?? -1]?.id ?? "",
      capacities: clinic.capacities,
      gps: clinic.gpIds.length,
      tendered: clinic.tendered,
      listedPatients,
      weightedPatients,
      averageWeight,
      minimumPatientsPerCapacity: perCapacity,
      minimumPatients,
      listedPatientsPerCapacity: ratioOrNull(listedPatients, clinic.capacities),
      insideBand: perCapacity === null ? null : perCapacity >= band.low && perCapacity <= band.high,
      atOrAboveMinimum: minimumPatients === null ? null : listedPatients >= minimumPatients,
    };
  });
  return rows.sort((a, b) => a.clinicId - b.clinicId);
}

function regionRows(
  scheme: RegionScheme,
  geography: Geography,
  correctedByMunicipality: Float64Array,
  figures: (indices: readonly number[], correctedWeight: number) => AreaFigures,
): RegionRow[] {
  const byRegion = new Map<string, number[]>();
  for (const mu of geography.municipalities) {
    const region = scheme === "2027" ? mu.region2027 : mu.region2007;
    byRegion.set(region, [...(byRegion.get(region) ?? []), mu.index]);
  }
  return [...byRegion.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "da"))
    .map(([region, indices]) => ({
      scheme,
      region,
      ...figures(indices, indices.reduce((s, i) => s + (correctedByMunicipality[i] ?? 0), 0)),
    }));
}
