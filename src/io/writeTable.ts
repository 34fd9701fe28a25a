import { extname } from "node:path";
import { FordelingError } from "../errors.js";
import { writeFileAtomic } from "./atomic.js";
import { toArrowIpc } from "./arrow.js";
import { toCsv } from "./csv.js";
import { toJson } from "./json.js";
import type { Table } from "./table.js";
import { formatTable } from "./terminal.js";

export const TABLE_FORMATS = ["table", "csv", "json", "arrow"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** File name endings and the format each one means; `--out` without `--format` uses these. */
export const FORMAT_BY_EXTENSION: Readonly<Record<string, TableFormat>> = {
  ".txt": "table",
  ".csv": "csv",
  ".json": "json",
  ".arrow": "arrow",
  ".arrows": "arrow",
  ".ipc": "arrow",
  ".feather": "arrow",
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

export function serializeTable(table: Table, format: TableFormat): string | Uint8Array {
  switch (format) {
    case "table":
      return formatTable(table);
    case "csv":
      return toCsv(table);
    case "json":
      return toJson(table);
    case "arrow":
      return toArrowIpc(table);
  }
}

/**
 * Writes a table in a format: to `outFile` atomically (complete file or none), or to stdout
 * when no file is given. Arrow on a terminal is refused: binary output there helps nobody.
 */
export async function writeTable(table: Table, format: TableFormat, outFile?: string): Promise<void> {
  const data = serializeTable(table, format);
  if (outFile !== undefined) {
    await writeFileAtomic(outFile, data);
    return;
  }
  if (format === "arrow" && process.stdout.isTTY === true) {
    throw new FordelingError("FD_ERR_ARGUMENT", "Arrow output is binary; give --out FILE or redirect stdout to a file", {
      field: "--format",
    });
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(data, (error) => (error ? reject(outputError(error)) : resolve()));
  });
}

function outputError(cause: Error): FordelingError {
  return new FordelingError("FD_ERR_OUTPUT", `cannot write to standard output: ${cause.message}`, {}, { cause });
}
