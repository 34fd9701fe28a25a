import { existsSync, readdirSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { FordelingError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import { makeTable, pickColumns } from "../io/table.js";
import { formatTable } from "../io/terminal.js";
import { writeTable } from "../io/writeTable.js";
import { baselineScenario, loadScenario } from "../model/scenario.js";
import { runProjection } from "../projection/run.js";
import { writeProjectionResult } from "../projection/write.js";
import {
  columnOfKey,
  parseVary,
  sweepChart,
  sweepGrid,
  sweepScenarios,
  sweepTable,
  type SweepAxis,
  type SweepPoint,
} from "../results/sweep.js";
import { addProjectionRunOptions, checkProjectionData, projectionData, type ProjectionRunFlags } from "./projectionOptions.js";

interface SweepFlags extends ProjectionRunFlags {
  scenario?: string;
  vary: SweepAxis[];
  out: string;
}

export const SWEEP_FILES = { manifest: "sweep.json", table: "sweep", chart: "sweep.svg", points: "points" } as const;

export function makeSweepCommand(): Command {
  const command = new Command("sweep")
    .summary("run a scenario over a grid of parameter values, paired by a common seed")
    .description(
      "Runs the scenario at every combination of the --vary values, each with the same seed (so the points share their " +
        "replications' draws and differences between them are paired), and writes to --out: sweep.arrow/.parquet/.csv (outcome against " +
        "the parameter values per council, nation and year, with the paired difference from the first point), sweep.svg, " +
        "sweep.json and each point's result under points/. See docs/ANALYSIS.md.",
    )
    .option("--scenario <file>", "scenario file whose overrides every point starts from; default: the baseline")
    .option(
      "--vary <key=from:to:step>",
      "a parameter and its values, e.g. training.placesPerYear=350:550:50; repeat for a grid",
      (v: string, all: SweepAxis[]) => [...all, parseVary(v)],
      [] as SweepAxis[],
    )
    .option("--out <dir>", "sweep directory (replaced if it holds an earlier sweep)", "sweep-result");
  return addProjectionRunOptions(command, "seed, 0…4294967295, shared by every point").action(async (flags: SweepFlags) => {
    checkProjectionData(flags);
    if (existsSync(flags.out) && readdirSync(flags.out).length > 0 && !existsSync(join(flags.out, SWEEP_FILES.manifest))) {
      throw new FordelingError("FD_ERR_OUTPUT", "the output directory exists and is not a sweep; choose another --out", {
        file: flags.out,
      });
    }
    const grid = sweepGrid(flags.vary);
    const base = flags.scenario === undefined ? baselineScenario() : loadScenario(flags.scenario);
    const scenarios = sweepScenarios(base, grid);
    const data = await projectionData(flags);
    // An earlier sweep in --out is replaced: its points go first, so none is left over.
    if (existsSync(join(flags.out, SWEEP_FILES.manifest))) await rm(join(flags.out, SWEEP_FILES.points), { recursive: true, force: true });
    await mkdir(join(flags.out, SWEEP_FILES.points), { recursive: true });
    const points: SweepPoint[] = [];
    const dirs: string[] = [];
    for (const [k, scenario] of scenarios.entries()) {
      const label = Object.entries(grid[k] ?? {})
        .map(([key, v]) => `${key} = ${v}`)
        .join(", ");
      process.stderr.write(`fordeling: point ${k + 1}/${scenarios.length}: ${label}\n`);
      const result = await runProjection({
        scenario,
        replications: flags.replications,
        seed: flags.seed,
        horizonYear: flags.horizon,
        ...data,
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      });
      const dir = join(SWEEP_FILES.points, String(k).padStart(3, "0"));
      await writeProjectionResult(result, join(flags.out, dir));
      dirs.push(dir);
      points.push({ values: grid[k] ?? {}, data: result.replications });
    }
    const table = sweepTable(flags.vary, points);
    await writeTable(table, "arrow", join(flags.out, `${SWEEP_FILES.table}.arrow`));
    await writeTable(table, "parquet", join(flags.out, `${SWEEP_FILES.table}.parquet`));
    await writeTable(table, "csv", join(flags.out, `${SWEEP_FILES.table}.csv`));
    await writeFileAtomic(join(flags.out, SWEEP_FILES.chart), sweepChart(flags.vary, points));
    const manifest = {
      kind: "fordeling.sweep",
      scenario: base,
      axes: flags.vary,
      seed: flags.seed,
      replications: flags.replications,
      horizonYear: flags.horizon,
      points: grid.map((values, k) => ({ values, dir: dirs[k] })),
      createdAt: new Date().toISOString(),
    };
    await writeFileAtomic(join(flags.out, SWEEP_FILES.manifest), JSON.stringify(manifest, null, 2) + "\n");
    const lastYear = flags.horizon;
    const keep = Array.from({ length: table.rowCount }, (_, i) => i).filter(
      (i) =>
        table.columns.find((c) => c.name === "area_id")?.values[i] === "DK" &&
        table.columns.find((c) => c.name === "year")?.values[i] === lastYear,
    );
    const picked = pickColumns(table, [
      ...flags.vary.map((a) => columnOfKey(a.key)),
      "gap_mean",
      "gap_p5",
      "gap_p95",
      "p_short",
      "gap_difference_vs_first",
    ]);
    const screen = makeTable(
      "sweep",
      picked.columns.map((c) => ({ ...c, values: keep.map((i) => c.values[i] ?? null) })) as typeof picked.columns,
    );
    process.stdout.write(
      formatTable(screen, { title: `Denmark ${lastYear}: ${base.id} swept over ${grid.length} points, seed ${flags.seed} (capacities)` }) +
        "\n",
    );
    process.stderr.write(`fordeling: wrote the sweep to ${flags.out}\n`);
  });
}
