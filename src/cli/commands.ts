import type { Command } from "commander";

/** Every subcommand, one file each; the order here is the order in `--help`. */
export function registerCommands(_program: Command): void {}
