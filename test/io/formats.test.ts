import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { toArrowIpc } from "../../src/io/arrow.js";
import { toCsv } from "../../src/io/csv.js";
import { toJson } from "../../src/io/json.js";
import { makeTable } from "../../src/io/table.js";
import { formatTable } from "../../src/io/terminal.js";
import { formatFromFileName, serializeTable } from "../../src/io/writeTable.js";
import { sampleTable } from "./sampleTable.js";

const GOLDEN_DIR = join(import.meta.dirname, "golden");
/** `UPDATE_GOLDEN=1 npx vitest run test/io` rewrites the golden files after a deliberate change. */
function expectGolden(name: string, actual: string | Uint8Array): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, actual);
  const expected = readFileSync(file);
  expect(Buffer.from(actual).equals(expected), `${name} differs from its golden file`).toBe(true);
}

describe("table formats", () => {
  it("prints an empty table as its header and says it has no rows", () => {
    const empty = makeTable("empty", [
      { name: "council", type: "string", values: [] },
      { name: "need", type: "float", values: [] },
    ]);
    expect(formatTable(empty)).toBe("council  need\n-------  ----\n(no rows)\n");
    expect(toCsv(empty)).toBe("council,need\r\n");
    expect(toJson(empty)).toBe("[]\n");
    const back = tableFromIPC(toArrowIpc(empty));
    expect(back.numRows).toBe(0);
    expect(back.schema.fields.map((f) => f.name)).toEqual(["council", "need"]);
  });

  it("aligns the terminal table with thousands separators, column decimals and a dash for null", () => {
    expectGolden("sample.txt", formatTable(sampleTable()));
    const text = formatTable(sampleTable());
    expect(text).toContain("1,234,567");
    expect(text).toContain("3.60");
    expect(text).not.toContain("-0.00");
    expect(text).toContain("–");
    expect(text.split("\n")).toHaveLength(2 + 5 + 1);
  });

  it("writes RFC 4180 CSV that a CSV parser reads back to the same values", () => {
    const csv = toCsv(sampleTable());
    expectGolden("sample.csv", csv);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["municipality"])).toEqual(["Ærø", "Lolland, Falster", 'The "Isle"', "Two\nlines", ""]);
    expect(rows.map((r) => Number(r["need"]))).toEqual([3.6041666666666665, 27.25, 0, -0.004, 1e21]);
    expect(rows[1]?.["averageWeight"]).toBe("");
    expect(csv).toContain(",1234567,");
    expect(csv).not.toContain("1,234,567");
  });

  it("tells an empty string from null in CSV", () => {
    const csv = toCsv(sampleTable());
    const lastRecord = csv.split("\r\n").at(-2);
    expect(lastRecord).toBe('"",2147483647,12,1e+21,1');
    expect(csv).toContain('Lolland, Falster",360,39847,27.25,\r\n');
  });

  it("writes JSON as an array of records with null for undefined values", () => {
    const json = toJson(sampleTable());
    expectGolden("sample.json", json);
    const records = JSON.parse(json) as Record<string, unknown>[];
    expect(records).toHaveLength(5);
    expect(records[0]).toEqual({ municipality: "Ærø", code: 492, residents: 5766, need: 3.6041666666666665, averageWeight: 1.25 });
    expect(records[1]?.["averageWeight"]).toBeNull();
    expect(Object.keys(records[0] ?? {})).toEqual(["municipality", "code", "residents", "need", "averageWeight"]);
  });

  it("writes an Arrow IPC file with utf8, int32 and float64 columns that reads back exactly", () => {
    const bytes = toArrowIpc(sampleTable());
    expectGolden("sample.arrow", bytes);
    // The file format starts and ends with the magic "ARROW1".
    expect(Buffer.from(bytes.subarray(0, 6)).toString()).toBe("ARROW1");
    expect(Buffer.from(bytes.subarray(-6)).toString()).toBe("ARROW1");
    const back = tableFromIPC(bytes);
    expect(back.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([
      ["municipality", "Utf8", false],
      ["code", "Int32", false],
      ["residents", "Int32", false],
      ["need", "Float64", false],
      ["averageWeight", "Float64", true],
    ]);
    expect(back.schema.metadata.get("fordeling.table")).toBe("sample");
    expect(back.schema.fields[3]?.metadata.get("unit")).toBe("capacities");
    expect(back.getChild("need")?.toArray()).toEqual(new Float64Array([3.6041666666666665, 27.25, 0, -0.004, 1e21]));
    expect(back.getChild("averageWeight")?.get(1)).toBeNull();
    expect(back.getChild("municipality")?.get(3)).toBe("Two\nlines");
  });

  it("takes the format from the file ending and names the allowed endings otherwise", async () => {
    expect(formatFromFileName("out/councils.CSV")).toBe("csv");
    expect(formatFromFileName("x.feather")).toBe("arrow");
    expect(formatFromFileName("x.json")).toBe("json");
    expect(formatFromFileName("x.parquet")).toBe("parquet");
    expect(formatFromFileName("x.xlsx")).toBe("xlsx");
    expect(() => formatFromFileName("x.ods")).toThrow(/\.csv, \.json, \.arrow.*\.parquet, \.xlsx/u);
    expect(await serializeTable(sampleTable(), "csv")).toBe(toCsv(sampleTable()));
  });
});
