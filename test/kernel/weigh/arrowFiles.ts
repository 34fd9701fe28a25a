import { writeFileSync } from "node:fs";
import { Field, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, type DataType } from "apache-arrow";
import { makeResidentSchema, RESIDENT_COLUMNS, type ResidentColumns } from "../../../src/population/schema.js";

/**
 * Small Arrow IPC population files for tests, written with apache-arrow itself: the resident
 * schema, record batches of `batchRows`, and hooks to break the schema on purpose.
 */
export interface ArrowFileOptions {
  batchRows?: number;
  format?: "file" | "stream";
  /** Replace or drop (null) fields by name, to build wrong schemas. */
  fieldOverrides?: Record<string, { type: DataType; data: ArrayLike<number> & ArrayBufferView } | null>;
  /** Make one value null (the field becomes nullable). */
  nullAt?: { column: string; row: number };
}

export function populationIpc(columns: ResidentColumns, options: ArrowFileOptions = {}): Uint8Array {
  const rows = columns.municipalityCode.length;
  const batchRows = Math.max(1, options.batchRows ?? rows);
  const base = makeResidentSchema();
  const specs = RESIDENT_COLUMNS.map((spec, i) => {
    const override = options.fieldOverrides?.[spec.name];
    if (override === null) return undefined;
    const field = base.fields[i]!;
    const nullable = options.nullAt?.column === spec.name;
    return override === undefined
      ? {
          field: nullable ? new Field(spec.name, field.type, true) : field,
          data: columns[spec.name] as ArrayBufferView & ArrayLike<number>,
        }
      : { field: new Field(spec.name, override.type, nullable), data: override.data };
  }).filter((s) => s !== undefined);
  const schema = new Schema(
    specs.map((s) => s.field),
    base.metadata,
  );
  const batches: RecordBatch[] = [];
  for (let begin = 0; begin < rows || (rows === 0 && begin === 0); begin += batchRows) {
    const length = Math.min(batchRows, rows - begin);
    const children = specs.map((s) => {
      const typed = s.data as unknown as { subarray(a: number, b: number): ArrayBufferView };
      const nullRow = options.nullAt?.column === s.field.name ? options.nullAt.row - begin : -1;
      if (nullRow < 0 || nullRow >= length) {
        return makeData({ type: s.field.type, length, nullCount: 0, data: typed.subarray(begin, begin + length) as never });
      }
      const nullBitmap = new Uint8Array(Math.ceil(length / 8)).fill(0xff);
      nullBitmap[nullRow >> 3]! &= ~(1 << (nullRow & 7));
      return makeData({ type: s.field.type, length, nullCount: 1, nullBitmap, data: typed.subarray(begin, begin + length) as never });
    });
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children })));
    if (rows === 0) break;
  }
  return tableToIPC(new Table(schema, batches), options.format ?? "file");
}

export function writePopulationFile(file: string, columns: ResidentColumns, options: ArrowFileOptions = {}): string {
  writeFileSync(file, populationIpc(columns, options));
  return file;
}
