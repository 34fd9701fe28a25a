import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultGeography } from "../../src/geo/geography.js";
import { generatePopulationFile } from "../../src/population/generate.js";
import { writeRegisterCsv } from "../../src/register/registerCsv.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";

/** A small synthetic Denmark on disk (population Arrow file + register CSV) in a temp dir. */
export async function makeSmallWorld(scale = 0.003, seed = 7): Promise<{ dir: string; populationFile: string; registerFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), "fd-projection-"));
  const geography = defaultGeography();
  const register = makeSyntheticRegister(geography, { seed, scale });
  const registerFile = join(dir, "register.csv");
  const populationFile = join(dir, "population.arrow");
  writeRegisterCsv(register, registerFile);
  await generatePopulationFile({ outFile: populationFile, seed, scale, geography, register });
  return { dir, populationFile, registerFile };
}
