import { Command } from "commander";
import { importResult } from "../runs/importResult.js";

export function makeImportCommand(): Command {
  return new Command("import")
    .summary("add a projection result directory to a server's data dir")
    .description(
      "Add a result directory written by `fordeling project --out DIR` to a data dir as a succeeded run, under the " +
        "run id the server gives the same request, so `fordeling serve --data-dir D` lists and serves it. The directory " +
        "is copied; the server must not be running over the data dir meanwhile (it reads runs when it starts).",
    )
    .argument("<dir>", "result directory (holds manifest.json)")
    .requiredOption("--data-dir <dir>", "the server's data dir; created when missing")
    .action(async (dir: string, flags: { dataDir: string }) => {
      const { record, imported } = await importResult(dir, flags.dataDir);
      process.stdout.write(
        imported
          ? `Imported ${dir} as run ${record.id} (scenario ${record.request.scenario.id}) into ${flags.dataDir}\n`
          : `${flags.dataDir} already holds this result as run ${record.id}; nothing copied\n`,
      );
    });
}
