import {
  Dictionary,
  Int8,
  Table as ArrowTable,
  Utf8,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from "apache-arrow";
import { FordelingError } from "../errors.js";
import {
  REPLICATION_METRICS,
  indexOf,
  type AreaLevel,
  type DrawnParameter,
  type ReplicationArea,
  type ReplicationData,
} from "./replicationData.js";

/**
 * The per-replication tables of a result directory as Arrow IPC files, in compact types:
 * `replications.arrow` has one row per replication × year × area (replication uint32, year uint16,
 * level and area_id dictionary-encoded, every outcome float32: ≈ 50 bytes a row, 2.6 MB for the
 * 1,000-replication default to 2027); `replication-parameters.arrow` one row per replication ×
 * drawn parameter (replication, parameter, value float64). Long tables, so DuckDB, pandas or R
 * filter and pivot them as they like, and new outcome columns do not change the others.
 */
export const REPLICATION_FILES = {
  outcomes: "replications.arrow",
  parameters: "replication-parameters.arrow",
  /** Only with `project --keep-municipalities`: the municipalities' rows (docs/ANALYSIS.md). */
  municipalities: "replications_municipalities.arrow",
} as const;

// Explicit dictionary ids: apache-arrow otherwise numbers dictionaries from a process-wide counter,
// so the same table's bytes would depend on what the process wrote before (a distributed run must
// write the same bytes as a local one).
const dictionary = (values: readonly string[], id: number): Vector => vectorFromArray(values, new Dictionary(new Utf8(), new Int8(), id));

export function replicationOutcomesToIpc(data: ReplicationData): Uint8Array {
  const rows = data.replications * data.years.length * data.areas.length;
  const replication = new Uint32Array(rows);
  const year = new Uint16Array(rows);
  const level: string[] = new Array<string>(rows);
  const area: string[] = new Array<string>(rows);
  for (let r = 0; r < data.replications; r++) {
    for (let y = 0; y < data.years.length; y++) {
      for (let a = 0; a < data.areas.length; a++) {
        const i = indexOf(data, r, y, a);
        replication[i] = r;
        year[i] = data.years[y] ?? 0;
        level[i] = data.areas[a]?.level ?? "";
        area[i] = data.areas[a]?.id ?? "";
      }
    }
  }
  const columns: Record<string, Vector> = {
    replication: makeVector(replication),
    year: makeVector(year),
    level: dictionary(level, 0),
    area_id: dictionary(area, 1),
  };
  for (const spec of REPLICATION_METRICS) {
    const values = data.metrics.get(spec.column);
    if (values !== undefined) columns[spec.column] = makeVector(values);
  }
  const table = new ArrowTable(columns);
  table.schema.metadata.set("fordeling.table", "replications");
  table.schema.metadata.set("fordeling.area_names", JSON.stringify(Object.fromEntries(data.areas.map((a) => [a.id, a.name]))));
  return tableToIPC(table, "file");
}

export function replicationParametersToIpc(replications: number, parameters: readonly DrawnParameter[]): Uint8Array {
  const rows = replications * parameters.length;
  const replication = new Uint32Array(rows);
  const value = new Float64Array(rows);
  const key: string[] = new Array<string>(rows);
  for (let r = 0; r < replications; r++) {
    parameters.forEach((p, k) => {
      const i = r * parameters.length + k;
      replication[i] = r;
      key[i] = p.key;
      value[i] = p.values[r] ?? Number.NaN;
    });
  }
  const table = new ArrowTable({ replication: makeVector(replication), parameter: dictionary(key, 0), value: makeVector(value) });
  table.schema.metadata.set("fordeling.table", "replication-parameters");
  return tableToIPC(table, "file");
}

function parse(bytes: Uint8Array, file: string): ArrowTable {
  try {
    return tableFromIPC(bytes);
  } catch (cause) {
    throw new FordelingError(
      "FD_ERR_ARROW_MALFORMED",
      `cannot read the per-replication table: ${(cause as Error).message}`,
      { file },
      { cause },
    );
  }
}

function column(table: ArrowTable, name: string, file: string): Vector {
  const vector = table.getChild(name);
  if (vector === null)
    throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `the per-replication table has no column '${name}'`, { file, column: name });
  return vector;
}

/** Reads both files back into the dense shape; a row missing or repeated is a schema error, never a silent gap. */
export function replicationDataFromIpc(
  outcomes: Uint8Array,
  parameters: Uint8Array,
  file: string = REPLICATION_FILES.outcomes,
): ReplicationData {
  const table = parse(outcomes, file);
  const replication = column(table, "replication", file).toArray() as Uint32Array;
  const yearColumn = column(table, "year", file).toArray() as Uint16Array;
  const levels = column(table, "level", file);
  const areaIds = column(table, "area_id", file);
  const names = JSON.parse(table.schema.metadata.get("fordeling.area_names") ?? "{}") as Record<string, string>;
  const years = [...new Set(yearColumn)].sort((a, b) => a - b);
  const areas: ReplicationArea[] = [];
  const areaIndex = new Map<string, number>();
  const areaOfRow = new Int32Array(table.numRows);
  for (let row = 0; row < table.numRows; row++) {
    const id = String(areaIds.get(row));
    let a = areaIndex.get(id);
    if (a === undefined) {
      a = areas.length;
      areaIndex.set(id, a);
      areas.push({ level: String(levels.get(row)) as AreaLevel, id, name: names[id] ?? id });
    }
    areaOfRow[row] = a;
  }
  let replications = 0;
  for (const r of replication) replications = Math.max(replications, r + 1);
  const yearIndex = new Map(years.map((y, i) => [y, i]));
  const data: ReplicationData = { replications, years, areas, metrics: new Map(), parameters: [] };
  const expected = replications * years.length * areas.length;
  const slots = new Int32Array(table.numRows);
  const seen = new Uint8Array(expected);
  for (let row = 0; row < table.numRows; row++) {
    const i = indexOf(data, replication[row] ?? 0, yearIndex.get(yearColumn[row] ?? 0) ?? 0, areaOfRow[row] ?? 0);
    if (seen[i] === 1)
      throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", "a replication, year and area appears twice in the per-replication table", {
        file,
        row,
      });
    seen[i] = 1;
    slots[row] = i;
  }
  if (table.numRows !== expected) {
    throw new FordelingError(
      "FD_ERR_SCHEMA_MISMATCH",
      `the per-replication table has ${table.numRows} rows, not replications × years × areas = ${expected}`,
      { file },
    );
  }
  const metrics = data.metrics as Map<string, Float32Array>;
  for (const field of table.schema.fields) {
    if (["replication", "year", "level", "area_id"].includes(field.name)) continue;
    const source = column(table, field.name, file).toArray() as ArrayLike<number>;
    const values = new Float32Array(expected);
    for (let row = 0; row < table.numRows; row++) values[slots[row] ?? 0] = source[row] ?? Number.NaN;
    metrics.set(field.name, values);
  }
  return { ...data, parameters: parametersFromIpc(parameters, replications) };
}

function parametersFromIpc(bytes: Uint8Array, replications: number): DrawnParameter[] {
  const file = REPLICATION_FILES.parameters;
  const table = parse(bytes, file);
  const replication = column(table, "replication", file).toArray() as Uint32Array;
  const keys = column(table, "parameter", file);
  const value = column(table, "value", file).toArray() as Float64Array;
  const byKey = new Map<string, DrawnParameter>();
  for (let row = 0; row < table.numRows; row++) {
    const key = String(keys.get(row));
    let p = byKey.get(key);
    if (p === undefined) byKey.set(key, (p = { key, values: new Float64Array(replications).fill(Number.NaN) }));
    const r = replication[row] ?? 0;
    if (r < replications) p.values[r] = value[row] ?? Number.NaN;
  }
  return [...byKey.values()];
}
