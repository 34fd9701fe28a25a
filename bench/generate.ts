import { rmSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultGeography, POPULATION_2026_TOTAL } from "../src/geo/geography.js";
import { loadWeightTable } from "../src/model/weightTable.js";
import { DEFAULT_SEED } from "../src/population/defaults.js";
import { generatePopulationFile } from "../src/population/generate.js";
import { readPopulationColumns } from "../src/population/read.js";
import { weightCalibration } from "./weightCalibration.js";
import { makeSyntheticRegister } from "../src/register/synthetic.js";

/**
 * Generates the full 2026 population (6,025,511 residents) once and reports wall time, peak
 * resident set size and file size (targets: ≤ 20 s, ≤ 2 GiB). One run, not a tinybench loop:
 * the job is seconds long and its peak memory is the point. Then, outside the measurement, it
 * reads the file back and reports the default weight table's calibration figures on it.
 */
export async function benchGenerate(): Promise<void> {
  const geography = defaultGeography();
  const register = makeSyntheticRegister(geography, { seed: DEFAULT_SEED, scale: 1 });
  const dir = mkdtempSync(join(tmpdir(), "fordeling-bench-generate-"));
  const outFile = join(dir, "population.arrow");
  try {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const summary = await generatePopulationFile({ outFile, seed: DEFAULT_SEED, geography, register });
    const seconds = (performance.now() - started) / 1000;
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    if (summary.residents !== POPULATION_2026_TOTAL)
      throw new Error(`generated ${summary.residents} residents, expected ${POPULATION_2026_TOTAL}`);
    const fileMiB = statSync(outFile).size / 2 ** 20;
    console.log(
      `generate: ${summary.residents.toLocaleString("en-US")} residents in ${seconds.toFixed(2)} s ` +
        `(${(summary.residents / seconds / 1e6).toFixed(2)} M rows/s); peak RSS ${peakRssMiB.toFixed(0)} MiB ` +
        `(${(rssBefore / 2 ** 20).toFixed(0)} MiB before); file ${fileMiB.toFixed(1)} MiB`,
    );

    const calibration = weightCalibration(readPopulationColumns(outFile, geography), loadWeightTable(), geography, register);
    const m = calibration.municipalMeanWeight;
    const c = calibration.clinicMinimumList;
    console.log(
      `weights: national mean ${calibration.nationalMeanWeight.toFixed(4)}; municipal mean ${m.min.toFixed(3)} (code ${m.minCode}) … ${m.max.toFixed(3)} (code ${m.maxCode})`,
    );
    console.log(
      `clinics: ${c.clinics}; minimum list p10 ${c.p10.toFixed(0)}, p50 ${c.p50.toFixed(0)}, p90 ${c.p90.toFixed(0)}; inside 1,150–2,000: ${(c.shareInside1150to2000 * 100).toFixed(1)} %`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchGenerate();
}
