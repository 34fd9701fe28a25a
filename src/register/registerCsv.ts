import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { CsvColumns, parseCsv } from "../io/csv.js";
import { MAX_CLINIC_ID, MAX_GP_AGE_YEARS, MAX_GP_CAPACITY, MIN_GP_AGE_YEARS, registerFromRows, rowsFromRegister, type RegisterRow } from "./build.js";
import type { GpRegister } from "./types.js";

/**
 * The register's CSV form (docs/REGISTER.md): one row per GP, the clinic's municipality and
 * tender flag repeated on each of its GPs. Column order is fixed on write; on read, columns
 * may come in any order and extra columns are ignored.
 */
export const REGISTER_COLUMNS = ["gp_id", "clinic_id", "municipality_code", "gp_age_years", "capacity", "tendered"] as const;

const MAX_GP_ID = 0x7fffffff;

/** Writes to a temporary name in the same directory, then renames: readers never see half a file. */
export function writeRegisterCsv(register: GpRegister, file: string): void {
  const rows = rowsFromRegister(register);
  const lines = [REGISTER_COLUMNS.join(",")];
  for (const r of rows) {
    // String(number) is the shortest text that parses back to the same double: round trips are exact.
    lines.push(`${r.gpId},${r.clinicId},${r.municipalityCode},${r.ageYears},${String(r.capacity)},${r.tendered ? 1 : 0}`);
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
    throw new FordelingError("FD_ERR_REGISTER", `the register file is empty (expected a header ${REGISTER_COLUMNS.join(",")} and one row per GP)`, { file });
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
  return registerFromRows(rows, geography, (i, column) => ({ file, row: i + 2, column }));
}
