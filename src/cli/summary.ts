import { existsSync } from "node:fs";
import { Command } from "commander";
import { defaultGeography } from "../geo/geography.js";
import { DEFAULT_POPULATION_FILE, ensureDefaultData } from "../population/defaults.js";
import { readPopulationMetadata, summarizePopulationFile } from "../population/read.js";
import { formatPopulationSummary } from "../population/summaryText.js";
import { makeProgressReporter } from "./generate.js";

export function makeSummaryCommand(): Command {
  return new Command("summary")
    .summary("print a population file's calibration tables")
    .description(
      "Print a population file's municipality totals, national shares (next to their calibration targets) and " +
        "health-council totals as plain-text tables. Without --population, the default population (generated if missing).",
    )
    .option("--population <file>", "population Arrow IPC file")
    .action(async (flags: { population?: string }) => {
      const geography = defaultGeography();
      let file = flags.population;
      if (file === undefined) {
        const progress = makeProgressReporter("generate default population");
        try {
          file = existsSync(DEFAULT_POPULATION_FILE)
            ? DEFAULT_POPULATION_FILE
            : (await ensureDefaultData({ onProgress: progress.onProgress, geography })).populationFile;
        } finally {
          progress.stop();
        }
      }
      const summary = summarizePopulationFile(file, geography);
      const metadata = readPopulationMetadata(file);
      const scaleText = metadata.get("fordeling.scale");
      const scale = scaleText === undefined ? undefined : Number(scaleText);
      const seed = metadata.get("fordeling.seed");
      process.stdout.write(`Population ${file}${seed === undefined ? "" : ` (synthetic, seed ${seed}, scale ${scaleText})`}\n\n`);
      process.stdout.write(formatPopulationSummary(summary, geography, scale !== undefined && Number.isFinite(scale) ? { scale } : {}));
    });
}
