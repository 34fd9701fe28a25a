import { join, dirname, basename } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { numberOption } from "./options.js";
import { defaultGeography } from "../geo/geography.js";
import { DEFAULT_POPULATION_FILE, DEFAULT_SEED, ensureDefaultRegister } from "../population/defaults.js";
import { DEFAULT_BATCH_ROWS, generatePopulationFile, MAX_SCALE, MAX_SEED } from "../population/generate.js";
import { formatPopulationSummary } from "../population/summaryText.js";
import { readRegisterCsv, writeRegisterCsv } from "../register/registerCsv.js";
import { makeSyntheticRegister } from "../register/synthetic.js";

/** A progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI). */
export function makeProgressReporter(label: string): { onProgress: (done: number, total: number) => void; stop: () => void } {
  if (process.stderr.isTTY !== true) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} residents | ETA {eta}s`,
    hideCursor: true,
  });
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

interface GenerateFlags {
  out?: string;
  seed: number;
  scale: number;
  register?: string;
  batchRows: number;
}

export function makeGenerateCommand(): Command {
  return new Command("generate")
    .summary("write a synthetic population of Denmark as an Arrow file")
    .description(
      "Generate a synthetic population of Denmark (1 Jan 2026) as an Arrow IPC file, calibrated to the public " +
        "municipal totals, age pyramids and national shares (docs/POPULATION.md), each resident listed with a clinic.",
    )
    .option("--out <file>", "output Arrow file", undefined)
    .addOption(
      new Option("--seed <n>", `seed, 0…${MAX_SEED}: the same seed gives the same file`)
        .default(DEFAULT_SEED)
        .argParser(numberOption("--seed", { min: 0, max: MAX_SEED, integer: true })),
    )
    .addOption(
      new Option("--scale <x>", `share of the 2026 population, (0, ${MAX_SCALE}]; small values make small test populations`)
        .default(1)
        .argParser(numberOption("--scale", { min: Number.MIN_VALUE, max: MAX_SCALE, integer: false })),
    )
    .option(
      "--register <file>",
      "GP register CSV whose clinics residents are listed with (default: a synthetic register with the same seed and scale)",
    )
    .addOption(
      new Option("--batch-rows <n>", "rows per Arrow record batch")
        .default(DEFAULT_BATCH_ROWS)
        .argParser(numberOption("--batch-rows", { min: 1024, max: 1 << 22, integer: true })),
    )
    .action(async (flags: GenerateFlags) => {
      const geography = defaultGeography();
      const isDefault = flags.seed === DEFAULT_SEED && flags.scale === 1 && flags.register === undefined;
      const out = flags.out ?? DEFAULT_POPULATION_FILE;
      const progress = makeProgressReporter("generate");
      let registerFile = flags.register;
      let register;
      if (registerFile !== undefined) {
        register = readRegisterCsv(registerFile, geography);
      } else if (isDefault && out === DEFAULT_POPULATION_FILE) {
        registerFile = ensureDefaultRegister(geography);
        register = readRegisterCsv(registerFile, geography);
      } else {
        // The clinic ids in the file must resolve: keep the register that made them next to it.
        register = makeSyntheticRegister(geography, { seed: flags.seed, scale: flags.scale });
        registerFile = join(dirname(out), `${basename(out).replace(/\.arrow$/u, "")}.register.csv`);
        writeRegisterCsv(register, registerFile);
      }
      const started = performance.now();
      let summary;
      try {
        summary = await generatePopulationFile({
          outFile: out,
          seed: flags.seed,
          scale: flags.scale,
          geography,
          register,
          batchRows: flags.batchRows,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `Wrote ${out} (${summary.residents.toLocaleString("en-US")} residents, seed ${flags.seed}, scale ${flags.scale}, ${seconds} s)\n`,
      );
      process.stdout.write(`Clinics from ${registerFile}\n\n`);
      process.stdout.write(formatPopulationSummary(summary, geography, { scale: flags.scale }));
    });
}
