import { Command, Option } from "commander";
import { pickColumns } from "../io/table.js";
import { compareRuns, describeMethod } from "../results/compare.js";
import { readRun } from "../results/readRun.js";
import { wholeNumber } from "./options.js";
import {
  addAnalysisOutputOptions,
  checkTableOutput,
  emitTable,
  levelOption,
  type LevelFlag,
  type TableOutputFlags,
} from "./tableOutput.js";

interface CompareFlags extends TableOutputFlags {
  level: LevelFlag;
  year?: number;
  area?: string;
  unpaired?: boolean;
}

export function makeCompareCommand(): Command {
  const command = new Command("compare")
    .summary("compare two projection results, paired when they share their random numbers")
    .description(
      "Compare two projection results per health council, the nation and year from their replications: " +
        "mean need, supply, gap (supply − need) and residents without a GP in each, the difference B − A with a 95 % interval, " +
        "and the probability of a shortage in each. Runs with the same seed and inputs are compared paired (common random " +
        "numbers), others unpaired; the method and any differences between the runs (horizon, replications, population, " +
        "model version) are stated in the output. See docs/ANALYSIS.md.",
    )
    .argument("<dirA>", "result directory written by `fordeling project --out`")
    .argument("<dirB>", "second result directory")
    .addOption(levelOption())
    .addOption(new Option("--year <year>", "only this year").argParser(wholeNumber("--year", 2000, 2100)))
    .option("--area <id>", "only this council id (or DK, or a municipality's code)")
    .option("--unpaired", "compare unpaired even when the runs share their random numbers (to see what pairing gains)");
  return addAnalysisOutputOptions(command).action(async (dirA: string, dirB: string, flags: CompareFlags) => {
    checkTableOutput(flags);
    const municipalities = flags.level === "municipality";
    const [a, b] = await Promise.all([readRun(dirA, dirA, { municipalities }), readRun(dirB, dirB, { municipalities })]);
    const comparison = compareRuns(a, b, {
      level: flags.level,
      ...(flags.year !== undefined ? { year: flags.year } : {}),
      ...(flags.area !== undefined ? { area: flags.area } : {}),
      ...(flags.unpaired === true ? { unpaired: true } : {}),
    });
    for (const warning of comparison.warnings) process.stderr.write(`fordeling: warning: ${warning}\n`);
    const screen = pickColumns(comparison.table, [
      "area_name",
      "year",
      "gap_mean_a",
      "gap_mean_b",
      "gap_difference",
      "gap_difference_ci95_low",
      "gap_difference_ci95_high",
      "p_short_a",
      "p_short_b",
    ]);
    const title =
      `${a.manifest.scenario.id} (A: ${dirA}, seed ${a.manifest.seed}) vs ` +
      `${b.manifest.scenario.id} (B: ${dirB}, seed ${b.manifest.seed}), capacities\n` +
      `Method: ${describeMethod(comparison)}` +
      (comparison.warnings.length > 0 ? `\nWarnings: ${comparison.warnings.join("; ")}` : "");
    await emitTable(
      comparison.table,
      {
        ...screen,
        columns: screen.columns.map((c) => (c.name === "year" ? { ...c, type: "string", values: c.values.map(String) } : c)),
      } as typeof screen,
      flags,
      title,
    );
  });
}
