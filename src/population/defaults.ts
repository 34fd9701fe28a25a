import { closeSync, existsSync, openSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultGeography, type Geography } from "../geo/geography.js";
import { GENERATED_DIR } from "../paths.js";
import { readRegisterCsv, writeRegisterCsv } from "../register/registerCsv.js";
import { makeSyntheticRegister } from "../register/synthetic.js";
import { generatePopulationFile } from "./generate.js";

/** The seed of the shipped default data: fixed, so every installation weighs the same residents. */
export const DEFAULT_SEED = 20260101;
export const DEFAULT_POPULATION_FILE = join(GENERATED_DIR, "population-2026.arrow");
export const DEFAULT_REGISTER_FILE = join(GENERATED_DIR, "register-2026.csv");

export interface DefaultData {
  populationFile: string;
  registerFile: string;
}

/**
 * Makes the default register and population when missing (git-ignored, generated on first
 * use, about a second or two for 6 M residents) and returns their paths. The population's
 * clinic ids refer to the register, so a missing register regenerates the population too.
 */
export async function ensureDefaultData(
  opts: { onProgress?: (doneRows: number, totalRows: number) => void; geography?: Geography } = {},
): Promise<DefaultData> {
  const geography = opts.geography ?? defaultGeography();
  const registerFile = DEFAULT_REGISTER_FILE;
  const populationFile = DEFAULT_POPULATION_FILE;
  // Default data made before clinics had places (no lat/lon in the register) are made again, with locations.
  if (existsSync(registerFile) && !firstLine(registerFile).split(",").includes("lat")) rmSync(registerFile);
  const registerMissing = !existsSync(registerFile);
  ensureDefaultRegister(geography);
  if (registerMissing || !existsSync(populationFile)) {
    const register = readRegisterCsv(registerFile, geography);
    await generatePopulationFile({
      outFile: populationFile,
      seed: DEFAULT_SEED,
      scale: 1,
      geography,
      register,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  }
  return { populationFile, registerFile };
}

/** The default register alone, made when missing; returns its path. */
export function ensureDefaultRegister(geography: Geography = defaultGeography()): string {
  if (!existsSync(DEFAULT_REGISTER_FILE))
    writeRegisterCsv(makeSyntheticRegister(geography, { seed: DEFAULT_SEED, scale: 1 }), DEFAULT_REGISTER_FILE);
  return DEFAULT_REGISTER_FILE;
}

function firstLine(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(256);
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytes).toString("utf8").split(/\r?\n/u)[0] ?? "";
  } finally {
    closeSync(fd);
  }
}
