import type { CeilingInForce } from "./ceilings.js";
import type { MinimumPatientsDistribution } from "./distribution.js";
import type { CouncilStatus } from "./rules.js";

/**
 * The rows of a capacity report: plain data, one interface per level. Units are in the names
 * or the comments: `need`, `supply` and `gap` are GP capacities; weight sums are
 * disease-weighted residents. An undefined quantity (an empty area, a clinic without patients)
 * is null, never NaN. Averages and minimum lists use the corrected weights (the law counts
 * those); the `…Uncorrected` fields keep the figures before the life-expectancy correction.
 * docs/CAPACITY.md defines every field.
 */

/** Figures every area level carries. */
export interface AreaFigures {
  residents: number;
  /** Σ disease weight before the life-expectancy correction. */
  weightSum: number;
  /** correctedWeightSum / residents; null without residents. */
  averageWeight: number | null;
  /** weightSum / residents; null without residents. */
  averageWeightUncorrected: number | null;
  /** Σ weight after the correction: the weighted residents the law counts. */
  correctedWeightSum: number;
  /** target / averageWeight: the minimum list of a clinic whose patients weigh like the residents here. */
  minimumPatientsPerCapacity: number | null;
  /** target / averageWeightUncorrected. */
  minimumPatientsPerCapacityUncorrected: number | null;
  /** weightSum / target, capacities. */
  needUncorrected: number;
  /** correctedWeightSum / target, capacities. */
  need: number;
  /** Σ capacities of the register's clinics located in the area. */
  supply: number;
  /** supply − need, capacities; negative = short. */
  gap: number;
  clinics: number;
  gps: number;
}

export interface MunicipalityRow extends AreaFigures {
  municipalityIndex: number;
  municipalityCode: number;
  municipalityName: string;
  councilIndex: number;
  councilId: string;
  region2007: string;
  region2027: string;
  islandNoBridge: boolean;
  lifeExpectancyYears: number;
  /** The figure is the council mean, not a published one (Ærø, Fanø, Læsø, Samsø). */
  lifeExpectancyImputed: boolean;
  lostLifeYears: number;
  /** correctedWeightSum / weightSum: the factor the correction applies to every resident here (1 without weight). */
  correctionFactor: number;
  /** Need by the population of the ceiling in force, capacities. */
  ceilingNeed: number;
  councilStatus: CouncilStatus;
  /** Population growth of the past year (share); null when unknown. */
  growthShare: number | null;
  /** Grew faster than the threshold: the fast-growth exception may apply. */
  fastGrowth: boolean;
  /** Extra capacities the fast-growth exception allows here (closed council, short). */
  fastGrowthExtraCapacitiesAllowed: number;
  /** A non-bridged island municipality and the island exception is in force on the report date. */
  islandException: boolean;
  /** Extra capacities the island may open although its council is closed: ceil(own need − own supply). */
  islandExtraCapacitiesAllowed: number;
}

/** The minimum lists before the correction, beside the corrected distribution. */
export interface UncorrectedDistribution {
  minimumPatientsUncorrected: MinimumPatientsDistribution;
}

/** Which ceiling decides open or closed on the report date (src/capacity/ceilings.ts). */
export interface CeilingFigures {
  ceiling: CeilingInForce;
  /** Whose need the ceiling counts: the weighed population or the engine's projection of it. */
  ceilingPopulation: string;
}

export interface CouncilRow extends AreaFigures, MinimumPatientsDistribution, UncorrectedDistribution {
  councilIndex: number;
  councilId: string;
  councilName: string;
  region2027: string;
  /** Resident-weighted mean of its municipalities. */
  lifeExpectancyYears: number;
  lostLifeYears: number;
  /** Need by the population of the ceiling in force: the allowed capacities, capacities. */
  ceilingNeed: number;
  /** Open or closed against `ceilingNeed`. */
  status: CouncilStatus;
  newCapacitiesAllowed: number;
  islandExtraCapacitiesAllowed: number;
  fastGrowthExtraCapacitiesAllowed: number;
}

export type RegionScheme = "2007-2026" | "2027";

export interface RegionRow extends AreaFigures {
  scheme: RegionScheme;
  region: string;
}

export interface ClinicRow {
  clinicId: number;
  municipalityIndex: number;
  municipalityCode: number;
  municipalityName: string;
  councilId: string;
  capacities: number;
  gps: number;
  tendered: boolean;
  /** Residents listed with the clinic (they may live in another municipality). */
  listedPatients: number;
  /**
   * Corrected / uncorrected weighted list: the mean of the patients' own municipalities' factors
   * when the weighing split the lists by home municipality (weigh does), else the factor of the
   * clinic's municipality (docs/CAPACITY.md).
   */
  correctionFactor: number;
  /** Corrected Σ weight of the listed patients: the weighted list the law counts. */
  weightedPatients: number;
  weightedPatientsUncorrected: number;
  averageWeight: number | null;
  averageWeightUncorrected: number | null;
  /** target / averageWeight; null without patients (docs/CAPACITY.md). */
  minimumPatientsPerCapacity: number | null;
  minimumPatientsPerCapacityUncorrected: number | null;
  /** minimumPatientsPerCapacity × capacities. */
  minimumPatients: number | null;
  minimumPatientsUncorrected: number | null;
  /** listedPatients / capacities; null for a clinic without capacities. */
  listedPatientsPerCapacity: number | null;
  insideBand: boolean | null;
  /** The list has reached its minimum, so the clinic may close it to new patients. */
  atOrAboveMinimum: boolean | null;
}

export interface NationalRow extends AreaFigures, MinimumPatientsDistribution, UncorrectedDistribution, CeilingFigures {
  asOf: string;
  targetPerCapacity: number;
  weightTableId: string;
  redistributedShare: number;
  councilsOpen: number;
  councilsClosed: number;
  newCapacitiesAllowed: number;
  islandExtraCapacitiesAllowed: number;
  fastGrowthExtraCapacitiesAllowed: number;
  islandExceptionInForce: boolean;
  ceilingNeed: number;
  /** Residents in the clinic array's last slot (listed with no clinic). */
  residentsWithoutClinic: number;
  /** Residents carrying a clinic id the register does not know. */
  residentsWithUnregisteredClinic: number;
}

export interface CapacityReport {
  national: NationalRow;
  councils: CouncilRow[];
  municipalities: MunicipalityRow[];
  clinics: ClinicRow[];
  /** The five 2007–2026 regions, then the four regions from 2027. */
  regions: RegionRow[];
}
