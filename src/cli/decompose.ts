import { Command } from "commander";
import { writeFileAtomic } from "../io/atomic.js";
import { pickColumns } from "../io/table.js";
import { decompositionWaterfall } from "../results/analysisCharts.js";
import { DECOMPOSITION_PARTS, decompose } from "../results/decomposition.js";
import { readRun } from "../results/readRun.js";
import {
  addAreaSelectionOptions,
  addAnalysisOutputOptions,
  checkTableOutput,
  emitTable,
  type AreaSelectionFlags,
  type TableOutputFlags,
} from "./tableOutput.js";

type DecomposeFlags = TableOutputFlags & AreaSelectionFlags;

export function makeDecomposeCommand(): Command {
  const command = new Command("decompose")
    .summary("what changes each council's gap from the base year to the horizon")
    .description(
      "Splits the change of each health council's (and the nation's) mean gap from the base year to --year (default: the " +
        "horizon) into population growth, weight drift, retirements, entrants, movers, tendered and temporary clinics; the parts " +
        "add up to the change exactly. --chart draws a waterfall. See docs/ANALYSIS.md.",
    )
    .argument("<dir>", "result directory written by `fordeling project --out`");
  const help = { year: "end year (default: the horizon)", chart: "write a waterfall chart (SVG) of --chart-area" };
  return addAnalysisOutputOptions(addAreaSelectionOptions(command, help)).action(async (dir: string, flags: DecomposeFlags) => {
    checkTableOutput(flags);
    const run = await readRun(dir, dir, { municipalities: flags.level === "municipality" });
    const d = decompose(run.data, {
      level: flags.level,
      ...(flags.year !== undefined ? { year: flags.year } : {}),
      ...(flags.area !== undefined ? { area: flags.area } : {}),
    });
    if (flags.chart !== undefined) {
      const all =
        flags.area === undefined && flags.level === "all" ? d : decompose(run.data, flags.year !== undefined ? { year: flags.year } : {});
      await writeFileAtomic(flags.chart, decompositionWaterfall(all, run.data, flags.chartArea));
      process.stderr.write(`fordeling: wrote ${flags.chart}\n`);
    }
    const screen = pickColumns(d.table, ["area_name", "gap_base", ...DECOMPOSITION_PARTS, "total_change", "gap"]);
    const note = d.missing.length > 0 ? `\n${d.missing.join(" and ")}: 0 (not recorded in this older run: project again)` : "";
    const change = `change of the mean gap (supply − need, capacities) ${d.baseYear} → ${d.endYear}`;
    const title = `${run.manifest.scenario.id} (${dir}): ${change}${note}`;
    await emitTable(d.table, screen, flags, title);
  });
}
