import { readFileSync, writeFileSync } from "node:fs";
import { makeTestTempDir } from "../support/tempDirs.js";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { populationCsvToArrow } from "../../src/population/csvImport.js";
import { readPopulationColumns } from "../../src/population/read.js";
import { allocateResidentColumns, RESIDENT_COLUMNS, type ResidentColumns } from "../../src/population/schema.js";

const geography = defaultGeography();
const dir = makeTestTempDir("fordeling-population-bad-");
let fileCount = 0;

/** Three valid residents in København, Frederiksberg and Hjørring. */
function validColumns(): ResidentColumns {
  const columns = allocateResidentColumns(3);
  columns.municipalityCode.set([101, 147, 860]);
  columns.ageYears.set([0, 45, 105]);
  columns.sex.set([0, 1, 1]);
  columns.civilStatus.set([0, 1, 3]);
  columns.education.set([1, 3, 0]);
  columns.chronicDiseaseCount.set([0, 2, 7]);
  columns.clinicId.set([0, 1, 65535]);
  return columns;
}

function writeArrow(columns: Record<string, ArrayLike<number> & Iterable<number>>): string {
  const file = join(dir, `case-${fileCount++}.arrow`);
  writeFileSync(file, tableToIPC(tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]), "file"));
  return file;
}

function caught(run: () => unknown): FordelingError {
  try {
    run();
  } catch (error) {
    if (error instanceof FordelingError) return error;
    throw error;
  }
  throw new Error("expected a FordelingError");
}

async function caughtAsync(run: () => Promise<unknown>): Promise<FordelingError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof FordelingError) return error;
    throw error;
  }
  throw new Error("expected a FordelingError");
}

function writeCsv(lines: string[]): string {
  const file = join(dir, `case-${fileCount++}.csv`);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

const CSV_HEADER = RESIDENT_COLUMNS.map((c) => c.name).join(",");

describe("population file validation", () => {
  it("reads a valid file back unchanged", () => {
    const columns = validColumns();
    expect(readPopulationColumns(writeArrow({ ...columns }), geography)).toEqual(columns);
  });

  it("names a missing column (FD_ERR_SCHEMA_MISMATCH)", () => {
    const { menapt: _menapt, ...rest } = validColumns();
    const error = caught(() => readPopulationColumns(writeArrow(rest), geography));
    expect(error.code).toBe("FD_ERR_SCHEMA_MISMATCH");
    expect(error.location.column).toBe("menapt");
  });

  it("names a column of the wrong type (FD_ERR_SCHEMA_MISMATCH)", () => {
    const columns = validColumns();
    const error = caught(() => readPopulationColumns(writeArrow({ ...columns, sex: Int32Array.from(columns.sex) }), geography));
    expect(error.code).toBe("FD_ERR_SCHEMA_MISMATCH");
    expect(error.location.column).toBe("sex");
    expect(error.message).toMatch(/expected Uint8/u);
  });

  it("names column and row of an unknown municipality code (FD_ERR_UNKNOWN_MUNICIPALITY)", () => {
    const columns = validColumns();
    columns.municipalityCode[2] = 102;
    const error = caught(() => readPopulationColumns(writeArrow({ ...columns }), geography));
    expect(error).toMatchObject({ code: "FD_ERR_UNKNOWN_MUNICIPALITY", location: { column: "municipalityCode", row: 3 } });
  });

  it("names column and row of an age out of range (FD_ERR_BAD_VALUE)", () => {
    const columns = validColumns();
    columns.ageYears[1] = 111;
    const error = caught(() => readPopulationColumns(writeArrow({ ...columns }), geography));
    expect(error).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { column: "ageYears", row: 2 } });
    expect(error.message).toMatch(/allowed 0 to 110/u);
  });

  it("rejects any truncation of a valid file with FD_ERR_ARROW_MALFORMED", () => {
    const bytes = readFileSync(writeArrow({ ...validColumns() }));
    const file = join(dir, "truncated.arrow");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        writeFileSync(file, bytes.subarray(0, cut));
        expect(caught(() => readPopulationColumns(file, geography)).code).toBe("FD_ERR_ARROW_MALFORMED");
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it("reports a missing file as FD_ERR_FILE_NOT_FOUND", () => {
    expect(caught(() => readPopulationColumns(join(dir, "nope.arrow"), geography)).code).toBe("FD_ERR_FILE_NOT_FOUND");
  });
});

describe("population CSV import", () => {
  it("converts valid rows, grouping them by municipality in ascending code order", async () => {
    const csv = writeCsv([
      CSV_HEADER,
      "860,1,70,3,0,2,0,0,0,5",
      "101,0,30,1,2,0,1,1,1,65535",
      "147,1,0,0,1,0,0,0,0,7",
      "101,1,31,0,3,1,0,0,0,2",
    ]);
    const out = join(dir, "converted.arrow");
    expect(await populationCsvToArrow(csv, out, geography)).toEqual({ rows: 4 });
    const columns = readPopulationColumns(out, geography);
    expect([...columns.municipalityCode]).toEqual([101, 101, 147, 860]);
    expect([...columns.ageYears]).toEqual([30, 31, 0, 70]);
    expect([...columns.clinicId]).toEqual([65535, 2, 7, 5]);
  });

  it("names file, column and line of a bad value and writes nothing", async () => {
    const csv = writeCsv([CSV_HEADER, "101,0,30,1,2,0,1,1,1,0", "101,0,thirty,1,2,0,1,1,1,0"]);
    const out = join(dir, "never.arrow");
    const error = await caughtAsync(() => populationCsvToArrow(csv, out, geography));
    expect(error).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { file: csv, column: "ageYears", row: 3 } });
    expect(() => readFileSync(out)).toThrow();
  });

  it("names an unknown municipality and a missing column", async () => {
    const unknown = await caughtAsync(() =>
      populationCsvToArrow(writeCsv([CSV_HEADER, "999,0,30,1,2,0,1,1,1,0"]), join(dir, "x.arrow"), geography),
    );
    expect(unknown).toMatchObject({ code: "FD_ERR_UNKNOWN_MUNICIPALITY", location: { column: "municipalityCode", row: 2 } });
    const header = RESIDENT_COLUMNS.filter((c) => c.name !== "psychiatric")
      .map((c) => c.name)
      .join(",");
    const missing = await caughtAsync(() =>
      populationCsvToArrow(writeCsv([header, "101,0,30,1,2,0,1,1,0"]), join(dir, "x.arrow"), geography),
    );
    expect(missing).toMatchObject({ code: "FD_ERR_MISSING_COLUMN", location: { column: "psychiatric" } });
  });

  it("reports a broken CSV (unclosed quote, ragged row, no rows) as FD_ERR_CSV_MALFORMED", async () => {
    const broken = [
      writeCsv([CSV_HEADER, '101,0,"30,1,2,0,1,1,1,0']),
      writeCsv([CSV_HEADER, "101,0,30,1,2"]),
      writeCsv([CSV_HEADER]),
      writeCsv([]),
    ];
    for (const csv of broken) {
      expect((await caughtAsync(() => populationCsvToArrow(csv, join(dir, "x.arrow"), geography))).code, csv).toBe("FD_ERR_CSV_MALFORMED");
    }
  });
});
