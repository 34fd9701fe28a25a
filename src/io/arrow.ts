import {
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from "apache-arrow";
import type { Table, TableColumn } from "./table.js";

/**
 * A table as an Arrow IPC *file* (the random-access format with footer that DuckDB's
 * `read_arrow`/arrow extension, pyarrow, polars and R arrow open directly): utf8 for text,
 * int32 for whole numbers, float64 for the rest, one record batch. Nullability comes from the
 * column declaration, not from the data, so every run of the same table has the same schema.
 */
export function toArrowIpc(table: Table): Uint8Array {
  const schema = arrowSchemaFor(table);
  const children = table.columns.map((column, c) => {
    const type = schema.fields[c]?.type as DataType;
    // vectorFromArray turns null into a validity bit; makeTable has ruled out NaN and undefined.
    return vectorFromArray(column.values as unknown[], type).data[0];
  });
  const data = makeData({
    type: new Struct(schema.fields),
    length: table.rowCount,
    nullCount: 0,
    children: children.filter((d) => d !== undefined),
  });
  return tableToIPC(new ArrowTable(schema, [new RecordBatch(schema, data)]), "file");
}

export function arrowSchemaFor(table: Table): Schema {
  const fields = table.columns.map((column) => {
    const metadata = new Map<string, string>();
    if (column.unit !== undefined) metadata.set("unit", column.unit);
    return new Field(column.name, arrowTypeOf(column), column.nullable === true, metadata);
  });
  return new Schema(fields, new Map([["fordeling.table", table.name]]));
}

function arrowTypeOf(column: TableColumn): DataType {
  switch (column.type) {
    case "string":
      return new Utf8();
    case "int":
      return new Int32();
    case "float":
      return new Float64();
  }
}
