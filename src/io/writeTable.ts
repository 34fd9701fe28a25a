import { extname } from "node:path";
import { FordelingError } from "../errors.js";
import { writeFileAtomic } from "./atomic.js";
import { toArrowIpc } from "./arrow.js";
import { toCsv, type CsvDialect } from "./csv.js";
import { toJson } from "./json.js";
import { toParquet } from "./parquet.js";
import { roundTable } from "./round.js";
import type { Table } from "./table.js";
import { formatTable } from "./terminal.js";
import { toXlsx, type AboutEntry } from "./xlsx.js";

export const TABLE_FORMATS = ["table", "csv", "json", "arrow", "parquet", "xlsx"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** Formats that are bytes, not text: refused on a terminal, sent as files. */
export const BINARY_FORMATS: readonly TableFormat[] = ["arrow", "parquet", "xlsx"];

/** How a table is written, beyond its format; every command and the API take the same options. */
export interface TableOutputOptions {
  /** CSV flavour; default rfc4180 (comma, decimal point, no byte-order mark). */
  csvDialect?: CsvDialect;
  /** Round floats to their column's decimals; default full precision. */
  round?: boolean;
  /** Rows of the xlsx "about" sheet: scenario, parameters, seed, versions. */
  about?: readonly AboutEntry[];
}

/** File name endings and the format each one means; `--out` without `--format` uses these. */
export const FORMAT_BY_EXTENSION: Readonly<Record<string, TableFormat>> = {
  ".txt": "table",
  ".csv": "csv",
  ".json": "json",
  ".arrow": "arrow",
  ".arrows": "arrow",
  ".ipc": "arrow",
  ".feather": "arrow",
  ".parquet": "parquet",
  ".xlsx": "xlsx",
};

/** The format a file name asks for; an unknown ending is an argument error naming the allowed ones. */
export function formatFromFileName(file: string, option = "--out"): TableFormat {
  const format = FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
  if (format === undefined) {
    throw new FordelingError(
      "FD_ERR_ARGUMENT",
      `cannot tell the format of '${file}' from its ending; use one of ${Object.keys(FORMAT_BY_EXTENSION).join(", ")} or give --format (${TABLE_FORMATS.join(", ")})`,
      { field: option },
    );
  }
  return format;
}

export async function serializeTable(table: Table, format: TableFormat, options: TableOutputOptions = {}): Promise<string | Uint8Array> {
  const shown = options.round === true ? roundTable(table) : table;
  switch (format) {
    case "table":
      return formatTable(shown);
    case "csv":
      return toCsv(shown, options.csvDialect);
    case "json":
      return toJson(shown);
    case "arrow":
      return toArrowIpc(shown);
    case "parquet":
      return toParquet(shown);
    case "xlsx":
      return toXlsx([shown], options.about ?? []);
  }
}

/**
 * Writes a table in a format: to `outFile` atomically (complete file or none), or to stdout
 * when no file is given. Binary formats on a terminal are refused: they help nobody there.
 */
export async function writeTable(table: Table, format: TableFormat, outFile?: string, options: TableOutputOptions = {}): Promise<void> {
  if (outFile === undefined) refuseBinaryOnTerminal(format);
  const data = await serializeTable(table, format, options);
  if (outFile !== undefined) {
    await writeFileAtomic(outFile, data);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(data, (error) => (error ? reject(outputError(error)) : resolve()));
  });
}

/** Checked before any slow work, so a command fails at once rather than after the run. */
export function refuseBinaryOnTerminal(format: TableFormat): void {
  if (BINARY_FORMATS.includes(format) && process.stdout.isTTY === true) {
    throw new FordelingError("FD_ERR_ARGUMENT", `${format} output is binary; give --out FILE or redirect stdout to a file`, {
      field: "--format",
    });
  }
}

function outputError(cause: Error): FordelingError {
  return new FordelingError("FD_ERR_OUTPUT", `cannot write to standard output: ${cause.message}`, {}, { cause });
}

/** Several tables as one workbook (a sheet each, then "about"), written whole or not at all. */
export async function writeWorkbook(tables: readonly Table[], outFile: string, options: TableOutputOptions = {}): Promise<void> {
  const shown = options.round === true ? tables.map(roundTable) : tables;
  await writeFileAtomic(outFile, await toXlsx(shown, options.about ?? []));
}
