import type { WeighSums } from "../kernel/weigh/types.js";
import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";
import type { GpRegister } from "../register/types.js";
import { applyCapRuleToAreas, publishedGrowth } from "./capRule.js";
import { ceilingInForce, FIRST_CEILING_YEAR } from "./ceilings.js";
import { summarizeMinimumPatients } from "./distribution.js";
import { checkInputs, CLINIC_SLOTS } from "./inputs.js";
import { correctForLifeExpectancy, imputeLifeExpectancy, type CorrectedWeights } from "./lifeExpectancy.js";
import { defaultCapacityPolicy, type CapacityPolicy } from "./policy.js";
import { CAPACITY_RULES, minimumPatientsPerCapacity, ratioOrNull, toIsoDate } from "./rules.js";
import type { AreaFigures, CapacityReport, ClinicRow, CouncilRow, MunicipalityRow, RegionRow, RegionScheme } from "./types.js";

/** Municipality sums (by index) of the population a ceiling counts, when it is not the weighed one. */
export interface CeilingPopulation {
  /** The ceiling's population is the one at the end of this year (src/capacity/ceilings.ts). */
  populationYear: number;
  residents: ArrayLike<number>;
  weightSum: ArrayLike<number>;
  /**
   * Residents a year before (by municipality index), for the past year's growth the fast-growth
   * exception reads; without it the published 2025 → 2026 growth stands in.
   */
  residentsYearBefore?: ArrayLike<number>;
  /** How it was made, for the report, e.g. "projected to end 2026, mean of 8 replications". */
  label: string;
}

export interface CapacityReportInput {
  sums: WeighSums;
  geography: Geography;
  register: GpRegister;
  weightTable: WeightTable;
  /** The day the report speaks for (`YYYY-MM-DD`, or a Date by its UTC day): decides the ceiling and the exceptions. */
  asOf: string | Date;
  /** The cap rule's open choices; default: the central values of data/model/parameters.json. */
  policy?: Partial<CapacityPolicy>;
  /**
   * The population the ceiling in force counts when it is not the weighed one (the weighed
   * population stands for the end of 2025). Without it the weighed population's need stands in.
   */
  ceilingPopulation?: CeilingPopulation;
  /**
   * Past year's growth per municipality (share). Default: the ceiling population's year against
   * the year before when a projection gave both, else data/kommuner.csv, 1 Jan 2025 → 1 Jan 2026.
   */
  growthShare?: ArrayLike<number | null>;
}

/** The law's arithmetic on one weighing: need, supply, cap status and minimum lists at every level. */
export function computeCapacityReport(input: CapacityReportInput): CapacityReport {
  const { sums, geography, register, weightTable } = input;
  const asOf = toIsoDate(input.asOf, "asOf");
  const policy: CapacityPolicy = { ...defaultCapacityPolicy(), ...input.policy };
  toIsoDate(policy.islandExceptionUntil, "islandExceptionUntil");
  checkInputs(input);
  const target = weightTable.targetWeightedResidentsPerCapacity;
  const m = sums.municipality;

  const lifeExpectancy = imputeLifeExpectancy(geography);
  const correct = (residents: ArrayLike<number>, weightSum: ArrayLike<number>): CorrectedWeights =>
    correctForLifeExpectancy({
      geography,
      residents,
      weightSum,
      lifeExpectancyYears: lifeExpectancy.years,
      correction: weightTable.lifeExpectancyCorrection,
    });
  const corrected = correct(m.residents, m.weightSum);
  // Every resident of a municipality has its weight scaled by the same factor (docs/CAPACITY.md).
  const factor = Float64Array.from(geography.municipalities, (mu) => {
    const w = m.weightSum[mu.index] ?? 0;
    return w > 0 ? (corrected.municipality[mu.index] ?? 0) / w : 1;
  });

  const ceiling = ceilingInForce(asOf);
  const later = input.ceilingPopulation?.populationYear === ceiling.populationYear ? input.ceilingPopulation : undefined;
  const ceilingCorrected = later !== undefined ? correct(later.residents, later.weightSum) : corrected;
  const ceilingPopulation =
    later !== undefined
      ? later.label
      : ceiling.populationYear === FIRST_CEILING_YEAR
        ? "weighed population"
        : `weighed population (no projection to end ${ceiling.populationYear} given)`;

  const clinics = clinicRows(input, target, factor);
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
    const averageWeight = ratioOrNull(correctedWeight, residents);
    const averageWeightUncorrected = ratioOrNull(weightSum, residents);
    return {
      residents,
      weightSum,
      averageWeight,
      averageWeightUncorrected,
      correctedWeightSum: correctedWeight,
      minimumPatientsPerCapacity: minimumPatientsPerCapacity(target, averageWeight),
      minimumPatientsPerCapacityUncorrected: minimumPatientsPerCapacity(target, averageWeightUncorrected),
      needUncorrected: weightSum / target,
      need,
      supply: sum(supply),
      gap: sum(supply) - need,
      clinics: sum(clinicCount),
      gps: sum(gpCount),
    };
  };

  const councilFigures = geography.councils.map((c) => figures(c.municipalityIndices, corrected.council[c.index] ?? 0));
  const municipalityCeiling = (i: number): number => (ceilingCorrected.municipality[i] ?? 0) / target;
  const ceilingByMunicipality = Float64Array.from(geography.municipalities, (mu) => municipalityCeiling(mu.index));
  // The rule sums a council's ceiling from its municipalities (src/capacity/capRule.ts); so does the report.
  const councilCeiling = (c: number): number =>
    (geography.councils[c]?.municipalityIndices ?? []).reduce((s, i) => s + (ceilingByMunicipality[i] ?? 0), 0);
  const growth = input.growthShare ?? growthBefore(later) ?? publishedGrowth(geography);
  const decision = applyCapRuleToAreas(geography, {
    asOf,
    policy,
    ceilingMunicipality: ceilingByMunicipality,
    supplyMunicipality: supply,
    growthShare: growth,
    residentsMunicipality: m.residents,
  });

  const municipalities: MunicipalityRow[] = geography.municipalities.map((mu) => {
    const area = figures([mu.index], corrected.municipality[mu.index] ?? 0);
    const rule = decision.municipalities[mu.index];
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
      correctionFactor: factor[mu.index] ?? 1,
      ceilingNeed: municipalityCeiling(mu.index),
      councilStatus: decision.councils[mu.councilIndex]?.status ?? "open",
      growthShare: growth[mu.index] ?? null,
      fastGrowth: rule?.fastGrowth ?? false,
      fastGrowthExtraCapacitiesAllowed: rule?.fastGrowthExtraCapacitiesAllowed ?? 0,
      islandException: decision.islands.some((i) => i.municipalityIndex === mu.index && i.exceptionInForce),
      islandExtraCapacitiesAllowed: rule?.islandExtraCapacitiesAllowed ?? 0,
    };
  });

  const councils: CouncilRow[] = geography.councils.map((c) => {
    const inCouncil = clinics.filter((clinic) => geography.municipalities[clinic.municipalityIndex]?.councilIndex === c.index);
    const status = decision.councils[c.index] ?? { status: "open", newCapacitiesAllowed: 0 };
    const ofMunicipalities = (pick: (row: MunicipalityRow) => number): number =>
      c.municipalityIndices.reduce((s, i) => s + pick(municipalities[i]!), 0);
    return {
      councilIndex: c.index,
      councilId: c.id,
      councilName: c.name,
      region2027: geography.municipalities[c.municipalityIndices[0] ?? -1]?.region2027 ?? "",
      ...(councilFigures[c.index] as AreaFigures),
      lifeExpectancyYears: corrected.councilLifeExpectancyYears[c.index] ?? 0,
      lostLifeYears: corrected.councilLostLifeYears[c.index] ?? 0,
      ceilingNeed: councilCeiling(c.index),
      status: status.status,
      newCapacitiesAllowed: status.newCapacitiesAllowed,
      islandExtraCapacitiesAllowed: ofMunicipalities((row) => row.islandExtraCapacitiesAllowed),
      fastGrowthExtraCapacitiesAllowed: ofMunicipalities((row) => row.fastGrowthExtraCapacitiesAllowed),
      ...summarizeMinimumPatients(inCouncil.map((clinic) => clinic.minimumPatientsPerCapacity)),
      minimumPatientsUncorrected: summarizeMinimumPatients(inCouncil.map((clinic) => clinic.minimumPatientsPerCapacityUncorrected)),
    };
  });

  const regions: RegionRow[] = (["2007-2026", "2027"] as const).flatMap((scheme) =>
    regionRows(scheme, geography, corrected.municipality, figures),
  );
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
      ceiling,
      ceilingPopulation,
      ...figures(allIndices, corrected.national),
      ceilingNeed: ceilingCorrected.national / target,
      councilsOpen: councils.filter((c) => c.status === "open").length,
      councilsClosed: councils.filter((c) => c.status === "closed").length,
      newCapacitiesAllowed: councils.reduce((s, c) => s + c.newCapacitiesAllowed, 0),
      islandExtraCapacitiesAllowed: councils.reduce((s, c) => s + c.islandExtraCapacitiesAllowed, 0),
      fastGrowthExtraCapacitiesAllowed: councils.reduce((s, c) => s + c.fastGrowthExtraCapacitiesAllowed, 0),
      islandExceptionInForce: decision.islandExceptionInForce,
      residentsWithoutClinic: sums.clinic.residents[CLINIC_SLOTS - 1] ?? 0,
      residentsWithUnregisteredClinic: unregistered,
      ...summarizeMinimumPatients(clinics.map((clinic) => clinic.minimumPatientsPerCapacity)),
      minimumPatientsUncorrected: summarizeMinimumPatients(clinics.map((clinic) => clinic.minimumPatientsPerCapacityUncorrected)),
    },
    councils,
    municipalities,
    clinics,
    regions,
  };
}

/** The growth of the year before a projected ceiling population, when the projection gave it. */
function growthBefore(population: CeilingPopulation | undefined): (number | null)[] | undefined {
  const before = population?.residentsYearBefore;
  if (population === undefined || before === undefined) return undefined;
  return Array.from(before, (people, i) => (people > 0 ? (population.residents[i] ?? 0) / people - 1 : null));
}

/**
 * Each clinic's correction factor: the weighted mean of its patients' municipalities' factors
 * when the weighing split the lists by home municipality (exact), else the factor of the
 * municipality the clinic lies in (docs/CAPACITY.md gives the size of that approximation).
 */
function clinicFactors(sums: WeighSums, factorByMunicipality: Float64Array): Map<number, number> {
  const split = sums.clinicByMunicipality;
  const factors = new Map<number, number>();
  if (split === undefined) return factors;
  const corrected = new Map<number, number>();
  const uncorrected = new Map<number, number>();
  split.clinicId.forEach((k, e) => {
    const w = split.weightSum[e] ?? 0;
    corrected.set(k, (corrected.get(k) ?? 0) + w * (factorByMunicipality[split.municipalityIndex[e] ?? -1] ?? 1));
    uncorrected.set(k, (uncorrected.get(k) ?? 0) + w);
  });
  for (const [k, w] of uncorrected) if (w > 0) factors.set(k, (corrected.get(k) ?? 0) / w);
  return factors;
}

function clinicRows(input: CapacityReportInput, target: number, factorByMunicipality: Float64Array): ClinicRow[] {
  const { sums, geography, register } = input;
  const band = CAPACITY_RULES.minimumPatientsBand;
  const exactFactors = clinicFactors(sums, factorByMunicipality);
  const rows = register.clinics.map((clinic): ClinicRow => {
    const municipality = geography.municipalities[clinic.municipalityIndex];
    const listedPatients = sums.clinic.residents[clinic.clinicId] ?? 0;
    const weightedPatientsUncorrected = sums.clinic.weightSum[clinic.clinicId] ?? 0;
    const correctionFactor = exactFactors.get(clinic.clinicId) ?? factorByMunicipality[clinic.municipalityIndex] ?? 1;
    const weightedPatients = weightedPatientsUncorrected * correctionFactor;
    const averageWeight = ratioOrNull(weightedPatients, listedPatients);
    const averageWeightUncorrected = ratioOrNull(weightedPatientsUncorrected, listedPatients);
    const perCapacity = minimumPatientsPerCapacity(target, averageWeight);
    const perCapacityUncorrected = minimumPatientsPerCapacity(target, averageWeightUncorrected);
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
      correctionFactor,
      weightedPatients,
      weightedPatientsUncorrected,
      averageWeight,
      averageWeightUncorrected,
      minimumPatientsPerCapacity: perCapacity,
      minimumPatientsPerCapacityUncorrected: perCapacityUncorrected,
      minimumPatients,
      minimumPatientsUncorrected: perCapacityUncorrected === null ? null : perCapacityUncorrected * clinic.capacities,
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
      ...figures(
        indices,
        indices.reduce((s, i) => s + (correctedByMunicipality[i] ?? 0), 0),
      ),
    }));
}
