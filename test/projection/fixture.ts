import { join } from "node:path";
import { defaultGeography } from "../../src/geo/geography.js";
import { generatePopulationFile } from "../../src/population/generate.js";
import { writeRegisterCsv } from "../../src/register/registerCsv.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import { makeTestTempDir } from "../support/tempDirs.js";

/** A small synthetic Denmark on disk (population Arrow file + register CSV) in a temp dir removed after the test file. */
export async function makeSmallWorld(scale = 0.003, seed = 7): Promise<{ dir: string; populationFile: string; registerFile: string }> {
  const dir = makeTestTempDir("fd-projection-");
  const geography = defaultGeography();
  const register = makeSyntheticRegister(geography, { seed, scale });
  const registerFile = join(dir, "register.csv");
  const populationFile = join(dir, "population.arrow");
  writeRegisterCsv(register, registerFile);
  await generatePopulationFile({ outFile: populationFile, seed, scale, geography, register });
  return { dir, populationFile, registerFile };
}
