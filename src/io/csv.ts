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

  constructor(
    private readonly table: CsvTable,
    required: readonly string[],
  ) {
    table.columns.forEach((name, i) => this.index.set(name, i));
    for (const name of required) {
      if (!this.index.has(name)) {
        throw new FordelingError("FD_ERR_MISSING_COLUMN", `required column is missing (found: ${table.columns.join(", ")})`, {
          file: table.file,
          column: name,
        });
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
      throw new FordelingError("FD_ERR_BAD_VALUE", `${value} is out of range (allowed ${range.min ?? "-∞"} to ${range.max ?? "∞"})`, where);
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
 * The CSV flavours the writers offer. `rfc4180` (the default): comma, decimal point, no
 * byte-order mark, which DuckDB, pandas and R read as is. `excel-da`: what Excel with Danish
 * regional settings opens by double-click without mis-splitting: semicolon separator (the
 * comma is the decimal sign there), decimal comma, and a UTF-8 byte-order mark so that
 * "Sundhedsråd" is not read as Windows-1252.
 */
export const CSV_DIALECTS = ["rfc4180", "excel-da"] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

interface DialectRules {
  separator: string;
  decimal: string;
  bom: string;
  /** Characters that force a field into quotes. */
  special: RegExp;
}

const DIALECTS: Readonly<Record<CsvDialect, DialectRules>> = {
  rfc4180: { separator: ",", decimal: ".", bom: "", special: /[",\r\n]/u },
  "excel-da": { separator: ";", decimal: ",", bom: "\uFEFF", special: /[";\r\n]/u },
};

/**
 * CSV of a table: a header row, CRLF line ends, fields quoted only when they hold the
 * separator, a quote or a line break (quotes doubled). Numbers have no grouping and full
 * precision (the shortest text that reads back to the same float) unless the table was
 * rounded first (io/round.ts). Null is an empty field. See `CsvDialect` for the two flavours.
 */
export function toCsv(table: Table, dialect: CsvDialect = "rfc4180"): string {
  const rules = DIALECTS[dialect];
  const field = (text: string): string => quoteField(text, rules.special);
  const lines = [table.columns.map((c) => field(c.name)).join(rules.separator)];
  for (let row = 0; row < table.rowCount; row++) {
    lines.push(
      table.columns
        .map((column) => {
          const value = column.values[row] ?? null;
          if (value === null) return "";
          if (typeof value === "string") return field(value);
          return rules.decimal === "." ? String(value) : String(value).replace(".", rules.decimal);
        })
        .join(rules.separator),
    );
  }
  return rules.bom + lines.join("\r\n") + "\r\n";
}

/** An empty string is quoted so readers can tell it from null (an unquoted empty field). */
function quoteField(text: string, special: RegExp): string {
  return text === "" || special.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}
