// The public API: explicit named exports only.
export { ERROR_CODES, FordelingError, errorFromWire, isFordelingError } from "./errors.js";
export type { ErrorCode, ErrorLocation, WireError } from "./errors.js";
export { defaultGeography, loadGeography, councilIdFromName } from "./geo/geography.js";
export type { Council, Geography, Municipality } from "./geo/geography.js";
export { defaultWeightTable, loadWeightTable, weightTableFromJson, residentWeight, ageGroupByAge } from "./model/weightTable.js";
export type { WeightTable } from "./model/weightTable.js";
export { RESIDENT_COLUMNS, makeResidentSchema, allocateResidentColumns } from "./population/schema.js";
export type { ResidentColumns } from "./population/schema.js";
export type { Clinic, GeneralPractitioner, GpRegister } from "./register/types.js";
export type { AreaSums, WeighSums } from "./kernel/weigh/types.js";

// Population: generate, import, read, summarise.
export { generatePopulationFile, generatePopulationColumns } from "./population/generate.js";
export type { GenerateOptions } from "./population/generate.js";
export { readPopulationBatches, readPopulationColumns, summarizePopulationFile } from "./population/read.js";
export { populationCsvToArrow } from "./population/csvImport.js";
export { ensureDefaultData } from "./population/defaults.js";
export type { PopulationSummary } from "./population/summary.js";

// GP register: synthetic or from a file.
export { makeSyntheticRegister } from "./register/synthetic.js";
export { readRegisterCsv, writeRegisterCsv } from "./register/registerCsv.js";

// Weighing (WASM kernel across worker threads) and the law's arithmetic.
export { weighPopulationFile } from "./kernel/weigh/file.js";
export type { WeighOptions } from "./kernel/weigh/file.js";
export { computeCapacityReport } from "./capacity/report.js";
export type { CapacityReportInput, CeilingPopulation } from "./capacity/report.js";
export { applyCapRule, applyCapRuleToAreas } from "./capacity/capRule.js";
export type { CapDecision, CapRuleInput } from "./capacity/capRule.js";
export { ceilingInForce } from "./capacity/ceilings.js";
export type { CeilingInForce } from "./capacity/ceilings.js";
export type { Island } from "./capacity/islands.js";
export { capacityPolicyFromParameters, defaultCapacityPolicy } from "./capacity/policy.js";
export type { CapacityPolicy } from "./capacity/policy.js";
export type { CapacityReport, ClinicRow, CouncilRow, MunicipalityRow, NationalRow } from "./capacity/types.js";

// Geography: locations of residents and clinics, the rule of two GPs within 15 km, islands.
export { buildLocationTable, defaultLocationTable } from "./geo/locations.js";
export type { Location, LocationTable } from "./geo/locations.js";
export { loadIslands } from "./geo/islands.js";
export type { Island as NonBridgedIsland } from "./geo/islands.js";
export { computeLocationAccess } from "./geo/access.js";
export type { AccessRule, GpSite, LocationAccess } from "./geo/access.js";
export { computeAccessReport } from "./capacity/accessReport.js";
export type { AccessReport, AreaAccess } from "./capacity/accessReport.js";
export { countResidentsByLocation } from "./population/residentsByLocation.js";
export { computeIslandRows } from "./capacity/islandFigures.js";

// Scenarios and the Monte Carlo projection.
export { baselineScenario, loadScenario, scenarioFromJson } from "./model/scenario.js";
export type { Scenario } from "./model/scenario.js";
export { defaultParameterFile, loadParameterFile } from "./model/parameters.js";
export { runProjection } from "./projection/run.js";
export type { ProjectionManifest, ProjectionProgress, ProjectionRequest, ProjectionResult } from "./projection/run.js";
export { writeProjectionResult } from "./projection/write.js";
export type { ResultWriteOptions } from "./projection/write.js";
export { importResult } from "./runs/importResult.js";

// Analysis of stored runs: per-replication data, comparisons (docs/ANALYSIS.md).
export { readRun } from "./results/readRun.js";
export type { StoredRun } from "./results/readRun.js";
export { compareRuns } from "./results/compare.js";
export type { Comparison, ComparisonOptions } from "./results/compare.js";
export type { ReplicationData } from "./results/replicationData.js";
export { sensitivity } from "./results/sensitivity.js";
export type { Sensitivity, SensitivityOptions } from "./results/sensitivity.js";
export { decompose, DECOMPOSITION_PARTS } from "./results/decomposition.js";
export type { Decomposition } from "./results/decomposition.js";

// Tables in every format the commands and the API write.
export { serializeTable, writeTable, writeWorkbook, TABLE_FORMATS } from "./io/writeTable.js";
export type { TableFormat, TableOutputOptions } from "./io/writeTable.js";
export { CSV_DIALECTS } from "./io/csv.js";
export type { CsvDialect } from "./io/csv.js";

// The HTTP API, without listening (the caller decides where).
export { buildApp } from "./api/app.js";
export type { AppOptions } from "./api/app.js";
