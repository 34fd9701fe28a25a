import { FordelingError, type ErrorLocation } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import type { Clinic, GeneralPractitioner, GpRegister } from "./types.js";

/** Largest clinic id: 65535 is the residents' "no clinic" value (NO_CLINIC in population/schema.ts). */
export const MAX_CLINIC_ID = 0xfffe;
export const CLINIC_ID_SLOTS = 0xffff;
export const MIN_GP_AGE_YEARS = 25;
export const MAX_GP_AGE_YEARS = 90;
/** A GP holds at most three provider numbers. */
export const MAX_GP_CAPACITY = 3;

/** One GP as the CSV stores it: the clinic's municipality and tender flag repeat on each of its GPs. */
export interface RegisterRow {
  gpId: number;
  clinicId: number;
  municipalityCode: number;
  ageYears: number;
  capacity: number;
  tendered: boolean;
  /** The clinic's position; the same on every GP row of a clinic, or absent on all of them. */
  lat?: number;
  lon?: number;
}

/**
 * Groups GP rows into clinics. Clinics come out sorted by id; each clinic lists its GPs in row
 * order and sums their capacities in that order, so a register written and read back is equal
 * to the original, float sums included. `where(i)` names row i in errors.
 */
export function registerFromRows(
  rows: readonly RegisterRow[],
  geography: Geography,
  where: (rowIndex: number, column: string) => ErrorLocation = (i, column) => ({ row: i, column }),
): GpRegister {
  if (rows.length === 0) throw new FordelingError("FD_ERR_REGISTER", "the register has no GPs", where(0, "gp_id"));
  const firstRowOfGp = new Map<number, number>();
  const firstRowOfClinic = new Map<number, number>();
  const clinicsById = new Map<number, Clinic>();
  const gps: GeneralPractitioner[] = [];

  rows.forEach((row, i) => {
    const seen = firstRowOfGp.get(row.gpId);
    if (seen !== undefined) {
      throw new FordelingError(
        "FD_ERR_REGISTER",
        `gp_id ${row.gpId} appears twice (first at ${describe(where(seen, "gp_id"))})`,
        where(i, "gp_id"),
      );
    }
    firstRowOfGp.set(row.gpId, i);
    const municipalityIndex = geography.municipalityIndexByCode[row.municipalityCode] ?? -1;
    if (municipalityIndex < 0) {
      throw new FordelingError(
        "FD_ERR_UNKNOWN_MUNICIPALITY",
        `${row.municipalityCode} is not one of the 98 municipality codes`,
        where(i, "municipality_code"),
      );
    }
    let clinic = clinicsById.get(row.clinicId);
    if (clinic === undefined) {
      clinic = {
        clinicId: row.clinicId,
        municipalityCode: row.municipalityCode,
        municipalityIndex,
        capacities: 0,
        tendered: row.tendered,
        gpIds: [],
      };
      if (row.lat !== undefined && row.lon !== undefined) {
        clinic.lat = row.lat;
        clinic.lon = row.lon;
      }
      clinicsById.set(row.clinicId, clinic);
      firstRowOfClinic.set(row.clinicId, i);
    } else {
      const first = describe(where(firstRowOfClinic.get(row.clinicId) ?? 0, "clinic_id"));
      if (clinic.municipalityCode !== row.municipalityCode) {
        throw new FordelingError(
          "FD_ERR_REGISTER",
          `clinic ${row.clinicId} is listed in municipality ${row.municipalityCode} here and in ${clinic.municipalityCode} at ${first}; a clinic lies in one municipality`,
          where(i, "municipality_code"),
        );
      }
      if (clinic.tendered !== row.tendered) {
        throw new FordelingError(
          "FD_ERR_REGISTER",
          `clinic ${row.clinicId} has tendered=${row.tendered ? 1 : 0} here but ${clinic.tendered ? 1 : 0} at ${first}; all GPs of a clinic share its flag`,
          where(i, "tendered"),
        );
      }
      if (clinic.lat !== row.lat || clinic.lon !== row.lon) {
        throw new FordelingError(
          "FD_ERR_REGISTER",
          `clinic ${row.clinicId} lies at ${row.lat ?? "?"},${row.lon ?? "?"} here ` +
            `but at ${clinic.lat ?? "?"},${clinic.lon ?? "?"} at ${first}; a clinic has one place`,
          where(i, "lat"),
        );
      }
    }
    clinic.capacities += row.capacity;
    clinic.gpIds.push(row.gpId);
    gps.push({ gpId: row.gpId, clinicId: row.clinicId, ageYears: row.ageYears, capacity: row.capacity });
  });

  const clinics = [...clinicsById.values()].sort((a, b) => a.clinicId - b.clinicId);
  return { clinics, gps, clinicIndexById: makeClinicIndex(clinics) };
}

export function makeClinicIndex(clinics: readonly Clinic[]): Int32Array {
  const index = new Int32Array(CLINIC_ID_SLOTS).fill(-1);
  clinics.forEach((clinic, i) => {
    index[clinic.clinicId] = i;
  });
  return index;
}

/** The same register as rows, GPs in register order: what the CSV writer emits. */
export function rowsFromRegister(register: GpRegister): RegisterRow[] {
  return register.gps.map((gp) => {
    const clinic = register.clinics[register.clinicIndexById[gp.clinicId] ?? -1];
    if (clinic === undefined)
      throw new FordelingError("FD_ERR_REGISTER", `GP ${gp.gpId} names clinic ${gp.clinicId}, which the register does not hold`);
    const place = clinic.lat !== undefined && clinic.lon !== undefined ? { lat: clinic.lat, lon: clinic.lon } : {};
    return { ...gp, municipalityCode: clinic.municipalityCode, tendered: clinic.tendered, ...place };
  });
}

function describe(location: ErrorLocation): string {
  return location.row === undefined ? "its first occurrence" : `row ${location.row}`;
}
