// ABI constants, mirrored in src/kernel/abi.ts (a test keeps them equal).
// docs/ABI.md draws every block; all offsets are in bytes.
export const ABI_VERSION: i32 = 2;

// ── Weight tables block (written by the host, LUT filled by prepareTables) ─────────────
/** u8[1024]: municipality index by official code; NO_INDEX where the code is not a municipality. */
export const TABLES_MUNICIPALITY_INDEX_BY_CODE: i32 = 0;
/** Codes at or above this are never municipalities (official codes are 3 digits). */
export const MUNICIPALITY_CODE_LIMIT: i32 = 1024;
/** u8[128]: council index by municipality index. */
export const TABLES_COUNCIL_BY_MUNICIPALITY: i32 = 1024;
/** f64[8]: widowed, divorced, primary school, long higher education, psychiatric, MENAPT, outside labour market, 0. */
export const TABLES_CONTRIBUTIONS: i32 = 1152;
/** f64[8]: contribution by number of chronic diseases 0…7. */
export const TABLES_CHRONIC_BY_COUNT: i32 = 1216;
/** f64[2][128]: base weight by sex (0 man, 1 woman) and age group 0…127. */
export const TABLES_BASE_WEIGHT: i32 = 1280;
/** u8[128]: age group by single year of age 0…110 (0 above). */
export const TABLES_AGE_GROUP_BY_AGE: i32 = 3328;
/** u8x16[4]: the fast path's validation limits (1, 3, 7, MAX_AGE_YEARS in every byte), written by prepareTables. */
export const TABLES_VALUE_LIMITS: i32 = 3456;
/** Age groups the LUT has room for: a group index takes the 7 bits single ages would. */
export const MAX_AGE_GROUPS: i32 = 128;
/** [f64 w, f64 w²][2^18]: the weight of every combination of characteristics (age by group) and its square (see lutOffset in weigh.ts). */
export const TABLES_LUT: i32 = 4096;
export const MAX_AGE_YEARS: i32 = 110;
export const MAX_MUNICIPALITIES: i32 = 128;
export const MAX_COUNCILS: i32 = 32;
export const NO_INDEX: i32 = 255;
export const TABLES_BYTES: i32 = 4096 + (1 << 18) * 16;

// Indices into TABLES_CONTRIBUTIONS.
export const CONTRIBUTION_WIDOWED: i32 = 0;
export const CONTRIBUTION_DIVORCED: i32 = 1;
export const CONTRIBUTION_PRIMARY_SCHOOL: i32 = 2;
export const CONTRIBUTION_LONG_HIGHER_EDUCATION: i32 = 3;
export const CONTRIBUTION_PSYCHIATRIC: i32 = 4;
export const CONTRIBUTION_MENAPT: i32 = 5;
export const CONTRIBUTION_OUTSIDE_LABOUR_MARKET: i32 = 6;

// ── Batch descriptor: where one record batch's columns sit in memory ───────────────────
/** u32: rows in the batch. */
export const BATCH_ROW_COUNT: i32 = 0;
/** u32[10]: byte address of each column's values, in RESIDENT_COLUMNS order. */
export const BATCH_COLUMNS: i32 = 4;
export const BATCH_COLUMN_COUNT: i32 = 10;
export const BATCH_BYTES: i32 = 64;

// ── Status record: what a call reports besides its status ─────────────────────────────
/** i32 status of the last failed call (0 after resetShard). */
export const STATUS_STATUS: i32 = 0;
/** u32 batch row index of the first row holding a bad value. */
export const STATUS_ROW: i32 = 4;
/** u32 lowest and highest clinic id other than NO_CLINIC the shard has touched since resetShard: the dirty range. */
export const STATUS_CLINIC_MIN: i32 = 8;
export const STATUS_CLINIC_MAX: i32 = 12;
export const STATUS_BYTES: i32 = 16;

// ── Sums block: one 32-byte slot per area: f64 Σw, f64 Σw², u32 residents, 12 bytes zero ──
export const SLOT_WEIGHT_SUM: i32 = 0;
export const SLOT_WEIGHT_SQUARED_SUM: i32 = 8;
export const SLOT_RESIDENTS: i32 = 16;
export const SLOT_BYTES: i32 = 32;
export const SUMS_MUNICIPALITY_SLOT: i32 = 0;
export const SUMS_COUNCIL_SLOT: i32 = 128;
export const SUMS_CLINIC_SLOT: i32 = 160;
/** Indexed by raw clinic id; slot 65535 counts residents listed with no clinic. */
export const CLINIC_SLOTS: i32 = 65536;
export const NO_CLINIC: u32 = 65535;
export const SUMS_SLOTS: i32 = 160 + 65536;
/**
 * After the slots: the kernel's partial sums of the municipality run it is weighing, 128 bytes
 * per clinic id: f64x2 [Σw, Σw²] for banks 0…3 (row index mod 4), then u32 residents for banks
 * 0…3 (PARTIAL_RESIDENTS), then 48 bytes of zeros. Zero whenever weighRows returns; never summed.
 */
export const SUMS_PARTIALS: i32 = (160 + 65536) * 32;
export const PARTIAL_BYTES: i32 = 128;
export const PARTIAL_RESIDENTS: i32 = 64;
export const SUMS_BYTES: i32 = (160 + 65536) * 32 + 65536 * 128;

// ── Status codes: 1…10 name the RESIDENT_COLUMNS entry (index + 1) holding a bad value ──
export const STATUS_OK: i32 = 0;
export const STATUS_UNKNOWN_MUNICIPALITY: i32 = 1;
export const STATUS_BAD_SEX: i32 = 2;
export const STATUS_BAD_AGE: i32 = 3;
export const STATUS_BAD_CIVIL_STATUS: i32 = 4;
export const STATUS_BAD_EDUCATION: i32 = 5;
export const STATUS_BAD_CHRONIC_DISEASE_COUNT: i32 = 6;
export const STATUS_BAD_PSYCHIATRIC: i32 = 7;
export const STATUS_BAD_MENAPT: i32 = 8;
export const STATUS_BAD_OUTSIDE_LABOUR_MARKET: i32 = 9;
/** A base weight or contribution in the tables block is not finite. */
export const STATUS_BAD_TABLES: i32 = 16;
