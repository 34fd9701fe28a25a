import { readFile, readdir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { DataType, tableFromIPC, type Table as ArrowTable } from "apache-arrow";
import { FordelingError } from "../errors.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { isInside } from "./dataDir.js";
import { RESULT_LAYOUT, type ResultLevel } from "./projection.js";

/**
 * Reads a stored result's Arrow tables back into the io/ table shape and selects rows by year
 * and area. Tables are small (98 municipalities × a few years), so reading a whole file and
 * filtering in JS is cheap; the API caches what it serialises from them.
 */

export interface ResultSelection {
  level: ResultLevel;
  year?: number;
  area?: string;
}

/** The Arrow file of a level in a result dir, found by the layout's file name. */
export async function readResultTable(resultDir: string, level: ResultLevel): Promise<Table> {
  const layout = RESULT_LAYOUT[level];
  const names = await readdir(resultDir);
  const name = names.find((n) => n === layout.file);
  if (name === undefined) {
    throw new FordelingError("FD_ERR_NOT_FOUND", `the result has no ${level} table (${layout.file})`, { field: "params.level" });
  }
  const file = join(resultDir, name);
  // A file symlinked out of the result dir is not served (the result dir itself is checked by the store).
  if (!isInside(await realpath(resultDir), await realpath(file))) {
    const message = "the stored result file leads outside its result dir and is not served";
    throw new FordelingError("FD_ERR_STORE_CORRUPT", message, { file: name });
  }
  let arrow: ArrowTable;
  try {
    arrow = tableFromIPC(await readFile(file));
  } catch (cause) {
    // The server wrote the file: a truncated one is damage on the server's side, not a bad request.
    const message = `the stored result is damaged: ${(cause as Error).message}`;
    throw new FordelingError("FD_ERR_STORE_CORRUPT", message, { file: name }, { cause });
  }
  return tableFromArrow(arrow, level);
}

export function tableFromArrow(arrow: ArrowTable, name: string): Table {
  const columns: TableColumn[] = arrow.schema.fields.map((field, c) => {
    const vector = arrow.getChildAt(c);
    const values: (string | number | null)[] = [];
    for (let row = 0; row < arrow.numRows; row++) {
      const value: unknown = vector?.get(row) ?? null;
      values.push(typeof value === "bigint" ? Number(value) : (value as string | number | null));
    }
    const base = { name: field.name, nullable: field.nullable };
    if (DataType.isUtf8(field.type) || DataType.isLargeUtf8(field.type) || DataType.isDictionary(field.type)) {
      return { ...base, type: "string", values: values.map((v) => (v === null ? null : String(v))) };
    }
    const numbers = values.map((v) => (v === null ? null : Number(v)));
    if (DataType.isInt(field.type)) return { ...base, type: "int", values: numbers };
    return { ...base, type: "float", values: numbers };
  });
  return makeTable(name, columns);
}

/** Rows of one year and/or one area; a year or area the table lacks is a 404 naming those it has. */
export function selectRows(table: Table, selection: ResultSelection): Table {
  const layout = RESULT_LAYOUT[selection.level];
  const keep: number[] = [];
  const yearColumn = table.columns.find((c) => c.name === layout.yearColumn)?.values as readonly unknown[] | undefined;
  const areaColumn = layout.areaColumn === undefined ? undefined : table.columns.find((c) => c.name === layout.areaColumn);
  for (let row = 0; row < table.rowCount; row++) {
    if (selection.year !== undefined && yearColumn?.[row] !== selection.year) continue;
    if (selection.area !== undefined && String(areaColumn?.values[row]) !== selection.area) continue;
    keep.push(row);
  }
  if (keep.length === 0 && table.rowCount > 0) {
    if (selection.year !== undefined && !(yearColumn ?? []).includes(selection.year)) {
      const years = [...new Set(yearColumn ?? [])].join(", ");
      throw new FordelingError("FD_ERR_NOT_FOUND", `the result has no year ${selection.year} (years: ${years})`, { field: "query.year" });
    }
    if (selection.area !== undefined) {
      const what = layout.areaColumn === undefined ? "areas" : `${layout.areaColumn} values such as ${String(areaColumn?.values[0])}`;
      throw new FordelingError("FD_ERR_NOT_FOUND", `the ${selection.level} result has no area '${selection.area}' (${what})`, {
        field: "query.area",
      });
    }
  }
  if (keep.length === table.rowCount) return table;
  const columns = table.columns.map((column) => ({ ...column, values: keep.map((row) => column.values[row] ?? null) })) as TableColumn[];
  return { name: table.name, columns, rowCount: keep.length };
}

/** The years a table covers, ascending. */
export function yearsOf(table: Table, level: ResultLevel): number[] {
  const column = table.columns.find((c) => c.name === RESULT_LAYOUT[level].yearColumn);
  return [...new Set((column?.values ?? []).filter((v): v is number => typeof v === "number"))].sort((a, b) => a - b);
}
