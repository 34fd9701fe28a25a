import { Command, Option } from "commander";
import { writeFileAtomic } from "../io/atomic.js";
import { makeTable, pickColumns } from "../io/table.js";
import { sensitivityTornado } from "../results/analysisCharts.js";
import { COMPARED_METRICS } from "../results/compare.js";
import { readRun } from "../results/readRun.js";
import { sensitivity } from "../results/sensitivity.js";
import { choice } from "./options.js";
import {
  addAreaSelectionOptions,
  addAnalysisOutputOptions,
  checkTableOutput,
  emitTable,
  type AreaSelectionFlags,
  type TableOutputFlags,
} from "./tableOutput.js";

interface SensitivityFlags extends TableOutputFlags, AreaSelectionFlags {
  outcome: string;
}

const SHOWN_PER_AREA = 3;

export function makeSensitivityCommand(): Command {
  const command = new Command("sensitivity")
    .summary("which uncertain parameters drive the gap, per council and year")
    .description(
      "Partial rank correlation of each drawn parameter with an outcome (default the gap) over a run's replications, per " +
        "health council, the nation and year, with a 95 % interval and the share of the outcome's spread the parameters explain. " +
        "The terminal shows the three strongest per area in the last year; --out has every row; --chart draws a tornado. " +
        "See docs/ANALYSIS.md.",
    )
    .argument("<dir>", "result directory written by `fordeling project --out`")
    .addOption(
      new Option("--outcome <column>", "outcome to explain").default("gap").argParser(
        choice(
          "--outcome",
          COMPARED_METRICS.map((m) => m.column),
        ),
      ),
    );

  const help = {
    year: "only this year (default: every simulated year)",
    chart: "write a tornado chart (SVG) of --chart-area in --year (default: the last year)",
  };
  return addAnalysisOutputOptions(addAreaSelectionOptions(command, help)).action(async (dir: string, flags: SensitivityFlags) => {
    checkTableOutput(flags);
    const run = await readRun(dir, dir, { municipalities: flags.level === "municipality" });
    const s = sensitivity(run.data, {
      outcome: flags.outcome,
      level: flags.level,
      ...(flags.year !== undefined ? { year: flags.year } : {}),
      ...(flags.area !== undefined ? { area: flags.area } : {}),
    });
    for (const warning of s.warnings) process.stderr.write(`fordeling: warning: ${warning}\n`);
    const shownYear = flags.year ?? run.data.years[run.data.years.length - 1] ?? 0;
    if (flags.chart !== undefined) {
      await writeFileAtomic(flags.chart, sensitivityTornado(s, run.data, flags.chartArea, shownYear));
      process.stderr.write(`fordeling: wrote ${flags.chart}\n`);
    }
    const full = s.table;
    const rows = s.rows.map((r, i) => ({ r, i })).filter(({ r }) => run.data.years[r.yearIndex] === shownYear && r.rank <= SHOWN_PER_AREA);
    rows.sort((p, q) => p.r.areaIndex - q.r.areaIndex || p.r.rank - q.r.rank);
    const picked = pickColumns(full, ["area_name", "year", "parameter", "rank", "prcc", "prcc_ci95_low", "prcc_ci95_high", "r_squared"]);
    const screen = makeTable(
      "sensitivity",
      picked.columns.map((c) => ({
        ...c,
        values: rows.map(({ i }) => (c.name === "year" ? String(c.values[i]) : c.values[i])),
        ...(c.name === "year" ? { type: "string" } : {}),
      })) as typeof picked.columns,
    );
    const title =
      `${run.manifest.scenario.id} (${dir}, ${run.data.replications} replications): ` +
      `partial rank correlation of the ${s.outcome} with each drawn parameter, ` +
      `${shownYear}, the ${SHOWN_PER_AREA} strongest per area`;
    await emitTable(full, screen, flags, title);
  });
}
