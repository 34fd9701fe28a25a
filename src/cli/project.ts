import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { FordelingError } from "../errors.js";
import { addProjectionRunOptions, checkProjectionData, projectionData, type ProjectionRunFlags } from "./projectionOptions.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { formatTable } from "../io/terminal.js";
import { baselineScenario, loadScenario } from "../model/scenario.js";
import { BASE_YEAR } from "../projection/replication.js";
import { runProjection, type ProjectionProgress } from "../projection/run.js";
import { writeProjectionResult } from "../projection/write.js";

interface ProjectFlags extends ProjectionRunFlags {
  scenario?: string;
  out: string;
}

/** A progress bar with ETA on stderr when it is a terminal; one line per phase otherwise. */
function progressBar(): { onProgress: (p: ProjectionProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar({ stream: process.stderr, format: "{phase} [{bar}] {value}/{total} replications | ETA {etaText}", hideCursor: true });
  let started = false;
  let phase = "";
  return {
    onProgress: (p) => {
      const payload = { phase: p.phase.padEnd(11), etaText: p.etaSeconds === undefined ? "…" : `${Math.ceil(p.etaSeconds)}s` };
      if (!tty) {
        if (p.phase !== phase) process.stderr.write(`fordeling: ${p.phase}…\n`);
        phase = p.phase;
        return;
      }
      if (!started) {
        bar.start(p.totalUnits, p.completedUnits, payload);
        started = true;
      } else bar.update(p.completedUnits, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** The council table the terminal shows: the headline columns of the result. */
export function councilSummaryTable(council: Table): Table {
  const pick = (name: string): TableColumn => {
    const column = council.columns.find((c) => c.name === name);
    if (column === undefined) throw new FordelingError("FD_ERR_INTERNAL", `the council table has no column '${name}'`);
    return column;
  };
  const year = pick("year");
  return makeTable("councils", [
    pick("council_name"),
    // Shown as text so the terminal does not print 2,026.
    { name: "year", type: "string", values: year.values.map((v) => String(v)) },
    pick("need_p50"),
    { ...pick("need_p5"), name: "need_p5" },
    { ...pick("need_p95"), name: "need_p95" },
    pick("supply_p50"),
    pick("gap_mean"),
    pick("p_short"),
    pick("ceiling_p50"),
    pick("without_gp_mean"),
    pick("min_list_p50_mean"),
  ]);
}

export function makeProjectCommand(): Command {
  const command = new Command("project")
    .summary("Monte Carlo projection of capacity against need (the main job)")
    .description(
      "Monte Carlo projection of GP capacity against need per health council, municipality and year " +
        `(from the end of ${BASE_YEAR}): residents simulated one by one in WASM, GPs and clinics under the cap rule.\n\n` +
        "Writes Arrow + CSV tables, a fan chart and a manifest to --out and prints the council table.",
    )
    .option("--scenario <file>", "scenario file (JSON or YAML) of overrides on the baseline parameters; default: the baseline")
    .option("--out <dir>", "result directory (replaced if it holds an earlier result)", "projection-result");
  return addProjectionRunOptions(command, "seed, 0…4294967295: the same seed gives the same result on any thread count")
    .action(async (flags: ProjectFlags) => {
      checkProjectionData(flags);
      const scenario = flags.scenario === undefined ? baselineScenario() : loadScenario(flags.scenario);
      const data = await projectionData(flags);
      const progress = progressBar();
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once("SIGINT", onSigint);
      try {
        const result = await runProjection(
          { scenario, replications: flags.replications, seed: flags.seed, horizonYear: flags.horizon, ...data, ...(flags.threads !== undefined ? { threads: flags.threads } : {}) },
          { onProgress: progress.onProgress, signal: controller.signal },
        );
        progress.stop();
        const files = await writeProjectionResult(result, flags.out);
        const m = result.manifest;
        process.stdout.write(
          formatTable(councilSummaryTable(result.tables.council), {
            title: `Scenario ${m.scenario.id}: ${m.replications} replications, seed ${m.seed}, ${BASE_YEAR}–${m.horizonYear} (capacities; P5–P95 over replications)`,
          }) + "\n",
        );
        process.stderr.write(`fordeling: wrote ${files.length} files to ${flags.out} in ${m.run.wallSeconds.toFixed(1)} s (${m.run.threads} threads)\n`);
      } finally {
        progress.stop();
        process.removeListener("SIGINT", onSigint);
      }
    });
}
