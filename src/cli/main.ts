import { Command, CommanderError } from "commander";
import { isFordelingError } from "../errors.js";
import { registerCommands } from "./commands.js";

export function makeProgram(): Command {
  const program = new Command("fordeling")
    .description(
      "Simulation engine for Denmark's national distribution model for general practitioners: " +
        "disease-weighted need per health council and municipality, capacity status, and Monte Carlo projections.",
    )
    .version(process.env["npm_package_version"] ?? "0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/**
 * A reader that stops early (`fordeling compare a b | head`) closes the pipe; what is left to
 * print is then of no use to anyone, so the program ends quietly instead of crashing on EPIPE.
 */
function endQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/** Runs the CLI and returns the exit code; prints errors as one clear line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyWhenOutputCloses();
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
