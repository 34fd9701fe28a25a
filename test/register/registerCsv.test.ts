import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { REGISTER_COLUMNS, readRegisterCsv, writeRegisterCsv } from "../../src/register/registerCsv.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { caught, tempDir, writeTemp } from "./helpers.js";

const geography = defaultGeography();
const HEADER = REGISTER_COLUMNS.join(",");
// Two clinics in København (101), one tendered clinic in Lolland (360).
const VALID = [HEADER, "1,0,101,45,1,0", "2,0,101,67,0.5,0", "3,1,101,38,2,0", "4,7,360,52,1,1"];

function readLines(lines: string[]) {
  const file = writeTemp("register.csv", lines.join("\n") + "\n");
  return { file, read: () => readRegisterCsv(file, geography) };
}
/** Replaces data row `row` (1 = first GP) with `line`; its file line number is row + 1. */
function withRow(row: number, line: string): string[] {
  return VALID.map((l, i) => (i === row ? line : l));
}

describe("readRegisterCsv: bad input", () => {
  it("rejects an empty file and a header without rows as FD_ERR_REGISTER, naming the file", () => {
    for (const text of ["", "  \n\n", "\uFEFF"]) {
      const file = writeTemp("empty.csv", text);
      const error = caught(() => readRegisterCsv(file, geography));
      expect(error.code).toBe("FD_ERR_REGISTER");
      expect(error.location).toEqual({ file });
    }
    const { file, read } = readLines([HEADER]);
    expect(caught(read)).toMatchObject({ code: "FD_ERR_REGISTER", location: { file, row: 2 } });
  });

  it("rejects a missing file", () => {
    expect(caught(() => readRegisterCsv("/nonexistent/register.csv", geography)).code).toBe("FD_ERR_FILE_NOT_FOUND");
  });

  it("rejects a row with the wrong number of fields as malformed CSV", () => {
    const { read } = readLines(withRow(2, "2,0,101,67"));
    expect(caught(read).code).toBe("FD_ERR_CSV_MALFORMED");
  });

  it("rejects each missing column, naming it", () => {
    for (const column of REGISTER_COLUMNS) {
      const keep = REGISTER_COLUMNS.map((c, i) => (c === column ? -1 : i)).filter((i) => i >= 0);
      const { file, read } = readLines(VALID.map((l) => keep.map((i) => l.split(",")[i]).join(",")));
      expect(caught(read)).toMatchObject({ code: "FD_ERR_MISSING_COLUMN", location: { file, column } });
    }
  });

  it("rejects non-numbers and fractions where whole numbers are required, naming file, row and column", () => {
    const cases: [string, string][] = [
      ["x,0,101,45,1,0", "gp_id"],
      ["1,zero,101,45,1,0", "clinic_id"],
      ["1,0,,45,1,0", "municipality_code"],
      ["1,0,101,old,1,0", "gp_age_years"],
      ["1,0,101,45,one,0", "capacity"],
      ["1,0,101,45,1,yes", "tendered"],
      ["1.5,0,101,45,1,0", "gp_id"],
      ["1,0,101,45.5,1,0", "gp_age_years"],
    ];
    for (const [line, column] of cases) {
      const { file, read } = readLines(withRow(1, line));
      expect(caught(read)).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { file, row: 2, column } });
    }
  });

  it("rejects a municipality code that is not one of the 98", () => {
    const { file, read } = readLines(withRow(4, "4,7,102,52,1,1"));
    const error = caught(read);
    expect(error).toMatchObject({ code: "FD_ERR_UNKNOWN_MUNICIPALITY", location: { file, row: 5, column: "municipality_code" } });
    expect(error.message).toMatch(/102/u);
  });

  it("rejects ages outside 25–90 and accepts both bounds", () => {
    for (const age of [24, 91, -1]) {
      const { file, read } = readLines(withRow(3, `3,1,101,${age},2,0`));
      expect(caught(read)).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { file, row: 4, column: "gp_age_years" } });
    }
    for (const age of [25, 90]) expect(readLines(withRow(3, `3,1,101,${age},2,0`)).read().gps[2]?.ageYears).toBe(age);
  });

  it("rejects capacities outside (0, 3] and accepts 3 and small fractions", () => {
    for (const capacity of ["0", "-0.5", "3.01", "4"]) {
      const { file, read } = readLines(withRow(2, `2,0,101,67,${capacity},0`));
      const error = caught(read);
      expect(error).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { file, row: 3, column: "capacity" } });
      expect(error.message).toMatch(/allowed above 0 and up to 3/u);
    }
    for (const capacity of [3, 0.01]) expect(readLines(withRow(2, `2,0,101,67,${capacity},0`)).read().gps[1]?.capacity).toBe(capacity);
  });

  it("rejects clinic ids beyond 65534 (65535 means 'no clinic') and tendered flags other than 0 and 1", () => {
    expect(caught(readLines(withRow(4, "4,65535,360,52,1,1")).read)).toMatchObject({
      code: "FD_ERR_BAD_VALUE",
      location: { row: 5, column: "clinic_id" },
    });
    expect(caught(readLines(withRow(4, "4,7,360,52,1,2")).read)).toMatchObject({
      code: "FD_ERR_BAD_VALUE",
      location: { row: 5, column: "tendered" },
    });
  });

  it("rejects a clinic listed in two municipalities, naming both rows", () => {
    const { file, read } = readLines(withRow(2, "2,0,147,67,0.5,0"));
    const error = caught(read);
    expect(error).toMatchObject({ code: "FD_ERR_REGISTER", location: { file, row: 3, column: "municipality_code" } });
    expect(error.message).toMatch(/clinic 0 is listed in municipality 147 here and in 101 at row 2/u);
  });

  it("rejects a clinic with mixed tendered flags", () => {
    const { file, read } = readLines(withRow(2, "2,0,101,67,0.5,1"));
    expect(caught(read)).toMatchObject({ code: "FD_ERR_REGISTER", location: { file, row: 3, column: "tendered" } });
  });

  it("rejects a duplicate gp_id, naming both rows", () => {
    const { file, read } = readLines(withRow(4, "1,7,360,52,1,1"));
    const error = caught(read);
    expect(error).toMatchObject({ code: "FD_ERR_REGISTER", location: { file, row: 5, column: "gp_id" } });
    expect(error.message).toMatch(/gp_id 1 appears twice \(first at row 2\)/u);
  });
});

describe("register CSV", () => {
  it("groups GPs into clinics with summed capacities, whatever the column order, ignoring extra columns", () => {
    const reordered = VALID.map((l) => {
      const [gp, clinic, code, age, capacity, tendered] = l.split(",");
      return [tendered, capacity, age, code, clinic, gp, l === HEADER ? "note" : "x"].join(",");
    });
    const register = readLines(reordered).read();
    expect(register.clinics.map((c) => [c.clinicId, c.municipalityCode, c.capacities, c.tendered, c.gpIds])).toEqual([
      [0, 101, 1.5, false, [1, 2]],
      [1, 101, 2, false, [3]],
      [7, 360, 1, true, [4]],
    ]);
    expect(register.clinicIndexById[7]).toBe(2);
    expect(register.clinicIndexById[2]).toBe(-1);
  });

  it("round-trips a national register exactly: write then read gives the same register", () => {
    const register = makeSyntheticRegister(geography, { seed: 11 });
    const file = join(tempDir(), "nested", "register.csv");
    writeRegisterCsv(register, file);
    expect(readRegisterCsv(file, geography)).toEqual(register);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("gp_id,clinic_id,municipality_code,gp_age_years,capacity,tendered,lat,lon");
    expect(lines).toHaveLength(register.gps.length + 1);
  });

  it("replaces an existing file whole and leaves no temporary file behind", () => {
    const dir = tempDir();
    const file = join(dir, "register.csv");
    writeFileSync(file, "old contents\n");
    const register = makeSyntheticRegister(geography, { seed: 3, scale: 0.01 });
    writeRegisterCsv(register, file);
    expect(readdirSync(dir)).toEqual(["register.csv"]);
    expect(readRegisterCsv(file, geography)).toEqual(register);
  });

  it("fails with FD_ERR_OUTPUT when the target cannot be written, leaving nothing behind", () => {
    const dir = tempDir();
    const target = join(dir, "is-a-directory");
    mkdirSync(target);
    const register = makeSyntheticRegister(geography, { seed: 3, scale: 0.001 });
    expect(caught(() => writeRegisterCsv(register, target))).toMatchObject({ code: "FD_ERR_OUTPUT", location: { file: target } });
    expect(readdirSync(dir)).toEqual(["is-a-directory"]);
    expect(readdirSync(target)).toEqual([]);
    // A parent that is a file: the directory cannot even be made.
    writeFileSync(join(dir, "plain-file"), "");
    expect(caught(() => writeRegisterCsv(register, join(dir, "plain-file", "x.csv"))).code).toBe("FD_ERR_OUTPUT");
    expect(readdirSync(dir).sort()).toEqual(["is-a-directory", "plain-file"]);
  });
});
