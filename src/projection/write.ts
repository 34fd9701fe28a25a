import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { FordelingError } from "../errors.js";
import { toArrowIpc } from "../io/arrow.js";
import { toCsv } from "../io/csv.js";
import { councilMapSvg, fanChartSvg } from "./fanChart.js";
import type { ProjectionResult } from "./run.js";

/** File names of a result directory; the manifest is written last. */
export const RESULT_FILES = {
  council: "councils",
  municipality: "municipalities",
  national: "national",
  manifest: "manifest.json",
  fanChart: "fan-chart.svg",
  councilMap: "council-map.svg",
} as const;

/**
 * Writes a result as Arrow + CSV per level, an SVG fan chart, an SVG council map and manifest.json. Everything goes
 * to a hidden temporary directory next to `outDir`, which is renamed into place only when
 * complete: an interrupted write leaves no partial result. An existing result directory (one
 * with a manifest) is replaced; any other non-empty directory is refused.
 */
export async function writeProjectionResult(result: ProjectionResult, outDir: string): Promise<string[]> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const temp = join(parent, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(temp);
    const names: string[] = [];
    for (const level of ["council", "municipality", "national"] as const) {
      const table = result.tables[level];
      const name = RESULT_FILES[level];
      await writeFile(join(temp, `${name}.arrow`), toArrowIpc(table));
      await writeFile(join(temp, `${name}.csv`), toCsv(table));
      names.push(`${name}.arrow`, `${name}.csv`);
    }
    await writeFile(join(temp, RESULT_FILES.fanChart), fanChartSvg(result));
    await writeFile(join(temp, RESULT_FILES.councilMap), councilMapSvg(result));
    names.push(RESULT_FILES.fanChart, RESULT_FILES.councilMap);
    await writeFile(join(temp, RESULT_FILES.manifest), JSON.stringify({ ...result.manifest, files: [...names, RESULT_FILES.manifest] }, null, 2) + "\n");
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
    throw new FordelingError("FD_ERR_OUTPUT", "the output directory exists and is not a projection result; choose another --out", { file: target });
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
