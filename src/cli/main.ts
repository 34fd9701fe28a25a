import { Command, CommanderError } from "commander";
import { isFordelingError } from "../errors.js";
import { registerCommands } from "./commands.js";

export function makeProgram(): Command {
  const program = new Command("fordeling")
    .description(
      "Simulation engine for Denmark's national distribution model for general practitioners:\n" +
        "disease-weighted need per health council and municipality, capacity status, and Monte Carlo projections.",
    )
    .version(process.env["npm_package_version"] ?? "0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code; prints errors as one clear line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await makeProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isFordelingError(error)) {
      process.stderr.write(`fordeling: error ${error.code}: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`fordeling: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
