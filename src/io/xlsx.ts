import writeXlsxFile, { type Cell, type Row, type Sheet } from "write-excel-file/node";
import type { Table, TableColumn } from "./table.js";
import { DEFAULT_DECIMALS } from "./terminal.js";

/** One line of the "about" sheet: what the figures are (scenario, parameters, seed, versions). */
export type AboutEntry = readonly [key: string, value: string | number];

/** The sheet that says where the figures come from; always the last sheet of a workbook. */
export const ABOUT_SHEET = "about";

/**
 * Tables as an Excel workbook (.xlsx): one sheet per table, named after it, and an "about"
 * sheet of key/value rows. Numbers stay numbers (Excel sums and charts them) and carry a
 * display format from the column: floats with the column's decimals and thousands grouping,
 * counts with a unit grouped, codes, years and flags plain. The format only changes what
 * Excel shows; the cell keeps full precision. Excel applies the reader's own separators, so
 * one file reads as 1.234,5 in Danish Excel and 1,234.5 in English. Written by
 * write-excel-file, with the header row frozen.
 */
export async function toXlsx(tables: readonly Table[], about: readonly AboutEntry[]): Promise<Uint8Array> {
  const sheets: Sheet<never>[] = tables.map((table) => ({
    sheet: sheetName(table.name),
    data: [table.columns.map((c): Cell => ({ value: c.name, fontWeight: "bold" })), ...rowsOf(table)],
    columns: table.columns.map((c) => ({ width: Math.max(10, Math.min(40, c.name.length + 2)) })),
    stickyRowsCount: 1,
  }));
  sheets.push({
    sheet: ABOUT_SHEET,
    data: [
      [
        { value: "key", fontWeight: "bold" },
        { value: "value", fontWeight: "bold" },
      ],
      ...about.map(([key, value]): Row => [{ value: key }, { value }]),
    ],
    columns: [{ width: 28 }, { width: 60 }],
  });
  const buffer = await writeXlsxFile(sheets).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function rowsOf(table: Table): Row[] {
  const formats = table.columns.map(numberFormatOf);
  const rows: Row[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    rows.push(
      table.columns.map((column, c): Cell => {
        const value = column.values[row] ?? null;
        if (value === null) return null;
        if (typeof value === "string") return { value, type: String };
        const format = formats[c];
        return format === undefined ? { value, type: Number } : { value, type: Number, format };
      }),
    );
  }
  return rows;
}

/** Excel number formats: `#,##0.0` for a float with 1 decimal, `#,##0` for counts with a unit. */
function numberFormatOf(column: TableColumn): string | undefined {
  if (column.type === "float") {
    const decimals = column.decimals ?? DEFAULT_DECIMALS;
    return decimals === 0 ? "#,##0" : `#,##0.${"0".repeat(decimals)}`;
  }
  // Years, codes, ids and 0/1 flags have no unit and must not show as 2.026 or 1.01.
  if (column.type === "int" && column.unit !== undefined) return "#,##0";
  return undefined;
}

/** Excel allows 31 characters and none of []:*?/\ in a sheet name. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/gu, "_").slice(0, 31) || "table";
}
