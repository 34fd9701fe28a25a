import { FordelingError } from "../errors.js";

/**
 * A small typed table: the one shape every result (capacity report, projection summaries)
 * takes before it is printed or written as CSV, JSON or Arrow. Columns are ordered and typed
 * so each writer can map them without guessing: `string` → utf8, `int` → int32,
 * `float` → float64. A value may be null only in a column declared `nullable` (an undefined
 * quantity, e.g. the average weight of a clinic with no patients): writers show it as an
 * empty field, JSON null or an Arrow null, never as NaN.
 */

interface ColumnBase {
  name: string;
  /** Shown in the terminal and kept as Arrow field metadata; e.g. "capacities". */
  unit?: string;
  nullable?: boolean;
}

export interface StringColumn extends ColumnBase {
  type: "string";
  values: readonly (string | null)[];
}

export interface IntColumn extends ColumnBase {
  type: "int";
  values: readonly (number | null)[];
}

export interface FloatColumn extends ColumnBase {
  type: "float";
  values: readonly (number | null)[];
  /** Decimals shown in the terminal only; files keep full precision. Default 2. */
  decimals?: number;
}

export type TableColumn = StringColumn | IntColumn | FloatColumn;

export interface Table {
  /** Names the table in Arrow metadata and error messages, e.g. "councils". */
  name: string;
  columns: readonly TableColumn[];
  rowCount: number;
}

export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/**
 * Checks every column once, so writers can trust the table: equal lengths, unique names,
 * ints whole and inside int32, floats finite, nulls only where declared.
 */
export function makeTable(name: string, columns: readonly TableColumn[]): Table {
  const rowCount = columns[0]?.values.length ?? 0;
  const seen = new Set<string>();
  for (const column of columns) {
    const fail = (message: string, row?: number): never => {
      throw new FordelingError(
        "FD_ERR_INTERNAL",
        `table '${name}': ${message}`,
        row === undefined ? { column: column.name } : { column: column.name, row },
      );
    };
    if (seen.has(column.name)) fail("the column name appears twice");
    seen.add(column.name);
    if (column.values.length !== rowCount) fail(`has ${column.values.length} values, the table has ${rowCount} rows`);
    column.values.forEach((value, row) => {
      if (value === null) {
        if (column.nullable !== true) fail("null in a column that is not nullable", row);
        return;
      }
      if (column.type === "string") {
        if (typeof value !== "string") fail(`${String(value)} is not a string`, row);
      } else if (typeof value !== "number" || !Number.isFinite(value)) {
        fail(`${String(value)} is not a finite number`, row);
      } else if (column.type === "int" && (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)) {
        fail(`${value} is not a whole number inside int32`, row);
      }
    });
  }
  return { name, columns, rowCount };
}

/** How to read one column out of a record: the usual way results become tables. */
export type ColumnSpec<R> =
  | (Omit<StringColumn, "values"> & { value: (record: R) => string | null })
  | (Omit<IntColumn, "values"> & { value: (record: R) => number | null })
  | (Omit<FloatColumn, "values"> & { value: (record: R) => number | null });

export function tableFromRecords<R>(name: string, records: readonly R[], specs: readonly ColumnSpec<R>[]): Table {
  const columns = specs.map(({ value, ...column }) => ({
    ...column,
    values: records.map((record) => (value as (record: R) => string | number | null)(record)),
  })) as TableColumn[];
  return makeTable(name, columns);
}

/** The same rows with only the named columns, in the order given. */
export function pickColumns(table: Table, names: readonly string[]): Table {
  const columns = names.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    if (column === undefined) {
      throw new FordelingError("FD_ERR_INTERNAL", `table '${table.name}' has no column '${name}'`, { column: name });
    }
    return column;
  });
  return { name: table.name, columns, rowCount: table.rowCount };
}

/** Row `row` as a plain record, in column order: what JSON writers and tests want. */
export function recordAt(table: Table, row: number): Record<string, string | number | null> {
  const record: Record<string, string | number | null> = {};
  for (const column of table.columns) record[column.name] = column.values[row] ?? null;
  return record;
}
