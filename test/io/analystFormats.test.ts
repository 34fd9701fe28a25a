import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/io/csv.js";
import { toParquet } from "../../src/io/parquet.js";
import { roundTable } from "../../src/io/round.js";
import { makeTable, type Table } from "../../src/io/table.js";
import { toXlsx } from "../../src/io/xlsx.js";
import { sampleTable } from "./sampleTable.js";

/** The CSV of a table read back by a CSV parser: numbers as numbers, empty fields as null. */
function csvRecords(table: Table): Record<string, string | number | null>[] {
  const rows = parse(toCsv(table), { columns: true }) as Record<string, string>[];
  return rows.map((row) =>
    Object.fromEntries(
      table.columns.map((c) => {
        const text = row[c.name] ?? "";
        return [c.name, c.type === "string" ? text : text === "" ? null : Number(text)];
      }),
    ),
  );
}

/** A second table with a unit and a float that has no exact short decimal. */
function needTable(): Table {
  return makeTable("councils", [
    { name: "council_id", type: "string", values: ["north", "south"] },
    { name: "year", type: "int", values: [2026, 2027] },
    { name: "residents", type: "int", unit: "persons", values: [1_234_567, 0] },
    { name: "need", type: "float", unit: "capacities", decimals: 1, values: [2.8489659685863877, 1 / 3] },
  ]);
}

describe("Parquet, read back by DuckDB (an independent reader)", () => {
  let dir: string;
  let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fordeling-parquet-"));
    duck = await (await DuckDBInstance.create(":memory:")).connect();
  });
  afterAll(() => {
    duck.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  async function readParquet(table: Table): Promise<{ rows: Record<string, unknown>[]; types: string[]; names: string[] }> {
    const file = join(dir, `${table.name}.parquet`);
    writeFileSync(file, toParquet(table));
    const reader = await duck.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return {
      rows: reader.getRowObjectsJS() as Record<string, unknown>[],
      types: reader.columnTypes().map(String),
      names: reader.columnNames(),
    };
  }

  it("holds the same values as the CSV, nulls and awkward text included", async () => {
    for (const table of [sampleTable(), needTable()]) {
      const { rows, names } = await readParquet(table);
      expect(names).toEqual(table.columns.map((c) => c.name));
      expect(rows).toEqual(csvRecords(table));
    }
  });

  it("types columns as VARCHAR, INTEGER and DOUBLE and compresses them with Snappy", async () => {
    const { types } = await readParquet(needTable());
    expect(types).toEqual(["VARCHAR", "INTEGER", "INTEGER", "DOUBLE"]);
    const file = join(dir, "councils.parquet");
    const codecs = await duck.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
    expect(codecs.getRowObjectsJS()).toEqual([{ compression: "SNAPPY" }]);
  });

  it("keeps the table name and the units as file metadata", async () => {
    const file = join(dir, "meta.parquet");
    writeFileSync(file, toParquet(needTable()));
    const reader = await duck.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}') ORDER BY k`);
    expect(reader.getRowObjectsJS()).toEqual([
      { k: "fordeling.table", v: "councils" },
      { k: "fordeling.units", v: JSON.stringify({ residents: "persons", need: "capacities" }) },
    ]);
  });

  it("writes an empty table as a file with the columns and no rows", async () => {
    const empty = makeTable("empty", [
      { name: "council_id", type: "string", values: [] },
      { name: "need", type: "float", values: [] },
    ]);
    const { rows, names } = await readParquet(empty);
    expect(rows).toEqual([]);
    expect(names).toEqual(["council_id", "need"]);
  });
});

describe("xlsx, read back by exceljs (an independent reader)", () => {
  async function readWorkbook(tables: readonly Table[]): Promise<ExcelJS.Workbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      Buffer.from(
        await toXlsx(tables, [
          ["seed", 7],
          ["scenario", "baseline"],
        ]),
      ) as unknown as ArrayBuffer,
    );
    return workbook;
  }

  it("has a sheet per table, then an about sheet, and the same numbers as the CSV", async () => {
    const tables = [sampleTable(), needTable()];
    const workbook = await readWorkbook(tables);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["sample", "councils", "about"]);
    for (const table of tables) {
      const sheet = workbook.getWorksheet(table.name);
      const header = (sheet!.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(table.columns.map((c) => c.name));
      const records = csvRecords(table).map((_, r) =>
        Object.fromEntries(
          table.columns.map((c, i) => [c.name, sheet?.getRow(r + 2).getCell(i + 1).value ?? (c.type === "string" ? "" : null)]),
        ),
      );
      expect(records).toEqual(csvRecords(table));
    }
  });

  it("stores numbers as numbers with display formats: decimals, grouping, plain years", async () => {
    const sheet = (await readWorkbook([needTable()])).getWorksheet("councils");
    const row = sheet?.getRow(2);
    expect(typeof row?.getCell(4).value).toBe("number");
    expect(row?.getCell(4).numFmt).toBe("#,##0.0");
    expect(row?.getCell(3).numFmt).toBe("#,##0");
    expect(row?.getCell(2).numFmt ?? "General").toBe("General");
  });

  it("lists the about entries as key/value rows", async () => {
    const sheet = (await readWorkbook([needTable()])).getWorksheet("about");
    expect([2, 3].map((r) => (sheet!.getRow(r).values as unknown[]).slice(1))).toEqual([
      ["seed", 7],
      ["scenario", "baseline"],
    ]);
  });
});

describe("CSV for Danish Excel and rounding", () => {
  it("writes excel-da with a byte-order mark, semicolons and decimal commas", () => {
    const csv = toCsv(needTable(), "excel-da");
    expect(csv.startsWith("\uFEFFcouncil_id;year;residents;need\r\n")).toBe(true);
    expect(csv.split("\r\n")[1]).toBe("north;2026;1234567;2,8489659685863877");
  });

  it("quotes a field that holds a semicolon in excel-da and leaves commas in text alone", () => {
    const table = makeTable("t", [{ name: "name", type: "string", values: ["a;b", "Lolland, Falster"] }]);
    expect(toCsv(table, "excel-da")).toBe('\uFEFFname\r\n"a;b"\r\nLolland, Falster\r\n');
  });

  it("rounds floats to their column's decimals only when asked, half away from zero, never to -0", () => {
    const table = makeTable("t", [
      { name: "need", type: "float", decimals: 1, values: [2.8489659685863877, 0.25, -0.04, 1.05] },
      { name: "code", type: "int", values: [101, 102, 103, 104] },
    ]);
    expect(roundTable(table).columns[0]?.values).toEqual([2.8, 0.3, 0, 1.1]);
    expect(Object.is(roundTable(table).columns[0]?.values[2], -0)).toBe(false);
    expect(roundTable(table).columns[1]).toBe(table.columns[1]);
    expect(toCsv(table).split("\r\n")[1]).toBe("2.8489659685863877,101");
  });
});
