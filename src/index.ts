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
export type { AreaSums, WeighSums } from "./engine/types.js";
