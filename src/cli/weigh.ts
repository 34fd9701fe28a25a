import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Command, Option } from "commander";
import { computeCapacityReport } from "../capacity/report.js";
import { capacityTable, REPORT_LEVELS, terminalTable, type ReportLevel } from "../capacity/tables.js";
import type { CapacityReport } from "../capacity/types.js";
import { ceilingInForce } from "../capacity/ceilings.js";
import { defaultCapacityPolicy } from "../capacity/policy.js";
import type { CeilingPopulation } from "../capacity/report.js";
import { CAPACITY_RULES, toIsoDate } from "../capacity/rules.js";
import { projectCeilingPopulation } from "../projection/ceilingPopulation.js";
import { BASE_YEAR } from "../projection/replication.js";
import { weighPopulationFile } from "../kernel/weigh/file.js";
import { FordelingError } from "../errors.js";
import { addTableOutputOptions, choice, wholeNumber } from "./options.js";
import { defaultGeography } from "../geo/geography.js";
import { computeIslandRows, islandTable, withIslandDecisions } from "../capacity/islandFigures.js";
import { defaultLocationTable } from "../geo/locations.js";
import type { Table } from "../io/table.js";
import { formatTable } from "../io/terminal.js";
import { aboutEntries, fordelingVersion } from "../io/about.js";
import type { CsvDialect } from "../io/csv.js";
import {
  FORMAT_BY_EXTENSION,
  formatFromFileName,
  refuseBinaryOnTerminal,
  TABLE_FORMATS,
  writeTable,
  writeWorkbook,
  type TableFormat,
  type TableOutputOptions,
} from "../io/writeTable.js";
import { defaultWeightTable, loadWeightTable } from "../model/weightTable.js";
import { ensureDefaultData } from "../population/defaults.js";
import { readRegisterCsv } from "../register/registerCsv.js";
import { makeProgressReporter } from "./generate.js";

interface WeighFlags {
  population?: string;
  weights?: string;
  register?: string;
  threads?: number;
  format?: TableFormat;
  out?: string;
  by: WeighLevel;
  asOf: string;
  ceilingReplications: number;
  seed: number;
  csvDialect: CsvDialect;
  round?: boolean;
}

export const MAX_THREADS = 64;
/** The capacity report's levels, and every non-bridged island (src/capacity/islandFigures.ts). */
const WEIGH_LEVELS = [...REPORT_LEVELS, "island"] as const;
type WeighLevel = (typeof WEIGH_LEVELS)[number];

/** One choice among allowed values; a wrong one is an argument error listing them all. */
function reportDate(raw: string): string {
  try {
    return toIsoDate(raw, "--as-of");
  } catch {
    throw new FordelingError("FD_ERR_ARGUMENT", `'${raw}' is not a calendar date; use YYYY-MM-DD, e.g. 2026-12-31`, { field: "--as-of" });
  }
}

/** Today's calendar date where the analyst is, not in UTC: "as of today" means their today. */
function localToday(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function makeWeighCommand(): Command {
  const command = new Command("weigh")
    .summary("need, supply, gap and status per council, municipality or clinic")
    .description(
      "Weigh every resident (disease weight) and apply the law's arithmetic: need in GP capacities after the " +
        "life-expectancy correction, supply from the GP register, gap, whether each health council is open or closed " +
        "for new capacities, the island exception, and minimum list sizes per clinic (docs/CAPACITY.md). Without " +
        "options it weighs the built-in synthetic population, generating it on first use.",
    )
    .option("--population <file>", "resident Arrow IPC file (default: the built-in synthetic population of 1 Jan 2026)")
    .option("--weights <file>", "weight table JSON (default: data/model/illustrative-2026.json, illustrative)")
    .option("--register <file>", "GP register CSV (default: the register generated with the population, <population>.register.csv)")
    .addOption(
      new Option("--threads <n>", `worker threads, 1…${MAX_THREADS} (default: the available cores)`).argParser(
        wholeNumber("--threads", 1, MAX_THREADS),
      ),
    )
    .addOption(
      new Option("--format <format>", `output format: ${TABLE_FORMATS.join(", ")} (default: table, or from --out's ending)`).argParser(
        choice("--format", TABLE_FORMATS),
      ),
    )
    .option(
      "--out <file>",
      `also write the table to this file (${Object.keys(FORMAT_BY_EXTENSION).join(", ")}); written whole or not at all; ` +
        ".xlsx gets a sheet per level and an about sheet",
    )
    .addOption(
      new Option("--by <level>", `rows of the table: ${WEIGH_LEVELS.join(", ")}`)
        .default("council")
        .argParser(choice("--by", WEIGH_LEVELS)),
    )
    .addOption(
      new Option(
        "--as-of <date>",
        `report date YYYY-MM-DD: decides the ceiling in force (end-2025 from 2025-12-31, end-2026 from 2026-12-31, then yearly) ` +
          `and the island exception (before ${CAPACITY_RULES.islandExceptionUntil})`,
      )
        .default(localToday(), "today")
        .argParser(reportDate),
    )
    .addOption(
      new Option("--ceiling-replications <n>", "replications of the projection a later ceiling counts (from --as-of 2026-12-31), 1…1000")
        .default(20)
        .argParser(wholeNumber("--ceiling-replications", 1, 1000)),
    )
    .addOption(new Option("--seed <n>", "seed of that projection, 0…4294967295").default(1).argParser(wholeNumber("--seed", 0, 0xffffffff)))
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  fordeling weigh                                  councils, default data\n" +
        "  fordeling weigh --by municipality --out m.csv    all 98 municipalities as CSV\n" +
        "  fordeling weigh --by clinic --out clinics.arrow  minimum lists per clinic as Arrow\n" +
        "  fordeling weigh --out councils.parquet           for DuckDB, pandas, R\n" +
        "  fordeling weigh --out weigh.xlsx                 every level as a sheet, for Excel\n" +
        "  fordeling weigh --out m.csv --csv-dialect excel-da  CSV that Danish Excel opens as is\n" +
        "  fordeling weigh --as-of 2027-01-01               the end-2026 ceiling (projected), after the island exception",
    )
    .action(async (flags: WeighFlags) => {
      await runWeigh(flags);
    });
  return addTableOutputOptions(command);
}

async function runWeigh(flags: WeighFlags): Promise<void> {
  // Check everything the user typed before the slow part starts.
  const fileFormat = flags.out === undefined ? undefined : (flags.format ?? formatFromFileName(flags.out));
  if (flags.out === undefined && flags.format !== undefined) refuseBinaryOnTerminal(flags.format);
  for (const [option, file] of [
    ["--population", flags.population],
    ["--weights", flags.weights],
    ["--register", flags.register],
  ] as const) {
    if (file !== undefined && !existsSync(file)) {
      throw new FordelingError("FD_ERR_FILE_NOT_FOUND", `the file given to ${option} does not exist`, { file });
    }
  }
  const geography = defaultGeography();
  const weightTable = flags.weights === undefined ? defaultWeightTable() : loadWeightTable(flags.weights);
  const { populationFile, registerFile } = await inputFiles(flags);
  const register = readRegisterCsv(registerFile, geography);

  const progress = makeProgressReporter("weigh");
  const started = performance.now();
  let sums;
  try {
    sums = await weighPopulationFile({
      populationFile,
      weightTable,
      geography,
      ...(flags.threads === undefined ? {} : { threads: flags.threads }),
      clinicWeightsByMunicipality: true,
      onProgress: progress.onProgress,
    });
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `fordeling: weighed ${sums.totalResidents.toLocaleString("en-US")} residents from ${populationFile} in ${seconds.toFixed(2)} s\n`,
  );
  const ceilingPopulation = await laterCeilingPopulation(flags, populationFile, registerFile, geography);
  const municipalReport = computeCapacityReport({
    sums,
    geography,
    register,
    weightTable,
    asOf: flags.asOf,
    ...(ceilingPopulation === undefined ? {} : { ceilingPopulation }),
  });
  // Every non-bridged island, small ones included, enters the rows of its municipality and council.
  const islandRows = computeIslandRows({
    populationFile,
    report: municipalReport,
    register,
    weightTable,
    geography,
    table: defaultLocationTable(),
  });
  const report = withIslandDecisions(municipalReport, islandRows);

  const level = flags.by;
  const islands: Table | undefined = level === "island" ? islandTable(islandRows, geography) : undefined;
  const fileTable = (): Table => islands ?? capacityTable(report, level as ReportLevel);
  const output: TableOutputOptions = {
    csvDialect: flags.csvDialect,
    round: flags.round === true,
    about: aboutEntries({
      command: "fordeling weigh",
      as_of: flags.asOf,
      weight_table: report.national.weightTableId,
      redistributed_share: report.national.redistributedShare,
      ceiling_in_force: report.national.ceiling.fixedOn,
      ceiling_basis: report.national.ceiling.basis,
      ceiling_population: report.national.ceilingPopulation,
      population_file: populationFile,
      register_file: registerFile,
      fordeling_version: fordelingVersion(),
    }),
  };
  if (flags.out !== undefined && fileFormat === "xlsx") {
    const sheets = REPORT_LEVELS.map((l) => capacityTable(report, l));
    await writeWorkbook(islands === undefined ? sheets : [...sheets, islands], flags.out, output);
    process.stderr.write(`fordeling: wrote ${flags.out} (xlsx, a sheet per level)\n`);
  } else if (flags.out !== undefined && fileFormat !== undefined) {
    await writeTable(fileTable(), fileFormat, flags.out, output);
    process.stderr.write(`fordeling: wrote ${flags.out} (${fileFormat}, by ${level})\n`);
  }
  const screenFormat = flags.out === undefined ? (flags.format ?? "table") : "table";
  if (screenFormat === "table") {
    const shown = islands ?? terminalTable(report, level as ReportLevel);
    process.stdout.write(heading(report, level) + formatTable(shown) + footer(report));
  } else {
    await writeTable(fileTable(), screenFormat, undefined, output);
  }
}

/**
 * A ceiling fixed after the end of 2025 counts a population the engine projects from the weighed
 * one (which stands for the end of 2025); undefined when the end-2025 ceiling is in force.
 */
async function laterCeilingPopulation(
  flags: WeighFlags,
  populationFile: string,
  registerFile: string,
  geography: ReturnType<typeof defaultGeography>,
): Promise<CeilingPopulation | undefined> {
  const ceiling = ceilingInForce(flags.asOf);
  if (ceiling.populationYear <= BASE_YEAR) return undefined;
  process.stderr.write(
    `fordeling: the ceiling fixed ${ceiling.fixedOn} is in force; projecting the population to end ${ceiling.populationYear}\n`,
  );
  const started = performance.now();
  const projected = await projectCeilingPopulation(
    {
      populationFile,
      registerFile,
      populationYear: ceiling.populationYear,
      replications: flags.ceilingReplications,
      seed: flags.seed,
      ...(flags.weights === undefined ? {} : { weightTableFile: flags.weights }),
      ...(flags.threads === undefined ? {} : { threads: flags.threads }),
    },
    geography,
  );
  process.stderr.write(`fordeling: projected in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
  return projected;
}

/**
 * The default data, or the user's files. A population made by `fordeling generate --out X.arrow`
 * keeps its register next to it as X.register.csv: its clinic ids only mean something there.
 */
export async function inputFiles(
  flags: Pick<WeighFlags, "population" | "register">,
): Promise<{ populationFile: string; registerFile: string }> {
  if (flags.population === undefined) {
    const progress = makeProgressReporter("generate default population");
    try {
      const defaults = await ensureDefaultData({ onProgress: progress.onProgress });
      return { populationFile: defaults.populationFile, registerFile: flags.register ?? defaults.registerFile };
    } finally {
      progress.stop();
    }
  }
  if (flags.register !== undefined) return { populationFile: flags.population, registerFile: flags.register };
  const sibling = join(
    dirname(flags.population),
    `${basename(flags.population).replace(/\.(arrow|arrows|ipc|feather)$/u, "")}.register.csv`,
  );
  if (!existsSync(sibling)) {
    throw new FordelingError(
      "FD_ERR_ARGUMENT",
      `no GP register found next to the population (looked for ${sibling}); give --register FILE`,
      {
        field: "--register",
      },
    );
  }
  return { populationFile: flags.population, registerFile: sibling };
}

function heading(report: CapacityReport, level: WeighLevel): string {
  const n = report.national;
  const what: Record<WeighLevel, string> = {
    island: "non-bridged island (GPs and capacities on the island itself)",
    council: "health council",
    municipality: "municipality",
    clinic: "clinic",
    region: "region (2007–2026 and from 2027)",
    national: "the whole country",
  };
  return (
    `GP capacities by ${what[level]}, as of ${n.asOf}: need after the life-expectancy correction, ` +
    `${n.targetPerCapacity.toLocaleString("en-US")} weighted residents per capacity (weight table ${n.weightTableId}).\n` +
    `Ceiling in force: fixed ${n.ceiling.fixedOn} (${n.ceiling.basis}), counting the ${n.ceilingPopulation}.\n` +
    `Averages and minimum lists are corrected for life expectancy (redistributed share ${n.redistributedShare}); ` +
    `"uncorrected" columns are before the correction.\n\n`
  );
}

const capacities = (n: number): string => `${n.toLocaleString("en-US")} ${n === 1 ? "capacity" : "capacities"}`;

function footer(report: CapacityReport): string {
  const n = report.national;
  const islandUntil = defaultCapacityPolicy().islandExceptionUntil;
  const fmt = (v: number, d = 1): string => v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  const lines = [
    "",
    `Nationally: need ${fmt(n.need)}, supply ${fmt(n.supply)}, gap ${fmt(n.gap)} capacities; ` +
      `${n.councilsClosed} of ${n.councilsOpen + n.councilsClosed} councils closed, ${n.newCapacitiesAllowed.toLocaleString("en-US")} new capacities may open.`,
    n.islandExceptionInForce
      ? `Island exception in force (until ${islandUntil}): ${capacities(n.islandExtraCapacitiesAllowed)} extra on non-bridged islands in closed councils.`
      : `Island exception ended ${islandUntil}.`,
    `Fast-growth exception: ${capacities(n.fastGrowthExtraCapacitiesAllowed)} extra in closed councils' fast-growing municipalities.`,
  ];
  if (n.p50 !== null && n.shareInsideBand !== null) {
    lines.push(
      `Minimum list per capacity: median ${fmt(n.p50, 0)} (p10 ${fmt(n.p10 ?? 0, 0)}, p90 ${fmt(n.p90 ?? 0, 0)}); ` +
        `${fmt(100 * n.shareInsideBand, 0)} % of clinics inside ${CAPACITY_RULES.minimumPatientsBand.low.toLocaleString("en-US")}–${CAPACITY_RULES.minimumPatientsBand.high.toLocaleString("en-US")}.`,
    );
  }
  if (n.residentsWithoutClinic > 0)
    lines.push(`${n.residentsWithoutClinic.toLocaleString("en-US")} residents are not listed with any clinic.`);
  return lines.join("\n") + "\n";
}
