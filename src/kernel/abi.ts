/**
 * The kernel ABI seen from the host: the constants of assembly/layout.ts, mirrored here
 * (test/kernel/abi.test.ts checks them against the WASM exports). docs/ABI.md draws the layout.
 */

export const ABI_VERSION = 2;

// Weight tables block.
export const TABLES_MUNICIPALITY_INDEX_BY_CODE = 0;
export const MUNICIPALITY_CODE_LIMIT = 1024;
export const TABLES_COUNCIL_BY_MUNICIPALITY = 1024;
export const TABLES_CONTRIBUTIONS = 1152;
export const TABLES_CHRONIC_BY_COUNT = 1216;
export const TABLES_BASE_WEIGHT = 1280;
export const TABLES_AGE_GROUP_BY_AGE = 3328;
export const MAX_AGE_GROUPS = 128;
export const TABLES_LUT = 4096;
export const TABLES_BYTES = 4096 + 2 ** 18 * 16;
export const MAX_MUNICIPALITIES = 128;
export const MAX_COUNCILS = 32;
export const NO_INDEX = 255;

/** Order of the f64 contributions at TABLES_CONTRIBUTIONS. */
export const CONTRIBUTION_ORDER = [
  "widowed",
  "divorced",
  "primarySchoolOnly",
  "longHigherEducation",
  "psychiatric",
  "menapt",
  "outsideLabourMarket",
] as const;

// Batch descriptor.
export const BATCH_ROW_COUNT = 0;
export const BATCH_COLUMNS = 4;
export const BATCH_BYTES = 64;

// Status record.
export const STATUS_STATUS = 0;
export const STATUS_ROW = 4;
export const STATUS_CLINIC_MIN = 8;
export const STATUS_CLINIC_MAX = 12;
export const STATUS_BYTES = 16;

// Sums block.
export const SLOT_WEIGHT_SUM = 0;
export const SLOT_WEIGHT_SQUARED_SUM = 8;
export const SLOT_RESIDENTS = 16;
export const SLOT_BYTES = 32;
export const SUMS_MUNICIPALITY_SLOT = 0;
export const SUMS_COUNCIL_SLOT = 128;
export const SUMS_CLINIC_SLOT = 160;
export const CLINIC_SLOTS = 65536;
export const NO_CLINIC = 65535;
/** The kernel's partial sums of the run it is weighing, 128 bytes per clinic id (docs/ABI.md); zero between calls, never summed. */
export const SUMS_PARTIALS = (160 + 65536) * 32;
export const PARTIAL_BYTES = 128;
export const PARTIAL_RESIDENTS = 64;
export const SUMS_BYTES = (160 + 65536) * 32 + 65536 * 128;

// Status codes, all 11 (docs/ABI.md, "Status codes"); 1…9 are the index in RESIDENT_COLUMNS of
// the column holding the bad value, plus one.
export const STATUS_OK = 0;
export const STATUS_UNKNOWN_MUNICIPALITY = 1;
export const STATUS_BAD_SEX = 2;
export const STATUS_BAD_AGE = 3;
export const STATUS_BAD_CIVIL_STATUS = 4;
export const STATUS_BAD_EDUCATION = 5;
export const STATUS_BAD_CHRONIC_DISEASE_COUNT = 6;
export const STATUS_BAD_PSYCHIATRIC = 7;
export const STATUS_BAD_MENAPT = 8;
export const STATUS_BAD_OUTSIDE_LABOUR_MARKET = 9;
export const STATUS_BAD_TABLES = 16;
