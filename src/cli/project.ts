import { join } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { FordelingError } from "../errors.js";
import type { CsvDialect } from "../io/csv.js";
import { addTableOutputOptions, wholeNumber } from "./options.js";
import { checkOutputDirWritable } from "./outputDir.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { formatTable } from "../io/terminal.js";
import { baselineScenario, loadScenario } from "../model/scenario.js";
import { ensureDefaultData } from "../population/defaults.js";
import { BASE_YEAR } from "../projection/replication.js";
import { MAX_HORIZON_YEAR, MAX_REPLICATIONS, runProjection, type ProjectionProgress } from "../projection/run.js";
import { writeProjectionResult } from "../projection/write.js";
import { importResult } from "../runs/importResult.js";
import { openDistributedExecutor } from "../distributed/distributedRun.js";
import { addDistributedOptions, distributedOptionsOf, type DistributedFlags } from "./distributedOptions.js";

const DEFAULT_OUT = "projection-result";

interface ProjectFlags extends DistributedFlags {
  scenario?: string;
  replications: number;
  seed: number;
  horizon: number;
  threads?: number;
  out?: string;
  store?: string;
  population?: string;
  register?: string;
  csvDialect: CsvDialect;
  round?: boolean;
  keepMunicipalities?: boolean;
}

/** A progress bar with ETA on stderr when it is a terminal; one line per phase otherwise. */
function progressBar(): { onProgress: (p: ProjectionProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar({
    stream: process.stderr,
    format: "{phase} [{bar}] {value}/{total} replications | ETA {etaText}",
    hideCursor: true,
  });
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
        "Writes Arrow, Parquet and CSV tables, an Excel workbook, a fan chart and a council map (SVG) and a manifest to --out " +
        "and prints the council table.",
    )
    .option("--scenario <file>", "scenario file (JSON or YAML) of overrides on the baseline parameters; default: the baseline")
    .addOption(
      new Option("--replications <n>", `replications, 1…${MAX_REPLICATIONS}`)
        .default(200)
        .argParser(wholeNumber("--replications", 1, MAX_REPLICATIONS)),
    )
    .addOption(
      new Option("--seed <n>", "seed, 0…4294967295: the same seed gives the same result on any thread count")
        .default(1)
        .argParser(wholeNumber("--seed", 0, 0xffffffff)),
    )
    .addOption(
      new Option("--horizon <year>", `last year simulated, ${BASE_YEAR + 1}…${MAX_HORIZON_YEAR}`)
        .default(2027)
        .argParser(wholeNumber("--horizon", BASE_YEAR + 1, MAX_HORIZON_YEAR)),
    )
    .addOption(new Option("--threads <n>", "worker threads (default: available cores)").argParser(wholeNumber("--threads", 1, 64)))
    .option("--out <dir>", "result directory (replaced if it holds an earlier result); default projection-result, or none with --store")
    .option("--store <dataDir>", "also keep the result as a run of this data dir, where `fordeling serve --data-dir` finds it")
    .option("--population <file>", "population Arrow file (default: the built-in synthetic population, generated once)")
    .option("--register <file>", "GP register CSV (default: the built-in synthetic register)")
    .option(
      "--keep-municipalities",
      "also keep every replication per municipality (replications_municipalities.arrow, for compare, sensitivity and " +
        "decompose --level municipality; about 5 × the size of replications.arrow)",
    )
    .action(async (flags: ProjectFlags) => {
      const distributedOptions = distributedOptionsOf(flags);
      if ((flags.population === undefined) !== (flags.register === undefined)) {
        throw new FordelingError(
          "FD_ERR_ARGUMENT",
          "give both --population and --register (the population's clinic ids refer to the register), or neither",
          { field: "--register" },
        );
      }
      // With --store alone the result is written inside the data dir (same file system) and moved in whole.
      const out = flags.out ?? (flags.store === undefined ? DEFAULT_OUT : join(flags.store, `.project-${process.pid}.tmp`));
      checkOutputDirWritable(out, flags.out !== undefined || flags.store === undefined ? "--out" : "--store");
      const scenario = flags.scenario === undefined ? baselineScenario() : loadScenario(flags.scenario);
      const data =
        flags.population !== undefined && flags.register !== undefined
          ? { populationFile: flags.population, registerFile: flags.register }
          : await ensureDefaultData();
      const progress = progressBar();
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once("SIGINT", onSigint);
      const distributed = distributedOptions === undefined ? undefined : await openDistributedExecutor(distributedOptions);
      try {
        const result = await runProjection(
          {
            scenario,
            replications: flags.replications,
            seed: flags.seed,
            horizonYear: flags.horizon,
            ...data,
            ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
            ...(flags.keepMunicipalities === true ? { keepMunicipalities: true } : {}),
          },
          {
            onProgress: progress.onProgress,
            signal: controller.signal,
            ...(distributed !== undefined ? { executor: distributed.executor } : {}),
          },
        );
        progress.stop();
        const files = await writeProjectionResult(result, out, { csvDialect: flags.csvDialect, round: flags.round === true });
        const m = result.manifest;
        process.stdout.write(
          formatTable(councilSummaryTable(result.tables.council), {
            title: `Scenario ${m.scenario.id}: ${m.replications} replications, seed ${m.seed}, ${BASE_YEAR}–${m.horizonYear} (capacities; P5–P95 over replications)`,
          }) + "\n",
        );
        if (flags.out !== undefined || flags.store === undefined) {
          process.stderr.write(
            `fordeling: wrote ${files.length} files to ${out} in ${m.run.wallSeconds.toFixed(1)} s (${m.run.threads > 0 ? `${m.run.threads} threads` : "distributed"})\n`,
          );
        }
        if (flags.store !== undefined) {
          const { record } = await importResult(out, flags.store, { move: flags.out === undefined });
          process.stderr.write(`fordeling: stored as run ${record.id} in ${flags.store} (fordeling serve --data-dir ${flags.store})\n`);
        }
      } finally {
        progress.stop();
        process.removeListener("SIGINT", onSigint);
        await distributed?.close();
      }
    });
  return addDistributedOptions(addTableOutputOptions(command));
}
