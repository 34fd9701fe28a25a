import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultGeography } from "../geo/geography.js";
import { DEFAULT_SEED, ensureDefaultData } from "../population/defaults.js";
import { generatePopulationFile } from "../population/generate.js";
import { readRegisterCsv, writeRegisterCsv } from "../register/registerCsv.js";
import { makeSyntheticRegister } from "../register/synthetic.js";
import type { PopulationSpec } from "./types.js";

/**
 * The population and register files a run projects, made when missing:
 * - default: the shipped default data (ensureDefaultData, shared with the CLI);
 * - generated: a register and population at the given scale and seed, kept in DIR/generated so
 *   later runs on the same (scale, seed) reuse them (the generator is deterministic per seed);
 * - file: a population file in DIR/populations with a register from DIR/registers, or the
 *   default synthetic register (scale 1, DEFAULT_SEED) when none is named.
 * Runs in the run worker, never on the request thread: generating 6 M residents takes seconds.
 */
export interface PopulationFiles {
  populationFile: string;
  registerFile: string;
}

export async function preparePopulation(
  spec: PopulationSpec,
  resolved: { populationFile?: string; registerFile?: string },
  generatedDir: string,
  onProgress: (doneRows: number, totalRows: number) => void,
): Promise<PopulationFiles> {
  const geography = defaultGeography();
  if (spec.kind === "default") return ensureDefaultData({ onProgress, geography });
  if (spec.kind === "file") {
    const populationFile = resolved.populationFile ?? "";
    if (resolved.registerFile !== undefined) return { populationFile, registerFile: resolved.registerFile };
    const registerFile = join(generatedDir, `register-default-${DEFAULT_SEED}.csv`);
    if (!existsSync(registerFile)) writeRegisterCsv(makeSyntheticRegister(geography, { seed: DEFAULT_SEED, scale: 1 }), registerFile);
    return { populationFile, registerFile };
  }
  // The scale's shortest decimal text is exact and safe in a file name (digits, '.', 'e', '-').
  const tag = `scale-${String(spec.scale)}-seed-${spec.seed}`;
  const registerFile = join(generatedDir, `register-${tag}.csv`);
  const populationFile = join(generatedDir, `population-${tag}.arrow`);
  const registerMissing = !existsSync(registerFile);
  if (registerMissing) writeRegisterCsv(makeSyntheticRegister(geography, { seed: spec.seed, scale: spec.scale }), registerFile);
  // Residents carry clinic ids of the register, so a new register means a new population.
  if (registerMissing || !existsSync(populationFile)) {
    const register = readRegisterCsv(registerFile, geography);
    await generatePopulationFile({ outFile: populationFile, seed: spec.seed, scale: spec.scale, geography, register, onProgress });
  }
  return { populationFile, registerFile };
}
