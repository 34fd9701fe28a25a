import { type Command, Option } from "commander";
import type { CsvDialect } from "../io/csv.js";
import type { Table } from "../io/table.js";
import { formatTable } from "../io/terminal.js";
import { formatFromFileName, refuseBinaryOnTerminal, TABLE_FORMATS, writeTable, type TableFormat } from "../io/writeTable.js";
import { addTableOutputOptions as addCsvAndRoundingOptions, choice, wholeNumber } from "./options.js";

/**
 * `--format`, `--out`, `--csv-dialect` and `--round` of the analysis commands (compare,
 * sensitivity, decompose): the full table goes to the file (format from --format or the file's
 * ending) or to stdout in the format asked; the terminal shows a narrower view with a title.
 */
export interface TableOutputFlags {
  format?: TableFormat;
  out?: string;
  csvDialect?: CsvDialect;
  round?: boolean;
}

export function addAnalysisOutputOptions(command: Command): Command {
  return addCsvAndRoundingOptions(command)
    .addOption(
      new Option("--format <format>", `output format: ${TABLE_FORMATS.join(", ")} (default: table, or from --out's ending)`).argParser(
        choice("--format", TABLE_FORMATS),
      ),
    )
    .option("--out <file>", "write the full table to this file (.txt, .csv, .json, .arrow); written whole or not at all");
}

/** Checks the flags before any work: a bad ending or Arrow on a terminal fails first. */
export function checkTableOutput(flags: TableOutputFlags): TableFormat | undefined {
  if (flags.out === undefined && flags.format !== undefined) refuseBinaryOnTerminal(flags.format);
  return flags.out === undefined ? undefined : (flags.format ?? formatFromFileName(flags.out));
}

export async function emitTable(full: Table, screen: Table, flags: TableOutputFlags, title: string): Promise<void> {
  const fileFormat = checkTableOutput(flags);
  const options = { round: flags.round === true, ...(flags.csvDialect !== undefined ? { csvDialect: flags.csvDialect } : {}) };
  if (flags.out !== undefined && fileFormat !== undefined) {
    await writeTable(full, fileFormat, flags.out, options);
    process.stderr.write(`fordeling: wrote ${flags.out} (${fileFormat}, ${full.rowCount} rows)\n`);
  }
  const screenFormat = flags.out === undefined ? (flags.format ?? "table") : "table";
  if (screenFormat === "table") process.stdout.write(formatTable(screen, { title }) + "\n");
  else await writeTable(full, screenFormat, undefined, options);
}

/** The analysis commands' --level: "municipality" reads the optional per-municipality file. */
export const LEVEL_CHOICES = ["all", "council", "national", "municipality"] as const;
export type LevelFlag = (typeof LEVEL_CHOICES)[number];

export function levelOption(): Option {
  return new Option(
    "--level <level>",
    "councils, the nation or both; municipality: the municipalities of a run projected with --keep-municipalities",
  )
    .default("all")
    .argParser(choice("--level", LEVEL_CHOICES));
}

/** --level, --year, --area and a chart of one area: the selection the analysis commands share. */
export interface AreaSelectionFlags {
  level: LevelFlag;
  year?: number;
  area?: string;
  chart?: string;
  chartArea: string;
}

export function addAreaSelectionOptions(command: Command, help: { year: string; chart: string }): Command {
  return command
    .addOption(levelOption())
    .addOption(new Option("--year <year>", help.year).argParser(wholeNumber("--year", 2000, 2100)))
    .option("--area <id>", "only this council id (or DK, or a municipality's code)")
    .option("--chart <file>", help.chart)
    .option("--chart-area <id>", "the area the chart shows", "DK");
}
