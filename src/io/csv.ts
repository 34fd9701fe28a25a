import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { FordelingError } from "../errors.js";
import type { Table } from "./table.js";

/** A parsed CSV: header names and rows of raw strings, with the file name for errors. */
export interface CsvTable {
  file: string;
  columns: string[];
  rows: string[][];
}

export function readCsv(file: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "cannot read the file", { file }, { cause });
  }
  return parseCsv(text, file);
}

export function parseCsv(text: string, file: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    throw new FordelingError(
      "FD_ERR_CSV_MALFORMED",
      `cannot parse CSV: ${(cause as Error).message}`,
      line !== undefined ? { file, row: line } : { file },
      { cause },
    );
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new FordelingError("FD_ERR_CSV_MALFORMED", "the file is empty (no header row)", { file });
  // A column named twice would silently give one of the two; which one is meant is unknowable.
  const duplicate = header.find((name, i) => name !== "" && header.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw new FordelingError("FD_ERR_CSV_MALFORMED", "the header names this column twice", { file, column: duplicate, row: 1 });
  }
  return { file, columns: header, rows };
}

/** Column accessor that fails with file, column and row when a column is missing or a value is bad. */
export class CsvColumns {
  private readonly index = new Map<string, number>();

  constructor(private readonly table: CsvTable, required: readonly string[]) {
    table.columns.forEach((name, i) => this.index.set(name, i));
    for (const name of required) {
      if (!this.index.has(name)) {
        throw new FordelingError(
          "FD_ERR_MISSING_COLUMN",
          `required column is missing (found: ${table.columns.join(", ")})`,
          { file: table.file, column: name },
        );
      }
    }
  }

  has(column: string): boolean {
    return this.index.has(column);
  }

  /** Row numbers in errors are 1-based file lines: the header is line 1. */
  text(rowIndex: number, column: string): string {
    const i = this.index.get(column);
    const row = this.table.rows[rowIndex];
    if (i === undefined || row === undefined) {
      throw new FordelingError("FD_ERR_MISSING_COLUMN", "column or row does not exist", {
        file: this.table.file,
        column,
        row: rowIndex + 2,
      });
    }
    return row[i] ?? "";
  }

  /** `above` is an exclusive lower bound, for quantities that must be positive but may be fractional. */
  number(rowIndex: number, column: string, range: { min?: number; max?: number; integer?: boolean; above?: number } = {}): number {
    const raw = this.text(rowIndex, column);
    const value = raw === "" ? Number.NaN : Number(raw);
    const where = { file: this.table.file, column, row: rowIndex + 2 };
    if (!Number.isFinite(value)) throw new FordelingError("FD_ERR_BAD_VALUE", `'${raw}' is not a number`, where);
    if (range.integer === true && !Number.isInteger(value)) {
      throw new FordelingError("FD_ERR_BAD_VALUE", `'${raw}' is not a whole number`, where);
    }
    if (range.above !== undefined && (!(value > range.above) || (range.max !== undefined && value > range.max))) {
      throw new FordelingError(
        "FD_ERR_BAD_VALUE",
        `${value} is out of range (allowed above ${range.above}${range.max !== undefined ? ` and up to ${range.max}` : ""})`,
        where,
      );
    }
    if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
      throw new FordelingError(
        "FD_ERR_BAD_VALUE",
        `${value} is out of range (allowed ${range.min ?? "-∞"} to ${range.max ?? "∞"})`,
        where,
      );
    }
    return value;
  }

  optionalNumber(rowIndex: number, column: string): number | undefined {
    return this.text(rowIndex, column) === "" ? undefined : this.number(rowIndex, column);
  }

  get rowCount(): number {
    return this.table.rows.length;
  }
}

/**
 * RFC 4180 CSV of a table: a header row, CRLF line ends, fields quoted only when they hold a
 * comma, a quote or a line break (quotes doubled). Numbers use a dot and no grouping, with
 * full precision (the shortest text that reads back to the same float), so DuckDB, pandas, R
 * and Excel all read the same values. Null is an empty field. No byte-order mark: DuckDB and
 * pandas read UTF-8 as is, and a mark would become part of the first column name elsewhere.
 */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvField(c.name)).join(",")];
  for (let row = 0; row < table.rowCount; row++) {
    lines.push(
      table.columns
        .map((column) => {
          const value = column.values[row] ?? null;
          return value === null ? "" : typeof value === "number" ? String(value) : csvField(value);
        })
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

/** An empty string is quoted so readers can tell it from null (an unquoted empty field). */
export function csvField(text: string): string {
  return text === "" || /[",\r\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}
