import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { tableFromIPC } from "apache-arrow";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { runFordeling } from "./helpers.js";

/**
 * The compiled CLI as a real child process (run `npm run build` first; `npm test` does), on a
 * small generated population (scale 0.002, about 12,000 residents) in a temporary directory.
 */
const fordeling = (...args: string[]) => runFordeling(dir, ...args);

let dir: string;
let population: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fordeling-weigh-"));
  population = join(dir, "pop.arrow");
  const generated = await fordeling("generate", "--scale", "0.002", "--seed", "7", "--out", population);
  expect(generated.code, generated.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fordeling weigh: arguments", () => {
  it("explains every option and its allowed values in --help", async () => {
    const { code, stdout } = await fordeling("weigh", "--help");
    expect(code).toBe(0);
    for (const option of ["--population", "--weights", "--register", "--threads", "--format", "--out", "--by", "--as-of"]) {
      expect(stdout).toContain(option);
    }
    const text = stdout.replace(/\s+/gu, " "); // commander wraps help at the terminal width
    expect(text).toContain("table, csv, json, arrow, parquet, xlsx");
    expect(text).toContain("council, municipality, clinic, region, national");
  });

  it.each([
    [["--by", "county"], "--by", "council, municipality, clinic, region, national"],
    [["--format", "ods"], "--format", "table, csv, json, arrow, parquet, xlsx"],
    [["--threads", "0"], "--threads", "from 1 to 64"],
    [["--threads", "two"], "--threads", "from 1 to 64"],
    [["--as-of", "2026-02-30"], "--as-of", "YYYY-MM-DD"],
    [["--out", "result.ods"], "--out", ".csv, .json, .arrow"],
    [["--csv-dialect", "excel"], "--csv-dialect", "rfc4180, excel-da"],
  ])("rejects %j with FD_ERR_ARGUMENT naming %s and the allowed values", async (args, option, allowed) => {
    const { code, stderr, stdout } = await fordeling("weigh", "--population", population, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain("FD_ERR_ARGUMENT");
    expect(stderr).toContain(option);
    expect(stderr).toContain(allowed);
    expect(stdout).toBe("");
  });

  it("names a population file that does not exist", async () => {
    const { code, stderr } = await fordeling("weigh", "--population", join(dir, "nope.arrow"));
    expect(code).toBe(2);
    expect(stderr).toMatch(/FD_ERR_FILE_NOT_FOUND: .*nope\.arrow/u);
  });

  it("rejects a weight table with a missing age group before weighing, naming the file and field", async () => {
    const table = JSON.parse(readFileSync(join(PACKAGE_ROOT, "data", "model", "illustrative-2026.json"), "utf8")) as {
      baseWeight: { man: number[] };
    };
    table.baseWeight.man.pop();
    const file = join(dir, "short-table.json");
    writeFileSync(file, JSON.stringify(table));
    const { code, stderr } = await fordeling("weigh", "--population", population, "--weights", file);
    expect(code).toBe(3);
    expect(stderr).toMatch(/FD_ERR_WEIGHT_TABLE: .*short-table\.json, field '\/baseWeight\/man'/u);
  });

  it("rejects a weight table under which a resident could weigh less than 0, naming the combination", async () => {
    const text = readFileSync(join(PACKAGE_ROOT, "data", "model", "illustrative-2026.json"), "utf8");
    const table = JSON.parse(text) as { contributions: Record<string, unknown> };
    table.contributions["longHigherEducation"] = -5;
    const file = join(dir, "negative-table.json");
    writeFileSync(file, JSON.stringify(table));
    const { code, stderr, stdout } = await fordeling("weigh", "--population", population, "--weights", file);
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /FD_ERR_NONPOSITIVE_WEIGHT: .*negative-table\.json: a man aged 10–14, .*long higher education.* would weigh -4\.8/u,
    );
    expect(stdout).toBe("");
  });

  it("asks for --register when a population has no register next to it", async () => {
    const lonely = join(dir, "lonely.arrow");
    copyFileSync(population, lonely);
    const { code, stderr } = await fordeling("weigh", "--population", lonely);
    expect(code).toBe(2);
    expect(stderr).toMatch(/FD_ERR_ARGUMENT: field '--register': no GP register found .*lonely\.register\.csv/u);
  });
});

describe("fordeling weigh: results", () => {
  it("prints the council table with all 17 councils and a national summary", async () => {
    const { code, stdout, stderr } = await fordeling("weigh", "--population", population, "--as-of", "2026-06-01");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("as of 2026-06-01");
    expect(stdout.match(/^Sundhedsråd /gmu)).toHaveLength(17);
    expect(stdout).toMatch(/Nationally: need [\d,.]+, supply [\d,.]+/u);
    expect(stderr).toMatch(/weighed [\d,]+ residents/u);
  });

  it("writes municipalities as CSV with 98 rows that a CSV parser reads, and nothing else in the directory", async () => {
    const out = join(dir, "municipalities.csv");
    const { code, stderr } = await fordeling(
      "weigh",
      "--population",
      population,
      "--by",
      "municipality",
      "--out",
      out,
      "--as-of",
      "2026-12-31",
    );
    expect(code, stderr).toBe(0);
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(98);
    const islands = rows.filter((r) => r["island_no_bridge"] === "1");
    expect(islands.length).toBeGreaterThan(0);
    expect(islands.every((r) => r["island_exception"] === "1")).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("ends the island exception from 1 January 2027", async () => {
    const { stdout } = await fordeling(
      "weigh",
      "--population",
      population,
      "--by",
      "municipality",
      "--format",
      "json",
      "--as-of",
      "2027-01-01",
    );
    const rows = JSON.parse(stdout) as { island_exception: number; island_no_bridge: number }[];
    expect(rows.filter((r) => r.island_no_bridge === 1).length).toBeGreaterThan(0);
    expect(rows.every((r) => r.island_exception === 0)).toBe(true);
  });

  it("prints per council the corrected and uncorrected average weight and minimum list side by side", async () => {
    const { code, stdout, stderr } = await fordeling("weigh", "--population", population, "--as-of", "2026-06-01");
    expect(code, stderr).toBe(0);
    const header = stdout.split("\n").find((line) => line.includes("council_name")) ?? "";
    const order = [
      "average_weight",
      "average_weight_uncorrected",
      "minimum_patients_per_capacity",
      "minimum_patients_per_capacity_uncorrected",
    ];
    const at = order.map((name) => header.search(new RegExp(`\\b${name}\\b`, "u")));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(stdout).toContain("Ceiling in force: fixed 2025-12-31 (ordinance)");
  });

  it("says the end-2026 ceiling is in force on 31 December 2026 and counts a projected population", async () => {
    const { code, stdout, stderr } = await fordeling(
      "weigh",
      "--population",
      population,
      "--by",
      "national",
      "--format",
      "json",
      "--as-of",
      "2026-12-31",
      "--ceiling-replications",
      "2",
    );
    expect(code, stderr).toBe(0);
    type Row = { ceiling_in_force: string; ceiling_basis: string; ceiling_population: string; ceiling_need: number; need: number };
    const [row] = JSON.parse(stdout) as Row[];
    expect(row?.ceiling_in_force).toBe("2026-12-31");
    expect(row?.ceiling_basis).toBe("ordinance, projected population");
    expect(row?.ceiling_population).toMatch(/population projected .* to end 2026, mean of 2 replications/u);
    expect(row?.ceiling_need).not.toBe(row?.need);
    expect(stderr).toMatch(/projecting the population to end 2026/u);
  });

  it("writes clinics as an Arrow IPC file with one row per register clinic", async () => {
    const out = join(dir, "clinics.arrow");
    const { code, stderr } = await fordeling("weigh", "--population", population, "--by", "clinic", "--out", out);
    expect(code, stderr).toBe(0);
    const table = tableFromIPC(readFileSync(out));
    const register = readFileSync(join(dir, "pop.register.csv"), "utf8").trim().split("\n").slice(1);
    expect(table.numRows).toBe(new Set(register.map((line) => line.split(",")[1])).size);
    expect(String(table.schema.fields.find((f) => f.name === "minimum_patients_per_capacity")?.type)).toBe("Float64");
  });

  it("writes Parquet that DuckDB reads to the CSV's numbers, with snake_case columns", async () => {
    const out = join(dir, "councils.parquet");
    const written = await fordeling("weigh", "--population", population, "--out", out, "--as-of", "2026-12-31");
    expect(written.code, written.stderr).toBe(0);
    const csv = await fordeling("weigh", "--population", population, "--format", "csv", "--as-of", "2026-12-31");
    const csvRows = parse(csv.stdout, {
      columns: true,
      cast: (v, c) => (v === "" ? null : c.header || Number.isNaN(Number(v)) ? v : Number(v)),
    }) as Record<string, unknown>[];
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const rows = (await duck.runAndReadAll(`SELECT * FROM read_parquet('${out}')`)).getRowObjectsJS();
    duck.closeSync();
    expect(rows).toHaveLength(17);
    expect(Object.keys(rows[0] ?? {})).toContain("new_capacities_allowed");
    expect(rows).toEqual(csvRows);
  });

  it("writes an xlsx workbook with a sheet per level and an about sheet", async () => {
    const out = join(dir, "weigh.xlsx");
    const { code, stderr } = await fordeling("weigh", "--population", population, "--out", out);
    expect(code, stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["councils", "municipalities", "clinics", "regions", "national", "about"]);
    expect(workbook.getWorksheet("municipalities")?.rowCount).toBe(99);
    expect(typeof workbook.getWorksheet("councils")?.getRow(2).getCell(4).value).toBe("number");
  });

  it("writes CSV for Danish Excel with --csv-dialect excel-da, rounded with --round", async () => {
    const { code, stdout, stderr } = await fordeling(
      "weigh",
      "--population",
      population,
      "--format",
      "csv",
      "--csv-dialect",
      "excel-da",
      "--round",
    );
    expect(code, stderr).toBe(0);
    expect(stdout.startsWith("\uFEFFcouncil_id;council_name;")).toBe(true);
    expect(stdout).toContain("Sundhedsråd");
    const need = (parse(stdout, { bom: true, delimiter: ";", columns: true }) as Record<string, string>[]).map((r) => r["need"] ?? "");
    expect(need.every((v) => /^-?\d+(,\d)?$/u.test(v))).toBe(true);
  });

  it("gives the same numbers with 1 and 2 threads", async () => {
    const one = await fordeling("weigh", "--population", population, "--by", "council", "--format", "csv", "--threads", "1");
    const two = await fordeling("weigh", "--population", population, "--by", "council", "--format", "csv", "--threads", "2");
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    expect(one.stdout.split("\r\n")).toHaveLength(17 + 2);
  });

  it("leaves no output file when the output directory does not exist", async () => {
    const out = join(dir, "no-such-dir", "councils.csv");
    const { code, stderr } = await fordeling("weigh", "--population", population, "--out", out);
    expect(code).toBe(5);
    expect(stderr).toContain("FD_ERR_OUTPUT");
    expect(existsSync(out)).toBe(false);
  });
});
