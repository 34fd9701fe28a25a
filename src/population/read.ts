import { readFileSync } from "node:fs";
import {
  RecordBatchReader,
  Type,
  type RecordBatch,
  type RecordBatchFileReader,
  type RecordBatchStreamReader,
  type Schema,
} from "apache-arrow";
import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { defaultGeography } from "../geo/geography.js";
import { allocateResidentColumns, LOCATION_COLUMN, RESIDENT_COLUMNS, type ResidentColumnName, type ResidentColumns } from "./schema.js";
import { PopulationSummaryAccumulator, type PopulationSummary } from "./summary.js";

/**
 * Validating reader for population files (Arrow IPC file or stream format). Columns are found
 * by name, so files written by other tools may order them differently or add columns; every
 * value is checked against RESIDENT_COLUMNS' min/max, the same bounds the kernel's ingestion
 * uses. Rows in errors are numbered from 1 (the first resident is row 1).
 */

export interface PopulationBatch {
  columns: ResidentColumns;
  rows: number;
  /** Rows before this batch in the file. */
  firstRow: number;
  /** The location_id column; undefined for files written before it existed. */
  locationIds: Uint16Array | undefined;
}

/** Index of the optional location_id column, −1 when absent; a present one must be uint16. */
export function locationColumnIndex(file: string, schema: Schema): number {
  const index = schema.fields.findIndex((f) => f.name === LOCATION_COLUMN.name);
  const type = schema.fields[index]?.type as { typeId: Type; bitWidth?: number; isSigned?: boolean } | undefined;
  if (type !== undefined && (type.typeId !== Type.Int || type.bitWidth !== 16 || type.isSigned !== false)) {
    const where = { file, column: LOCATION_COLUMN.name };
    throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `has type ${String(schema.fields[index]!.type)}, expected Uint16`, where);
  }
  return index;
}

/** The column's values in one batch, zero-copy. */
export function uint16Values(file: string, batch: RecordBatch, index: number, name: string, firstRow: number): Uint16Array {
  const data = batch.getChildAt(index)?.data[0];
  if (data === undefined || data.values.length < data.offset + batch.numRows) {
    throw new FordelingError("FD_ERR_ARROW_MALFORMED", "column data are incomplete", { file, column: name, row: firstRow + 1 });
  }
  if (data.nullCount > 0) {
    const where = { file, column: name, row: firstRow + 1 };
    throw new FordelingError("FD_ERR_BAD_VALUE", "holds empty (null) values; every value is required", where);
  }
  return (data.values as Uint16Array).subarray(data.offset, data.offset + batch.numRows);
}

export function openReader(file: string): { reader: RecordBatchFileReader | RecordBatchStreamReader; schema: Schema } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "cannot read the population file", { file }, { cause });
  }
  try {
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    if (reader.schema === undefined || reader.schema === null) throw new Error("no schema message");
    return { reader, schema: reader.schema };
  } catch (cause) {
    throw malformed(file, cause);
  }
}

function malformed(file: string, cause: unknown): FordelingError {
  return new FordelingError(
    "FD_ERR_ARROW_MALFORMED",
    `the file is truncated or is not an Arrow IPC file or stream (reader: ${(cause as Error).message})`,
    { file },
    { cause },
  );
}

/** Column index in the file for each resident column, after checking names and types. */
function checkSchema(file: string, schema: Schema): number[] {
  return RESIDENT_COLUMNS.map((spec) => {
    const index = schema.fields.findIndex((f) => f.name === spec.name);
    const field = schema.fields[index];
    if (field === undefined) {
      throw new FordelingError(
        "FD_ERR_SCHEMA_MISMATCH",
        `required column is missing (found: ${schema.fields.map((f) => f.name).join(", ")})`,
        { file, column: spec.name },
      );
    }
    const type = field.type as { typeId: Type; bitWidth?: number; isSigned?: boolean };
    const bitWidth = spec.arrowType === "Uint8" ? 8 : 16;
    if (type.typeId !== Type.Int || type.bitWidth !== bitWidth || type.isSigned !== false) {
      throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `has type ${String(field.type)}, expected ${spec.arrowType}`, {
        file,
        column: spec.name,
      });
    }
    return index;
  });
}

function checkBatch(file: string, batch: RecordBatch, indices: number[], firstRow: number, geography: Geography): ResidentColumns {
  const rows = batch.numRows;
  const columns = {} as Record<ResidentColumnName, Uint8Array | Uint16Array>;
  RESIDENT_COLUMNS.forEach((spec, c) => {
    const vector = batch.getChildAt(indices[c]!);
    const data = vector?.data[0];
    if (vector === null || data === undefined || vector.data.length !== 1 || data.values.length < data.offset + rows) {
      throw new FordelingError("FD_ERR_ARROW_MALFORMED", "column data are incomplete", { file, column: spec.name, row: firstRow + 1 });
    }
    if (data.nullCount > 0) {
      const nullRow = [...Array(rows).keys()].find((r) => !vector.isValid(r)) ?? 0;
      throw new FordelingError("FD_ERR_BAD_VALUE", "is empty (null); every value is required", {
        file,
        column: spec.name,
        row: firstRow + nullRow + 1,
      });
    }
    const values = (data.values as Uint8Array | Uint16Array).subarray(data.offset, data.offset + rows);
    columns[spec.name] = values;
    // Codes are checked against the 98 below: any non-municipality is "unknown", in range or not.
    if (spec.name === "municipalityCode") return;
    for (let r = 0; r < rows; r++) {
      const v = values[r]!;
      if (v < spec.min || v > spec.max) {
        throw new FordelingError("FD_ERR_BAD_VALUE", `${v} is out of range (allowed ${spec.min} to ${spec.max}: ${spec.description})`, {
          file,
          column: spec.name,
          row: firstRow + r + 1,
        });
      }
    }
  });
  const codes = columns.municipalityCode;
  for (let r = 0; r < rows; r++) {
    if ((geography.municipalityIndexByCode[codes[r]!] ?? -1) < 0) {
      throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `${codes[r]} is not one of the 98 municipality codes`, {
        file,
        column: "municipalityCode",
        row: firstRow + r + 1,
      });
    }
  }
  return columns as unknown as ResidentColumns;
}

/** Validated batches, zero-copy views into the file's bytes. */
export function* readPopulationBatches(file: string, geography: Geography = defaultGeography()): Generator<PopulationBatch> {
  const { reader, schema } = openReader(file);
  const indices = checkSchema(file, schema);
  const locationIndex = locationColumnIndex(file, schema);
  let firstRow = 0;
  for (;;) {
    let next: IteratorResult<RecordBatch>;
    try {
      next = reader.next();
    } catch (cause) {
      throw malformed(file, cause);
    }
    if (next.done === true) break;
    const columns = checkBatch(file, next.value, indices, firstRow, geography);
    const locationIds = locationIndex < 0 ? undefined : uint16Values(file, next.value, locationIndex, LOCATION_COLUMN.name, firstRow);
    yield { columns, rows: next.value.numRows, firstRow, locationIds };
    firstRow += next.value.numRows;
  }
}

/** The whole file as one set of columns: meant for small files (tests, summaries of extracts). */
export function readPopulationColumns(file: string, geography: Geography = defaultGeography()): ResidentColumns {
  const batches = [...readPopulationBatches(file, geography)];
  const total = batches.reduce((s, b) => s + b.rows, 0);
  const all = allocateResidentColumns(total);
  for (const batch of batches) {
    for (const spec of RESIDENT_COLUMNS) all[spec.name].set(batch.columns[spec.name], batch.firstRow);
  }
  return all;
}

export function summarizePopulationFile(file: string, geography: Geography = defaultGeography()): PopulationSummary {
  const accumulator = new PopulationSummaryAccumulator(geography);
  for (const batch of readPopulationBatches(file, geography)) accumulator.add(batch.columns, batch.rows);
  return accumulator.result();
}

/** Seed, scale and generator tag stored by the generator, if present. */
export function readPopulationMetadata(file: string): Map<string, string> {
  return openReader(file).schema.metadata;
}
