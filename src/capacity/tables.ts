import { pickColumns, tableFromRecords, type ColumnSpec, type Table } from "../io/table.js";
import type { MinimumPatientsDistribution } from "./distribution.js";
import type { AreaFigures, CapacityReport, ClinicRow, CouncilRow, MunicipalityRow, NationalRow, RegionRow } from "./types.js";

/**
 * Report rows as tables for the writers in src/io. Column names are the row fields (one
 * spelling across TypeScript, files and API); files carry every column, the terminal a short
 * selection (`TERMINAL_COLUMNS`). Flags are 0/1 ints, as in data/kommuner.csv.
 */

export const REPORT_LEVELS = ["council", "municipality", "clinic", "region", "national"] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

const flag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

function areaColumns<R extends AreaFigures>(): ColumnSpec<R>[] {
  return [
    { name: "residents", type: "int", unit: "persons", value: (r) => r.residents },
    { name: "weightSum", type: "float", unit: "weighted residents", decimals: 0, value: (r) => r.weightSum },
    { name: "averageWeight", type: "float", decimals: 3, nullable: true, value: (r) => r.averageWeight },
    { name: "correctedWeightSum", type: "float", unit: "weighted residents", decimals: 0, value: (r) => r.correctedWeightSum },
    { name: "needUncorrected", type: "float", unit: "capacities", decimals: 1, value: (r) => r.needUncorrected },
    { name: "need", type: "float", unit: "capacities", decimals: 1, value: (r) => r.need },
    { name: "supply", type: "float", unit: "capacities", decimals: 1, value: (r) => r.supply },
    { name: "gap", type: "float", unit: "capacities", decimals: 1, value: (r) => r.gap },
    { name: "clinics", type: "int", value: (r) => r.clinics },
    { name: "gps", type: "int", value: (r) => r.gps },
  ];
}

function distributionColumns<R extends MinimumPatientsDistribution>(): ColumnSpec<R>[] {
  const patients = { type: "float", unit: "patients per capacity", decimals: 0, nullable: true } as const;
  return [
    { name: "clinicsWithMinimum", type: "int", value: (r) => r.clinicsWithMinimum },
    { name: "minimumPatientsP10", ...patients, value: (r) => r.p10 },
    { name: "minimumPatientsP50", ...patients, value: (r) => r.p50 },
    { name: "minimumPatientsP90", ...patients, value: (r) => r.p90 },
    { name: "shareInsideBand", type: "float", unit: "share", decimals: 2, nullable: true, value: (r) => r.shareInsideBand },
  ];
}

export function councilTable(rows: readonly CouncilRow[]): Table {
  return tableFromRecords("councils", rows, [
    { name: "councilId", type: "string", value: (r) => r.councilId },
    { name: "councilName", type: "string", value: (r) => r.councilName },
    { name: "region2027", type: "string", value: (r) => r.region2027 },
    ...areaColumns<CouncilRow>(),
    { name: "lifeExpectancyYears", type: "float", unit: "years", decimals: 1, value: (r) => r.lifeExpectancyYears },
    { name: "lostLifeYears", type: "float", unit: "years", decimals: 0, value: (r) => r.lostLifeYears },
    { name: "status", type: "string", value: (r) => r.status },
    { name: "newCapacitiesAllowed", type: "int", unit: "capacities", value: (r) => r.newCapacitiesAllowed },
    { name: "islandExtraCapacitiesAllowed", type: "int", unit: "capacities", value: (r) => r.islandExtraCapacitiesAllowed },
    ...distributionColumns<CouncilRow>(),
  ]);
}

export function municipalityTable(rows: readonly MunicipalityRow[]): Table {
  return tableFromRecords("municipalities", rows, [
    { name: "municipalityCode", type: "int", value: (r) => r.municipalityCode },
    { name: "municipalityName", type: "string", value: (r) => r.municipalityName },
    { name: "councilId", type: "string", value: (r) => r.councilId },
    { name: "region2007", type: "string", value: (r) => r.region2007 },
    { name: "region2027", type: "string", value: (r) => r.region2027 },
    { name: "islandNoBridge", type: "int", value: (r) => flag(r.islandNoBridge) },
    ...areaColumns<MunicipalityRow>(),
    { name: "lifeExpectancyYears", type: "float", unit: "years", decimals: 1, value: (r) => r.lifeExpectancyYears },
    { name: "lifeExpectancyImputed", type: "int", value: (r) => flag(r.lifeExpectancyImputed) },
    { name: "lostLifeYears", type: "float", unit: "years", decimals: 0, value: (r) => r.lostLifeYears },
    { name: "minimumPatientsPerCapacity", type: "float", unit: "patients per capacity", decimals: 0, nullable: true, value: (r) => r.minimumPatientsPerCapacity },
    { name: "councilStatus", type: "string", value: (r) => r.councilStatus },
    { name: "islandException", type: "int", value: (r) => flag(r.islandException) },
    { name: "islandExtraCapacitiesAllowed", type: "int", unit: "capacities", value: (r) => r.islandExtraCapacitiesAllowed },
  ]);
}

export function clinicTable(rows: readonly ClinicRow[]): Table {
  const nullableFlag = { type: "int", nullable: true } as const;
  return tableFromRecords("clinics", rows, [
    { name: "clinicId", type: "int", value: (r) => r.clinicId },
    { name: "municipalityCode", type: "int", value: (r) => r.municipalityCode },
    { name: "municipalityName", type: "string", value: (r) => r.municipalityName },
    { name: "councilId", type: "string", value: (r) => r.councilId },
    { name: "capacities", type: "float", unit: "capacities", decimals: 1, value: (r) => r.capacities },
    { name: "gps", type: "int", value: (r) => r.gps },
    { name: "tendered", type: "int", value: (r) => flag(r.tendered) },
    { name: "listedPatients", type: "int", unit: "persons", value: (r) => r.listedPatients },
    { name: "weightedPatients", type: "float", unit: "weighted residents", decimals: 0, value: (r) => r.weightedPatients },
    { name: "averageWeight", type: "float", decimals: 3, nullable: true, value: (r) => r.averageWeight },
    { name: "minimumPatientsPerCapacity", type: "float", unit: "patients per capacity", decimals: 0, nullable: true, value: (r) => r.minimumPatientsPerCapacity },
    { name: "minimumPatients", type: "float", unit: "patients", decimals: 0, nullable: true, value: (r) => r.minimumPatients },
    { name: "listedPatientsPerCapacity", type: "float", unit: "patients per capacity", decimals: 0, nullable: true, value: (r) => r.listedPatientsPerCapacity },
    { name: "insideBand", ...nullableFlag, value: (r) => flag(r.insideBand) },
    { name: "atOrAboveMinimum", ...nullableFlag, value: (r) => flag(r.atOrAboveMinimum) },
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
  return tableFromRecords("national", [row], [
    { name: "asOf", type: "string", value: (r) => r.asOf },
    { name: "weightTableId", type: "string", value: (r) => r.weightTableId },
    { name: "targetPerCapacity", type: "float", unit: "weighted residents per capacity", decimals: 0, value: (r) => r.targetPerCapacity },
    { name: "redistributedShare", type: "float", unit: "share", decimals: 3, value: (r) => r.redistributedShare },
    ...areaColumns<NationalRow>(),
    { name: "councilsOpen", type: "int", value: (r) => r.councilsOpen },
    { name: "councilsClosed", type: "int", value: (r) => r.councilsClosed },
    { name: "newCapacitiesAllowed", type: "int", unit: "capacities", value: (r) => r.newCapacitiesAllowed },
    { name: "islandExtraCapacitiesAllowed", type: "int", unit: "capacities", value: (r) => r.islandExtraCapacitiesAllowed },
    { name: "islandExceptionInForce", type: "int", value: (r) => flag(r.islandExceptionInForce) },
    { name: "residentsWithoutClinic", type: "int", unit: "persons", value: (r) => r.residentsWithoutClinic },
    { name: "residentsWithUnregisteredClinic", type: "int", unit: "persons", value: (r) => r.residentsWithUnregisteredClinic },
    ...distributionColumns<NationalRow>(),
  ]);
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

/** What fits a terminal line per level; files always get every column. */
export const TERMINAL_COLUMNS: Readonly<Record<ReportLevel, readonly string[]>> = {
  council: ["councilName", "residents", "averageWeight", "need", "supply", "gap", "status", "newCapacitiesAllowed", "minimumPatientsP50", "shareInsideBand"],
  municipality: ["municipalityCode", "municipalityName", "councilId", "residents", "averageWeight", "need", "supply", "gap", "councilStatus", "islandException", "minimumPatientsPerCapacity"],
  clinic: ["clinicId", "municipalityName", "capacities", "listedPatients", "averageWeight", "minimumPatientsPerCapacity", "minimumPatients", "atOrAboveMinimum"],
  region: ["scheme", "region", "residents", "averageWeight", "need", "supply", "gap"],
  national: ["asOf", "residents", "averageWeight", "need", "supply", "gap", "councilsOpen", "councilsClosed", "newCapacitiesAllowed", "minimumPatientsP50", "shareInsideBand"],
};

export function terminalTable(report: CapacityReport, level: ReportLevel): Table {
  return pickColumns(capacityTable(report, level), TERMINAL_COLUMNS[level]);
}
