import { Command } from "commander";
import { formatTable } from "../io/terminal.js";
import { compareResults, readStoredResult } from "../projection/compare.js";

export function makeCompareCommand(): Command {
  return new Command("compare")
    .summary("compare two projection results with uncertainty")
    .description(
      "Compare two projection results side by side per health council and year: median need, mean gap " +
        "(supply − need) in each, the difference of the mean gaps (B − A) with a 95 % interval, and the " +
        "probability of a shortage in each.",
    )
    .argument("<dirA>", "result directory written by `fordeling project --out`")
    .argument("<dirB>", "second result directory")
    .action((dirA: string, dirB: string) => {
      for (const level of ["national", "council"] as const) {
        const a = readStoredResult(dirA, level);
        const b = readStoredResult(dirB, level);
        const title = `${level === "national" ? "Denmark" : "Health councils"}: ${a.manifest.scenario.id} (A, ${a.manifest.replications} replications) vs ${b.manifest.scenario.id} (B, ${b.manifest.replications} replications), capacities`;
        process.stdout.write(formatTable(compareResults(a, b, level), { title }) + "\n\n");
      }
    });
}
