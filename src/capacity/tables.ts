import { pickColumns, tableFromRecords, type ColumnSpec, type Table } from "../io/table.js";
import type { MinimumPatientsDistribution } from "./distribution.js";
import type {
  AreaFigures,
  CapacityReport,
  ClinicRow,
  CouncilRow,
  MunicipalityRow,
  NationalRow,
  RegionRow,
  UncorrectedDistribution,
} from "./types.js";

/**
 * Report rows as tables for the writers in src/io. Column names are the row fields in
 * snake_case, the one spelling of every table the project writes (CHANGELOG.md maps the older
 * camelCase names); files carry every column, the terminal a short selection
 * (`TERMINAL_COLUMNS`). Flags are 0/1 ints, as in data/kommuner.csv. Averages and minimum lists
 * are corrected for life expectancy; `…_uncorrected` columns keep the figures before it.
 */

export const REPORT_LEVELS = ["council", "municipality", "clinic", "region", "national"] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

const flag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);
const perCapacity = { type: "float", unit: "patients per capacity", decimals: 0, nullable: true } as const;
const capacities = { type: "float", unit: "capacities", decimals: 1 } as const;

function areaColumns<R extends AreaFigures>(): ColumnSpec<R>[] {
  return [
    { name: "residents", type: "int", unit: "persons", value: (r) => r.residents },
    { name: "weight_sum", type: "float", unit: "weighted residents", decimals: 0, value: (r) => r.weightSum },
    { name: "corrected_weight_sum", type: "float", unit: "weighted residents", decimals: 0, value: (r) => r.correctedWeightSum },
    { name: "average_weight", type: "float", decimals: 3, nullable: true, value: (r) => r.averageWeight },
    { name: "average_weight_uncorrected", type: "float", decimals: 3, nullable: true, value: (r) => r.averageWeightUncorrected },
    { name: "minimum_patients_per_capacity", ...perCapacity, value: (r) => r.minimumPatientsPerCapacity },
    { name: "minimum_patients_per_capacity_uncorrected", ...perCapacity, value: (r) => r.minimumPatientsPerCapacityUncorrected },
    { name: "need_uncorrected", ...capacities, value: (r) => r.needUncorrected },
    { name: "need", ...capacities, value: (r) => r.need },
    { name: "supply", ...capacities, value: (r) => r.supply },
    { name: "gap", ...capacities, value: (r) => r.gap },
    { name: "clinics", type: "int", value: (r) => r.clinics },
    { name: "gps", type: "int", value: (r) => r.gps },
  ];
}

function distributionColumns<R extends MinimumPatientsDistribution & UncorrectedDistribution>(): ColumnSpec<R>[] {
  const share = { type: "float", unit: "share", decimals: 2, nullable: true } as const;
  return [
    { name: "clinics_with_minimum", type: "int", value: (r) => r.clinicsWithMinimum },
    { name: "minimum_patients_p10", ...perCapacity, value: (r) => r.p10 },
    { name: "minimum_patients_p50", ...perCapacity, value: (r) => r.p50 },
    { name: "minimum_patients_p90", ...perCapacity, value: (r) => r.p90 },
    { name: "share_inside_band", ...share, value: (r) => r.shareInsideBand },
    { name: "minimum_patients_p10_uncorrected", ...perCapacity, value: (r) => r.minimumPatientsUncorrected.p10 },
    { name: "minimum_patients_p50_uncorrected", ...perCapacity, value: (r) => r.minimumPatientsUncorrected.p50 },
    { name: "minimum_patients_p90_uncorrected", ...perCapacity, value: (r) => r.minimumPatientsUncorrected.p90 },
    { name: "share_inside_band_uncorrected", ...share, value: (r) => r.minimumPatientsUncorrected.shareInsideBand },
  ];
}

export function councilTable(rows: readonly CouncilRow[]): Table {
  return tableFromRecords("councils", rows, [
    { name: "council_id", type: "string", value: (r) => r.councilId },
    { name: "council_name", type: "string", value: (r) => r.councilName },
    { name: "region_2027", type: "string", value: (r) => r.region2027 },
    ...areaColumns<CouncilRow>(),
    { name: "life_expectancy_years", type: "float", unit: "years", decimals: 1, value: (r) => r.lifeExpectancyYears },
    { name: "lost_life_years", type: "float", unit: "years", decimals: 0, value: (r) => r.lostLifeYears },
    { name: "ceiling_need", ...capacities, value: (r) => r.ceilingNeed },
    { name: "status", type: "string", value: (r) => r.status },
    { name: "new_capacities_allowed", type: "int", unit: "capacities", value: (r) => r.newCapacitiesAllowed },
    { name: "island_extra_capacities_allowed", type: "int", unit: "capacities", value: (r) => r.islandExtraCapacitiesAllowed },
    { name: "fast_growth_extra_capacities_allowed", type: "int", unit: "capacities", value: (r) => r.fastGrowthExtraCapacitiesAllowed },
    ...distributionColumns<CouncilRow>(),
  ]);
}

export function municipalityTable(rows: readonly MunicipalityRow[]): Table {
  return tableFromRecords("municipalities", rows, [
    { name: "municipality_code", type: "int", value: (r) => r.municipalityCode },
    { name: "municipality_name", type: "string", value: (r) => r.municipalityName },
    { name: "council_id", type: "string", value: (r) => r.councilId },
    { name: "region_2007", type: "string", value: (r) => r.region2007 },
    { name: "region_2027", type: "string", value: (r) => r.region2027 },
    { name: "island_no_bridge", type: "int", value: (r) => flag(r.islandNoBridge) },
    ...areaColumns<MunicipalityRow>(),
    { name: "life_expectancy_years", type: "float", unit: "years", decimals: 1, value: (r) => r.lifeExpectancyYears },
    { name: "life_expectancy_imputed", type: "int", value: (r) => flag(r.lifeExpectancyImputed) },
    { name: "lost_life_years", type: "float", unit: "years", decimals: 0, value: (r) => r.lostLifeYears },
    { name: "correction_factor", type: "float", decimals: 4, value: (r) => r.correctionFactor },
    { name: "ceiling_need", ...capacities, value: (r) => r.ceilingNeed },
    { name: "council_status", type: "string", value: (r) => r.councilStatus },
    { name: "growth_share", type: "float", unit: "share per year", decimals: 4, nullable: true, value: (r) => r.growthShare },
    { name: "fast_growth", type: "int", value: (r) => flag(r.fastGrowth) },
    { name: "fast_growth_extra_capacities_allowed", type: "int", unit: "capacities", value: (r) => r.fastGrowthExtraCapacitiesAllowed },
    { name: "island_exception", type: "int", value: (r) => flag(r.islandException) },
    { name: "island_extra_capacities_allowed", type: "int", unit: "capacities", value: (r) => r.islandExtraCapacitiesAllowed },
  ]);
}

export function clinicTable(rows: readonly ClinicRow[]): Table {
  const nullableFlag = { type: "int", nullable: true } as const;
  const patients = { type: "float", unit: "patients", decimals: 0, nullable: true } as const;
  const weight = { type: "float", decimals: 3, nullable: true } as const;
  const weighted = { type: "float", unit: "weighted residents", decimals: 0 } as const;
  return tableFromRecords("clinics", rows, [
    { name: "clinic_id", type: "int", value: (r) => r.clinicId },
    { name: "municipality_code", type: "int", value: (r) => r.municipalityCode },
    { name: "municipality_name", type: "string", value: (r) => r.municipalityName },
    { name: "council_id", type: "string", value: (r) => r.councilId },
    { name: "capacities", ...capacities, value: (r) => r.capacities },
    { name: "gps", type: "int", value: (r) => r.gps },
    { name: "tendered", type: "int", value: (r) => flag(r.tendered) },
    { name: "listed_patients", type: "int", unit: "persons", value: (r) => r.listedPatients },
    { name: "correction_factor", type: "float", decimals: 4, value: (r) => r.correctionFactor },
    { name: "weighted_patients", ...weighted, value: (r) => r.weightedPatients },
    { name: "weighted_patients_uncorrected", ...weighted, value: (r) => r.weightedPatientsUncorrected },
    { name: "average_weight", ...weight, value: (r) => r.averageWeight },
    { name: "average_weight_uncorrected", ...weight, value: (r) => r.averageWeightUncorrected },
    { name: "minimum_patients_per_capacity", ...perCapacity, value: (r) => r.minimumPatientsPerCapacity },
    { name: "minimum_patients_per_capacity_uncorrected", ...perCapacity, value: (r) => r.minimumPatientsPerCapacityUncorrected },
    { name: "minimum_patients", ...patients, value: (r) => r.minimumPatients },
    { name: "minimum_patients_uncorrected", ...patients, value: (r) => r.minimumPatientsUncorrected },
    { name: "listed_patients_per_capacity", ...perCapacity, value: (r) => r.listedPatientsPerCapacity },
    { name: "inside_band", ...nullableFlag, value: (r) => flag(r.insideBand) },
    { name: "at_or_above_minimum", ...nullableFlag, value: (r) => flag(r.atOrAboveMinimum) },
  ]);
}

export function regionTable(rows: readonly RegionRow[]): Table {
  return tableFromRecords("regions", rows, [
    { name: "scheme", type: "string", value: (r) => r.scheme },
    { name: "region", type: "string", value: (r) => r.region },
    ...areaColumns<RegionRow>(),
  ]);
}

export function nationalTable(row: NationalRow): Table {
  const allowed = { type: "int", unit: "capacities" } as const;
  return tableFromRecords(
    "national",
    [row],
    [
      { name: "as_of", type: "string", value: (r) => r.asOf },
      { name: "weight_table_id", type: "string", value: (r) => r.weightTableId },
      {
        name: "target_per_capacity",
        type: "float",
        unit: "weighted residents per capacity",
        decimals: 0,
        value: (r) => r.targetPerCapacity,
      },
      { name: "redistributed_share", type: "float", unit: "share", decimals: 3, value: (r) => r.redistributedShare },
      { name: "ceiling_in_force", type: "string", value: (r) => r.ceiling.fixedOn },
      { name: "ceiling_basis", type: "string", value: (r) => r.ceiling.basis },
      { name: "ceiling_population", type: "string", value: (r) => r.ceilingPopulation },
      ...areaColumns<NationalRow>(),
      { name: "ceiling_need", ...capacities, value: (r) => r.ceilingNeed },
      { name: "councils_open", type: "int", value: (r) => r.councilsOpen },
      { name: "councils_closed", type: "int", value: (r) => r.councilsClosed },
      { name: "new_capacities_allowed", ...allowed, value: (r) => r.newCapacitiesAllowed },
      { name: "island_extra_capacities_allowed", ...allowed, value: (r) => r.islandExtraCapacitiesAllowed },
      { name: "fast_growth_extra_capacities_allowed", ...allowed, value: (r) => r.fastGrowthExtraCapacitiesAllowed },
      { name: "island_exception_in_force", type: "int", value: (r) => flag(r.islandExceptionInForce) },
      { name: "residents_without_clinic", type: "int", unit: "persons", value: (r) => r.residentsWithoutClinic },
      { name: "residents_with_unregistered_clinic", type: "int", unit: "persons", value: (r) => r.residentsWithUnregisteredClinic },
      ...distributionColumns<NationalRow>(),
    ],
  );
}

export function capacityTable(report: CapacityReport, level: ReportLevel): Table {
  switch (level) {
    case "council":
      return councilTable(report.councils);
    case "municipality":
      return municipalityTable(report.municipalities);
    case "clinic":
      return clinicTable(report.clinics);
    case "region":
      return regionTable(report.regions);
    case "national":
      return nationalTable(report.national);
  }
}

/** What fits a terminal line per level; files always get every column. Corrected and uncorrected side by side. */
export const TERMINAL_COLUMNS: Readonly<Record<ReportLevel, readonly string[]>> = {
  council: [
    "council_name",
    "residents",
    "average_weight",
    "average_weight_uncorrected",
    "minimum_patients_per_capacity",
    "minimum_patients_per_capacity_uncorrected",
    "need",
    "ceiling_need",
    "supply",
    "status",
    "new_capacities_allowed",
  ],
  municipality: [
    "municipality_code",
    "municipality_name",
    "council_id",
    "residents",
    "average_weight",
    "average_weight_uncorrected",
    "minimum_patients_per_capacity",
    "minimum_patients_per_capacity_uncorrected",
    "need",
    "supply",
    "council_status",
    "island_exception",
  ],
  clinic: [
    "clinic_id",
    "municipality_name",
    "capacities",
    "listed_patients",
    "average_weight",
    "average_weight_uncorrected",
    "minimum_patients_per_capacity",
    "minimum_patients_per_capacity_uncorrected",
    "at_or_above_minimum",
  ],
  region: ["scheme", "region", "residents", "average_weight", "average_weight_uncorrected", "need", "supply", "gap"],
  national: [
    "as_of",
    "ceiling_in_force",
    "residents",
    "average_weight",
    "need",
    "ceiling_need",
    "supply",
    "councils_closed",
    "new_capacities_allowed",
    "minimum_patients_p50",
    "minimum_patients_p50_uncorrected",
    "share_inside_band",
  ],
};

export function terminalTable(report: CapacityReport, level: ReportLevel): Table {
  return pickColumns(capacityTable(report, level), TERMINAL_COLUMNS[level]);
}
