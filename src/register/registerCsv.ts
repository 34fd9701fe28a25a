import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { CsvColumns, parseCsv } from "../io/csv.js";
import {
  MAX_CLINIC_ID,
  MAX_GP_AGE_YEARS,
  MAX_GP_CAPACITY,
  MIN_GP_AGE_YEARS,
  registerFromRows,
  rowsFromRegister,
  type RegisterRow,
} from "./build.js";
import type { GpRegister } from "./types.js";
import { boundariesFor, withinMunicipality } from "../geo/boundaries.js";
import { defaultGeoParameters } from "../geo/parameters.js";
import { loadPostalAreas } from "../geo/postalAreas.js";

/**
 * The register's CSV form (docs/REGISTER.md): one row per GP, the clinic's municipality and
 * tender flag repeated on each of its GPs. Column order is fixed on write; on read, columns
 * may come in any order and extra columns are ignored.
 */
export const REGISTER_COLUMNS = ["gp_id", "clinic_id", "municipality_code", "gp_age_years", "capacity", "tendered"] as const;
/**
 * Optional place columns: `lat`/`lon` (WGS84 degrees) or `postal_code`; written as `lat`/`lon`
 * (empty when the clinic has no place). Both resolve inside the clinic's municipality (src/geo/resolve.ts).
 */
export const REGISTER_PLACE_COLUMNS = ["lat", "lon"] as const;

const MAX_GP_ID = 0x7fffffff;

/** Writes to a temporary name in the same directory, then renames: readers never see half a file. */
export function writeRegisterCsv(register: GpRegister, file: string): void {
  const rows = rowsFromRegister(register);
  const lines = [[...REGISTER_COLUMNS, ...REGISTER_PLACE_COLUMNS].join(",")];
  for (const r of rows) {
    // String(number) is the shortest text that parses back to the same double: round trips are exact.
    const place = r.lat === undefined || r.lon === undefined ? "," : `${String(r.lat)},${String(r.lon)}`;
    lines.push(`${r.gpId},${r.clinicId},${r.municipalityCode},${r.ageYears},${String(r.capacity)},${r.tendered ? 1 : 0},${place}`);
  }
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, lines.join("\n") + "\n");
    renameSync(temporary, file);
  } catch (cause) {
    removeQuietly(temporary);
    throw new FordelingError("FD_ERR_OUTPUT", `cannot write the register: ${(cause as Error).message}`, { file }, { cause });
  }
}

/** Cleanup after a failed write must not hide the write's own error. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // The temporary file was never created (e.g. its directory is missing).
  }
}

/** Reads and validates a register; every error names the file and, where it applies, row and column. */
export function readRegisterCsv(file: string, geography: Geography): GpRegister {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "cannot read the register", { file }, { cause });
  }
  if (text.replace(/^\uFEFF/u, "").trim() === "") {
    throw new FordelingError(
      "FD_ERR_REGISTER",
      `the register file is empty (expected a header ${REGISTER_COLUMNS.join(",")} and one row per GP)`,
      { file },
    );
  }
  const table = parseCsv(text, file);
  const col = new CsvColumns(table, REGISTER_COLUMNS);
  const rows: RegisterRow[] = [];
  for (let r = 0; r < col.rowCount; r++) {
    rows.push({
      gpId: col.number(r, "gp_id", { min: 0, max: MAX_GP_ID, integer: true }),
      clinicId: col.number(r, "clinic_id", { min: 0, max: MAX_CLINIC_ID, integer: true }),
      municipalityCode: col.number(r, "municipality_code", { integer: true }),
      ageYears: col.number(r, "gp_age_years", { min: MIN_GP_AGE_YEARS, max: MAX_GP_AGE_YEARS, integer: true }),
      capacity: col.number(r, "capacity", { above: 0, max: MAX_GP_CAPACITY }),
      tendered: col.number(r, "tendered", { min: 0, max: 1, integer: true }) === 1,
    });
  }
  if (rows.length === 0) {
    throw new FordelingError("FD_ERR_REGISTER", "the register has a header but no GPs", { file, row: 2 });
  }
  readClinicPlaces(col, rows, geography, file);
  return registerFromRows(rows, geography, (i, column) => ({ file, row: i + 2, column }));
}

/**
 * Clinic places from `lat`+`lon` or `postal_code`, when the file has them: coordinates must lie
 * in the clinic's municipality; a postal code becomes its area's point in that municipality.
 */
function readClinicPlaces(col: CsvColumns, rows: RegisterRow[], geography: Geography, file: string): void {
  const hasCoordinates = col.has("lat") && col.has("lon");
  const hasPostal = col.has("postal_code");
  if (!hasCoordinates && !hasPostal) return;
  // Boundaries and postal areas only: building the whole locations table here would slow every weighing.
  const boundaries = hasCoordinates ? boundariesFor(geography) : undefined;
  const postal = hasPostal ? loadPostalAreas(geography) : undefined;
  const toleranceKm = defaultGeoParameters().coordinateToleranceKm;
  const checked = new Set<string>();
  rows.forEach((row, r) => {
    const municipalityIndex = geography.municipalityIndexByCode[row.municipalityCode] ?? -1;
    if (municipalityIndex < 0) return; // registerFromRows reports the unknown municipality with its row.
    if (boundaries !== undefined && col.text(r, "lat") !== "" && col.text(r, "lon") !== "") {
      const lat = col.number(r, "lat", { min: 54, max: 58 });
      const lon = col.number(r, "lon", { min: 7, max: 16 });
      // GPs of one clinic repeat its place: test each place once.
      const key = `${municipalityIndex}:${lat},${lon}`;
      if (!checked.has(key) && !withinMunicipality(boundaries, municipalityIndex, lat, lon, toleranceKm)) {
        const message = `${lat}, ${lon} lies outside municipality ${row.municipalityCode} (more than ${toleranceKm} km from it)`;
        throw new FordelingError("FD_ERR_OUTSIDE_MUNICIPALITY", message, { file, row: r + 2, column: "lat" });
      }
      checked.add(key);
      row.lat = lat;
      row.lon = lon;
    } else if (postal !== undefined && col.text(r, "postal_code") !== "") {
      const area = postal.find(municipalityIndex, col.text(r, "postal_code"), { file, row: r + 2, column: "postal_code" });
      row.lat = area.lat;
      row.lon = area.lon;
    }
  });
}
