import type { Command } from "commander";
import { makeAccessCommand } from "./access.js";
import { makeConvertCommand } from "./convert.js";
import { makeCompareCommand } from "./compare.js";
import { makeDecomposeCommand } from "./decompose.js";
import { makeSensitivityCommand } from "./sensitivity.js";
import { makeSweepCommand } from "./sweep.js";
import { makeGenerateCommand } from "./generate.js";
import { makeImportCommand } from "./import.js";
import { makeProjectCommand } from "./project.js";
import { makeServeCommand } from "./serve.js";
import { makeSummaryCommand } from "./summary.js";
import { makeWeighCommand } from "./weigh.js";

/** Every subcommand, one file each; the order here is the order in `--help`. */
export function registerCommands(program: Command): void {
  program.addCommand(makeWeighCommand());
  program.addCommand(makeAccessCommand());
  program.addCommand(makeGenerateCommand());
  program.addCommand(makeSummaryCommand());
  program.addCommand(makeConvertCommand());
  program.addCommand(makeProjectCommand());
  program.addCommand(makeCompareCommand());
  program.addCommand(makeSensitivityCommand());
  program.addCommand(makeDecomposeCommand());
  program.addCommand(makeSweepCommand());
  program.addCommand(makeServeCommand());
  program.addCommand(makeImportCommand());
}
