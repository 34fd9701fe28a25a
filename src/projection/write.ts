import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { FordelingError } from "../errors.js";
import { aboutEntries, fordelingVersion } from "../io/about.js";
import { toArrowIpc } from "../io/arrow.js";
import { toCsv, type CsvDialect } from "../io/csv.js";
import { toParquet } from "../io/parquet.js";
import { roundTable } from "../io/round.js";
import { toXlsx } from "../io/xlsx.js";
import { councilMapSvg, fanChartSvg } from "./fanChart.js";
import { REPLICATION_FILES, replicationOutcomesToIpc, replicationParametersToIpc } from "../results/replicationArrow.js";
import type { ProjectionResult } from "./run.js";

/** File names of a result directory; the manifest is written last. */
export const RESULT_FILES = {
  council: "councils",
  municipality: "municipalities",
  national: "national",
  island: "islands",
  manifest: "manifest.json",
  fanChart: "fan-chart.svg",
  councilMap: "council-map.svg",
  workbook: "result.xlsx",
} as const;

const RESULT_TABLE_LEVELS = ["council", "municipality", "national", "island"] as const;

/** How the files for people are written; Arrow and Parquet always keep full precision. */
export interface ResultWriteOptions {
  csvDialect?: CsvDialect;
  /** Round the CSV and the workbook to the decimals the terminal shows. */
  round?: boolean;
}

/**
 * Writes a result as Arrow, Parquet and CSV per level, one Excel workbook (a sheet per level and
 * an "about" sheet with scenario, parameters, seed and versions), the per-replication Arrow
 * tables (src/results), an SVG fan chart, an SVG council map and manifest.json. Arrow is what the server reads back;
 * Parquet is for DuckDB, pandas and R; CSV and the workbook are for people (optionally rounded,
 * CSV optionally for Danish Excel). Everything goes
 * to a hidden temporary directory next to `outDir`, which is renamed into place only when
 * complete: an interrupted write leaves no partial result. An existing result directory (one
 * with a manifest) is replaced; any other non-empty directory is refused.
 */
export async function writeProjectionResult(result: ProjectionResult, outDir: string, options: ResultWriteOptions = {}): Promise<string[]> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const temp = join(parent, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(temp);
    const names: string[] = [];
    const forPeople = (table: ProjectionResult["tables"]["council"]) => (options.round === true ? roundTable(table) : table);
    for (const level of RESULT_TABLE_LEVELS) {
      const table = result.tables[level];
      const name = RESULT_FILES[level];
      await writeFile(join(temp, `${name}.arrow`), toArrowIpc(table));
      await writeFile(join(temp, `${name}.parquet`), toParquet(table));
      await writeFile(join(temp, `${name}.csv`), toCsv(forPeople(table), options.csvDialect));
      names.push(`${name}.arrow`, `${name}.parquet`, `${name}.csv`);
    }
    await writeFile(join(temp, REPLICATION_FILES.outcomes), replicationOutcomesToIpc(result.replications));
    await writeFile(
      join(temp, REPLICATION_FILES.parameters),
      replicationParametersToIpc(result.replications.replications, result.replications.parameters),
    );
    names.push(REPLICATION_FILES.outcomes, REPLICATION_FILES.parameters);
    if (result.municipalityReplications !== undefined) {
      await writeFile(join(temp, REPLICATION_FILES.municipalities), replicationOutcomesToIpc(result.municipalityReplications));
      names.push(REPLICATION_FILES.municipalities);
    }
    const { run: _run, ...about } = result.manifest;
    // Sheets are named like the files (councils, municipalities, national, islands).
    const workbookTables = RESULT_TABLE_LEVELS.map((level) => ({ ...forPeople(result.tables[level]), name: RESULT_FILES[level] }));
    await writeFile(
      join(temp, RESULT_FILES.workbook),
      await toXlsx(workbookTables, aboutEntries({ ...about, fordelingVersion: fordelingVersion() })),
    );
    names.push(RESULT_FILES.workbook);
    await writeFile(join(temp, RESULT_FILES.fanChart), fanChartSvg(result));
    await writeFile(join(temp, RESULT_FILES.councilMap), councilMapSvg(result));
    names.push(RESULT_FILES.fanChart, RESULT_FILES.councilMap);
    await writeFile(
      join(temp, RESULT_FILES.manifest),
      JSON.stringify({ ...result.manifest, files: [...names, RESULT_FILES.manifest] }, null, 2) + "\n",
    );
    names.push(RESULT_FILES.manifest);
    await replaceDirectory(temp, target);
    return names.map((n) => join(target, n));
  } catch (cause) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (cause instanceof FordelingError) throw cause;
    throw new FordelingError("FD_ERR_OUTPUT", `cannot write the result: ${(cause as Error).message}`, { file: target }, { cause });
  }
}

async function replaceDirectory(temp: string, target: string): Promise<void> {
  if (!existsSync(target)) {
    await rename(temp, target);
    return;
  }
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(RESULT_FILES.manifest)) {
    throw new FordelingError("FD_ERR_OUTPUT", "the output directory exists and is not a projection result; choose another --out", {
      file: target,
    });
  }
  // Move the old result aside first, so the target always holds one whole result.
  const old = `${temp}.old`;
  await rename(target, old);
  try {
    await rename(temp, target);
  } catch (error) {
    await rename(old, target);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}
