import { type Command, Option } from "commander";
import { FordelingError } from "../errors.js";
import { ensureDefaultData } from "../population/defaults.js";
import { BASE_YEAR } from "../projection/replication.js";
import { MAX_HORIZON_YEAR, MAX_REPLICATIONS } from "../projection/run.js";
import { wholeNumber } from "./options.js";

/** The options of every command that runs projections (project, sweep) and where its data come from. */
export interface ProjectionRunFlags {
  replications: number;
  seed: number;
  horizon: number;
  threads?: number;
  population?: string;
  register?: string;
}

export function addProjectionRunOptions(command: Command, seedHelp: string): Command {
  return command
    .addOption(
      new Option("--replications <n>", `replications, 1…${MAX_REPLICATIONS}`)
        .default(200)
        .argParser(wholeNumber("--replications", 1, MAX_REPLICATIONS)),
    )
    .addOption(new Option("--seed <n>", seedHelp).default(1).argParser(wholeNumber("--seed", 0, 0xffffffff)))
    .addOption(
      new Option("--horizon <year>", `last year simulated, ${BASE_YEAR + 1}…${MAX_HORIZON_YEAR}`)
        .default(2027)
        .argParser(wholeNumber("--horizon", BASE_YEAR + 1, MAX_HORIZON_YEAR)),
    )
    .addOption(new Option("--threads <n>", "worker threads (default: available cores)").argParser(wholeNumber("--threads", 1, 64)))
    .option("--population <file>", "population Arrow file (default: the built-in synthetic population, generated once)")
    .option("--register <file>", "GP register CSV (default: the built-in synthetic register)");
}

/** Both files given, or neither (the built-in data); one alone is refused before any work. */
export function checkProjectionData(flags: ProjectionRunFlags): void {
  if ((flags.population === undefined) !== (flags.register === undefined)) {
    throw new FordelingError(
      "FD_ERR_ARGUMENT",
      "give both --population and --register (the population's clinic ids refer to the register), or neither",
      { field: "--register" },
    );
  }
}

export async function projectionData(flags: ProjectionRunFlags): Promise<{ populationFile: string; registerFile: string }> {
  checkProjectionData(flags);
  return flags.population !== undefined && flags.register !== undefined
    ? { populationFile: flags.population, registerFile: flags.register }
    : ensureDefaultData();
}
