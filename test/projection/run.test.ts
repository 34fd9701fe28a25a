import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { tableFromIPC } from "apache-arrow";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { openKernelPoolCount } from "../../src/kernel/pool.js";
import { FordelingError } from "../../src/errors.js";
import { baselineScenario } from "../../src/model/scenario.js";
import { runProjection, type ProjectionRequest, type ProjectionResult } from "../../src/projection/run.js";
import { writeProjectionResult } from "../../src/projection/write.js";
import { makeSmallWorld } from "./fixture.js";

// Workers run the compiled dist/ code: `npm run build` before these tests (npm test does).
let world: Awaited<ReturnType<typeof makeSmallWorld>>;
const request = (over: Partial<ProjectionRequest> = {}): ProjectionRequest => ({
  scenario: baselineScenario(),
  replications: 6,
  seed: 11,
  horizonYear: 2027,
  populationFile: world.populationFile,
  registerFile: world.registerFile,
  threads: 2,
  ...over,
});
const tablesOf = (r: ProjectionResult) => r.tables;

beforeAll(async () => {
  world = await makeSmallWorld();
});

describe("runProjection", () => {
  it("rejects a bad request naming the field and the allowed range", async () => {
    await expect(runProjection(request({ replications: 0 }))).rejects.toThrow(/replications must be a whole number from 1/u);
    await expect(runProjection(request({ horizonYear: 2025 }))).rejects.toThrow(/horizon must be a year from 2026/u);
    await expect(runProjection(request({ seed: -1 }))).rejects.toThrow(/seed/u);
  });

  it("gives identical tables for 1 and 2 threads", async () => {
    const one = await runProjection(request({ threads: 1 }));
    const two = await runProjection(request({ threads: 2 }));
    expect(tablesOf(two)).toEqual(tablesOf(one));
    expect(two.replications).toEqual(one.replications);
    expect(openKernelPoolCount()).toBe(0);
  });

  it("is deterministic by seed: the same seed repeats, another seed differs", async () => {
    const a = await runProjection(request({ seed: 5 }));
    const b = await runProjection(request({ seed: 5 }));
    const c = await runProjection(request({ seed: 6 }));
    expect(tablesOf(b)).toEqual(tablesOf(a));
    expect(tablesOf(c)).not.toEqual(tablesOf(a));
  });

  it("reports progress per replication and a manifest naming scenario, seed and data versions", async () => {
    const seen: number[] = [];
    const result = await runProjection(request({ replications: 3 }), {
      onProgress: (p) => p.phase === "simulating" && seen.push(p.completedUnits),
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(result.manifest).toMatchObject({ seed: 11, replications: 3, horizonYear: 2027, baseYear: 2025, scenario: { id: "baseline" } });
    expect(result.manifest.dataVersions.population.sha256).toMatch(/^[0-9a-f]{64}$/u);
    const years = result.tables.national.columns.find((c) => c.name === "year")?.values;
    expect(years).toEqual([2025, 2026, 2027]);
  });

  it("rejects with FD_ERR_CANCELLED when aborted, stops its workers and writes nothing", async () => {
    const controller = new AbortController();
    const out = join(world.dir, "cancelled");
    const run = runProjection(request({ replications: 400 }), {
      signal: controller.signal,
      onProgress: (p) => p.completedUnits === 2 && controller.abort(),
    }).then((r) => writeProjectionResult(r, out));
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FordelingError);
    expect((error as FordelingError).code).toBe("FD_ERR_CANCELLED");
    expect(openKernelPoolCount()).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(world.dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});

describe("writeProjectionResult", () => {
  it("writes Arrow, CSV, a fan chart, a council map and the manifest, readable back, and replaces an earlier result", async () => {
    const result = await runProjection(request({ replications: 2 }));
    const out = join(world.dir, "result");
    await writeProjectionResult(result, out);
    const files = await writeProjectionResult(result, out);
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      "council-map.svg",
      "councils.arrow",
      "councils.csv",
      "councils.parquet",
      "fan-chart.svg",
      "islands.arrow",
      "islands.csv",
      "islands.parquet",
      "manifest.json",
      "municipalities.arrow",
      "municipalities.csv",
      "municipalities.parquet",
      "national.arrow",
      "national.csv",
      "national.parquet",
      "replication-parameters.arrow",
      "replications.arrow",
      "result.xlsx",
    ]);
    const councils = tableFromIPC(readFileSync(join(out, "councils.arrow")));
    expect(councils.numRows).toBe(17 * 3);
    expect(readFileSync(join(out, "municipalities.csv"), "utf8").split("\r\n")[0]).toMatch(
      /^municipality_code,municipality_name,council_id,year,/u,
    );
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))).toMatchObject({ kind: "fordeling.projection", seed: 11 });
    const fan = readFileSync(join(out, "fan-chart.svg"), "utf8");
    expect(fan).toMatch(/^<svg/u);
    expect(fan).toContain("Need, P5–P95");
    expect(fan).toContain("Hovedstaden");
    const map = readFileSync(join(out, "council-map.svg"), "utf8");
    expect(map).toContain("Gap (supply − need), 2027");
    expect(map.match(/<path/gu)?.length).toBeGreaterThanOrEqual(17);
  });

  it("writes Parquet (read by DuckDB) and a workbook (read by exceljs) with the CSV's numbers; --round only rounds CSV and xlsx", async () => {
    const result = await runProjection(request({ replications: 3 }));
    const out = join(world.dir, "analyst");
    await writeProjectionResult(result, out, { round: true, csvDialect: "excel-da" });
    const csv = readFileSync(join(out, "national.csv"), "utf8");
    expect(csv.startsWith("\uFEFFcountry;year;")).toBe(true);
    const csvRows = parse(csv, { bom: true, delimiter: ";", columns: true }) as Record<string, string>[];
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const parquetRows = (await duck.runAndReadAll(`SELECT * FROM read_parquet('${join(out, "national.parquet")}')`)).getRowObjectsJS();
    duck.closeSync();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, "result.xlsx"));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["councils", "municipalities", "national", "islands", "about"]);
    const sheet = workbook.getWorksheet("national");
    const header = (sheet!.getRow(1).values as unknown[]).slice(1) as string[];
    const stored = result.tables.national;
    expect(parquetRows).toHaveLength(stored.rowCount);
    stored.columns.forEach((column, c) => {
      for (let row = 0; row < stored.rowCount; row++) {
        const full = column.values[row] ?? null;
        // Parquet keeps full precision; CSV (decimal comma) and the sheet hold the same rounded figure.
        expect(parquetRows[row]?.[column.name], column.name).toEqual(full);
        const shown = csvRows[row]?.[column.name] ?? "";
        const csvValue = column.type === "string" ? shown : shown === "" ? null : Number(shown.replace(",", "."));
        expect(header[c]).toBe(column.name);
        expect(sheet?.getRow(row + 2).getCell(c + 1).value ?? null, column.name).toEqual(csvValue);
        if (column.type === "float" && full !== null) expect(Math.abs(Number(csvValue) - Number(full))).toBeLessThanOrEqual(0.5);
      }
    });
    const aboutRows = (workbook.getWorksheet("about")?.getSheetValues() ?? []).slice(2) as unknown[][];
    const about = new Map(aboutRows.map((r) => [r[1], r[2]]));
    expect(about.get("seed")).toBe(11);
    expect(about.get("replications")).toBe(3);
    expect(about.get("scenario.id")).toBe("baseline");
    expect(about.get("fordelingVersion")).toMatch(/^\d+\.\d+\.\d+/u);
  });

  it("refuses to replace a directory that is not a result, leaving it and no temporary files", async () => {
    const result = await runProjection(request({ replications: 1 }));
    const out = join(world.dir, "not-a-result");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "mine");
    await expect(writeProjectionResult(result, out)).rejects.toMatchObject({ code: "FD_ERR_OUTPUT" });
    expect(readdirSync(out)).toEqual(["notes.txt"]);
    expect(readdirSync(world.dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
