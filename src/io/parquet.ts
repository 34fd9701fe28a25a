import { parquetWriteBuffer, type BasicType } from "hyparquet-writer";
import type { Table, TableColumn } from "./table.js";

/**
 * A table as an Apache Parquet file: what DuckDB (built in, no extension to download), pandas,
 * polars and R read natively and what analysts archive. Written by hyparquet-writer with Snappy
 * compression (its default, and the codec every Parquet reader has). Types follow the Arrow
 * writer: utf8 strings, int32 for whole numbers, double for the rest; a column is optional only
 * when the table declares it nullable, so every run of a table has the same schema. Units and
 * the table name travel as key-value metadata (`fordeling.table`, `fordeling.units` as JSON).
 */
export function toParquet(table: Table): Uint8Array {
  const units = Object.fromEntries(table.columns.flatMap((c) => (c.unit === undefined ? [] : [[c.name, c.unit]])));
  const buffer = parquetWriteBuffer({
    columnData: table.columns.map((column) => ({
      name: column.name,
      data: column.values as (string | number | null)[],
      type: parquetTypeOf(column),
      nullable: column.nullable === true,
    })),
    kvMetadata: [
      { key: "fordeling.table", value: table.name },
      { key: "fordeling.units", value: JSON.stringify(units) },
    ],
    createdBy: "fordeling",
  });
  return new Uint8Array(buffer);
}

function parquetTypeOf(column: TableColumn): BasicType {
  switch (column.type) {
    case "string":
      return "STRING";
    case "int":
      return "INT32";
    case "float":
      return "DOUBLE";
  }
}
