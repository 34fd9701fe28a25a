// The exported ABI of the fordeling kernel. docs/ABI.md draws the memory layout.
export {
  ABI_VERSION as abiVersion,
  TABLES_MUNICIPALITY_INDEX_BY_CODE, MUNICIPALITY_CODE_LIMIT, TABLES_COUNCIL_BY_MUNICIPALITY, TABLES_CONTRIBUTIONS,
  TABLES_CHRONIC_BY_COUNT, TABLES_BASE_WEIGHT, TABLES_LUT, TABLES_BYTES, NO_INDEX,
  BATCH_ROW_COUNT, BATCH_COLUMNS, BATCH_BYTES, STATUS_STATUS, STATUS_ROW, STATUS_CLINIC_MIN, STATUS_CLINIC_MAX, STATUS_BYTES,
  SLOT_WEIGHT_SUM, SLOT_WEIGHT_SQUARED_SUM, SLOT_RESIDENTS, SLOT_BYTES,
  SUMS_MUNICIPALITY_SLOT, SUMS_COUNCIL_SLOT, SUMS_CLINIC_SLOT, CLINIC_SLOTS, NO_CLINIC, SUMS_BYTES,
  STATUS_UNKNOWN_MUNICIPALITY, STATUS_BAD_OUTSIDE_LABOUR_MARKET, STATUS_BAD_TABLES,
} from "./layout";
export { prepareTables, weighRows } from "./weigh";
export { clearSums, resetShard, addSums, floorPass } from "./sums";
// Projection step (assembly/step.ts, src/projection/): keep this export when editing this file.
export { stepYear, stepTableBytes } from "./step";
