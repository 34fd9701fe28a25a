import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultWeightTable } from "../../src/model/weightTable.js";
import { generatePopulationColumns } from "../../src/population/generate.js";
import { allocateResidentColumns } from "../../src/population/schema.js";
import { packBasePopulation } from "../../src/projection/basePopulation.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { makeTempDir } from "../api/helpers.js";

const BIN = join(import.meta.dirname, "../../bin/fordeling.js");
const temp = makeTempDir("fordeling-cli-bad-");
afterAll(() => temp.remove());

/** The real CLI in a child process: exit code and stderr as a user sees them. */
function cli(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const child = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: child.status, stderr: child.stderr, stdout: child.stdout };
}

const HEADER = "municipalityCode,sex,ageYears,civilStatus,education,chronicDiseaseCount,psychiatric,menapt,outsideLabourMarket,clinicId";

describe("bad CLI input gets a coded error on stderr", () => {
  it("reports convert --from <directory> as a coded error, not a silent exit 13", () => {
    const dir = join(temp.dir, "a-directory");
    mkdirSync(dir);
    const result = cli("convert", "--from", dir, "--out", join(temp.dir, "x.arrow"));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/FD_ERR_FILE_NOT_FOUND.*a-directory.*directory/u);
  });

  it("refuses a CSV header that names a column twice, in convert and in every parsed CSV", () => {
    const file = join(temp.dir, "twice.csv");
    writeFileSync(file, `${HEADER},sex\n101,0,40,0,0,0,0,0,0,65535,1\n`);
    const result = cli("convert", "--from", file, "--out", join(temp.dir, "y.arrow"));
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/FD_ERR_CSV_MALFORMED.*column 'sex'.*twice/u);
    const where = { file: "t.csv", column: "a", row: 1 };
    expect(() => parseCsv("a,b,a\n1,2,3\n", "t.csv")).toThrow(expect.objectContaining({ code: "FD_ERR_CSV_MALFORMED", location: where }));
  });

  it("reads --seed in decimal only: 0x10 is refused, not taken as 16", () => {
    const result = cli("project", "--seed", "0x10", "--out", join(temp.dir, "never"));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/FD_ERR_ARGUMENT.*--seed.*'0x10'/u);
  });

  it("checks that --out can be written before computing anything", () => {
    const blocker = join(temp.dir, "a-file");
    writeFileSync(blocker, "");
    const result = cli("project", "--replications", "1", "--out", join(blocker, "result"));
    expect(result.status).toBe(5);
    expect(result.stderr).toMatch(/FD_ERR_OUTPUT/u);
    expect(result.stderr).not.toMatch(/loading|generating|simulating/u);
  });
});

describe("populations the projection cannot honour", () => {
  const geography = defaultGeography();
  const register = makeSyntheticRegister(geography, { seed: 3, scale: 0.002 });

  it("refuses a population with no residents instead of a 'successful' empty projection", () => {
    expect(() => packBasePopulation(allocateResidentColumns(0), 0, geography, register, defaultWeightTable(), "empty.arrow")).toThrow(
      expect.objectContaining({ code: "FD_ERR_BAD_VALUE", location: { file: "empty.arrow" } }),
    );
  });

  it("refuses a resident listed with a clinic the register does not hold", () => {
    const columns = generatePopulationColumns({ seed: 3, scale: 0.002, geography, register });
    const missing = register.clinics.reduce((max, c) => Math.max(max, c.clinicId), 0) + 1;
    columns.clinicId[5] = missing;
    const rows = columns.municipalityCode.length;
    expect(() => packBasePopulation(columns, rows, geography, register, defaultWeightTable(), "p.arrow")).toThrow(
      expect.objectContaining({ code: "FD_ERR_BAD_VALUE", location: { file: "p.arrow", column: "clinicId", row: 5 } }),
    );
  });
});
