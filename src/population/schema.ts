import { Field, Schema, Uint16, Uint8 } from "apache-arrow";
import { MAX_AGE_YEARS, MAX_CHRONIC_DISEASES } from "../limits.js";
import { NO_LOCATION } from "../geo/locations.js";

/**
 * The Arrow schema of a resident batch: one row per resident, one narrow unsigned column per
 * characteristic. Narrow columns keep a 6 M population near 60 MB, so the weighting pass is
 * bound by memory bandwidth, not by decoding. No column is nullable.
 *
 * docs/POPULATION.md documents every column; this module is the single source of truth.
 */

export const SEX = { man: 0, woman: 1 } as const;
export const CIVIL_STATUS = { neverMarried: 0, married: 1, divorced: 2, widowed: 3 } as const;
/**
 * Highest completed education. Residents under 30 carry their parents' highest education,
 * as the ministry's model classes them.
 */
export const EDUCATION = { primarySchool: 0, upperSecondary: 1, shortOrMediumHigher: 2, longHigherOrPhd: 3 } as const;

export { MAX_AGE_YEARS, MAX_CHRONIC_DISEASES };
/** Clinic id meaning "not listed with any clinic". */
export const NO_CLINIC = 0xffff;

export interface ColumnSpec {
  name: string;
  arrowType: "Uint8" | "Uint16";
  unit: string;
  min: number;
  max: number;
  description: string;
}

/** Column order is part of the format: kernels read columns by this order. */
export const RESIDENT_COLUMNS = [
  {
    name: "municipalityCode",
    arrowType: "Uint16",
    unit: "code",
    min: 101,
    max: 860,
    description: "municipality of residence, official 3-digit code (must be one of the 98)",
  },
  { name: "sex", arrowType: "Uint8", unit: "code", min: 0, max: 1, description: "0 = man, 1 = woman" },
  { name: "ageYears", arrowType: "Uint8", unit: "years", min: 0, max: MAX_AGE_YEARS, description: "age in whole years" },
  {
    name: "civilStatus",
    arrowType: "Uint8",
    unit: "code",
    min: 0,
    max: 3,
    description: "0 never married, 1 married or separated, 2 divorced, 3 widowed",
  },
  {
    name: "education",
    arrowType: "Uint8",
    unit: "code",
    min: 0,
    max: 3,
    description:
      "highest education: 0 primary school, 1 upper secondary or vocational, 2 short/medium higher or bachelor, 3 long higher or PhD; under 30: the parents'",
  },
  {
    name: "chronicDiseaseCount",
    arrowType: "Uint8",
    unit: "count",
    min: 0,
    max: MAX_CHRONIC_DISEASES,
    description: "number of somatic chronic diseases (7 = seven or more)",
  },
  { name: "psychiatric", arrowType: "Uint8", unit: "flag", min: 0, max: 1, description: "1 = at least one psychiatric disease" },
  { name: "menapt", arrowType: "Uint8", unit: "flag", min: 0, max: 1, description: "1 = immigrant or descendant from a MENAPT country" },
  {
    name: "outsideLabourMarket",
    arrowType: "Uint8",
    unit: "flag",
    min: 0,
    max: 1,
    description: "1 = outside the labour market (sickness benefit, non-job-ready social assistance, flex job, rehabilitation)",
  },
  {
    name: "clinicId",
    arrowType: "Uint16",
    unit: "id",
    min: 0,
    max: NO_CLINIC,
    description: "clinic the resident is listed with (register clinic id); 65535 = none",
  },
] as const satisfies readonly ColumnSpec[];

/**
 * The resident's place: an id into the locations table (src/geo/locations.ts), whose version the
 * file's `fordeling.locations` metadata names. Written after the columns above; the weighing
 * kernel never reads it, so files without it (written before it existed) still weigh and project.
 */
export const LOCATION_COLUMN = {
  name: "location_id",
  arrowType: "Uint16",
  unit: "id",
  min: 0,
  max: 0xffff,
  description: "location id in the locations table (docs/GEOGRAPHY.md); 65535 = unknown",
} as const satisfies ColumnSpec;
/** Location id meaning "not known" (src/geo/locations.ts), re-exported beside the column it fills. */
export { NO_LOCATION };

export type ResidentColumnName = (typeof RESIDENT_COLUMNS)[number]["name"];

export function makeResidentSchema(): Schema {
  return new Schema(
    RESIDENT_COLUMNS.map((c) => new Field(c.name, c.arrowType === "Uint8" ? new Uint8() : new Uint16(), false)),
    new Map([["fordeling.schema", "resident/1"]]),
  );
}

/** The schema of files the generator and converter write: the kernel's columns, then location_id. */
export function makeResidentFileSchema(): Schema {
  const base = makeResidentSchema();
  return new Schema([...base.fields, new Field(LOCATION_COLUMN.name, new Uint16(), false)], base.metadata);
}

/** The typed arrays of one batch, in column order: what generators write and kernels read. */
export interface ResidentColumns {
  municipalityCode: Uint16Array;
  sex: Uint8Array;
  ageYears: Uint8Array;
  civilStatus: Uint8Array;
  education: Uint8Array;
  chronicDiseaseCount: Uint8Array;
  psychiatric: Uint8Array;
  menapt: Uint8Array;
  outsideLabourMarket: Uint8Array;
  clinicId: Uint16Array;
}

export function allocateResidentColumns(rows: number): ResidentColumns {
  return {
    municipalityCode: new Uint16Array(rows),
    sex: new Uint8Array(rows),
    ageYears: new Uint8Array(rows),
    civilStatus: new Uint8Array(rows),
    education: new Uint8Array(rows),
    chronicDiseaseCount: new Uint8Array(rows),
    psychiatric: new Uint8Array(rows),
    menapt: new Uint8Array(rows),
    outsideLabourMarket: new Uint8Array(rows),
    clinicId: new Uint16Array(rows),
  };
}
