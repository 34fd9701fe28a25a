import { Command } from "commander";
import { populationCsvToArrow } from "../population/csvImport.js";

export function makeConvertCommand(): Command {
  return new Command("convert")
    .summary("convert a population CSV to the Arrow file the engine reads")
    .description(
      "Convert a population CSV (one resident per line, the resident schema's column names as header; see " +
        "docs/POPULATION.md) to the Arrow IPC file the engine reads, validating every row and grouping rows by municipality. " +
        "Optional columns postal_code, or lat and lon, give each resident's place (its location_id; docs/GEOGRAPHY.md).",
    )
    .requiredOption("--from <file>", "input CSV file")
    .requiredOption("--out <file>", "output Arrow IPC file")
    .action(async (flags: { from: string; out: string }) => {
      const { rows } = await populationCsvToArrow(flags.from, flags.out);
      process.stdout.write(`Wrote ${flags.out} (${rows.toLocaleString("en-US")} residents)\n`);
    });
}
