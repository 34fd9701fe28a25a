import { pathToFileURL } from "node:url";
import { calibrateShare, SHARE_TARGETS, type ShareFit } from "../src/capacity/shareCalibration.js";
import { weighPopulationFile } from "../src/kernel/weigh/file.js";
import { defaultGeography } from "../src/geo/geography.js";
import { defaultWeightTable } from "../src/model/weightTable.js";
import { ensureDefaultData } from "../src/population/defaults.js";
import { readRegisterCsv } from "../src/register/registerCsv.js";

/**
 * `npm run calibrate:share`: the documented procedure for the life-expectancy correction's
 * redistributed share (docs/CAPACITY.md). Weighs the default population once with the default
 * table, evaluates the share grid on those sums and prints the targets, a few shares and the
 * best one. Not a speed benchmark; it lives here because it runs on the full default data.
 */
export async function runShareCalibration(): Promise<ShareFit> {
  const geography = defaultGeography();
  const { populationFile, registerFile } = await ensureDefaultData();
  const weightTable = defaultWeightTable();
  const sums = await weighPopulationFile({ populationFile, weightTable, geography, clinicWeightsByMunicipality: true });
  const register = readRegisterCsv(registerFile, geography);
  const { best, fits } = calibrateShare({ sums, geography, register, weightTable, asOf: "2026-01-01" });
  const t = SHARE_TARGETS;
  const row = (f: ShareFit): string =>
    [
      f.share.toFixed(3),
      `${f.lowestMunicipalAverageWeight.toFixed(3)} (${f.lowestMunicipality})`,
      `${f.highestMunicipalAverageWeight.toFixed(3)} (${f.highestMunicipality})`,
      `${f.lowestMunicipalMinimumList.toFixed(0)}–${f.highestMunicipalMinimumList.toFixed(0)}`,
      `${(100 * f.shareOfClinicsInsideBand).toFixed(1)} %`,
      f.aabenraaMinimumPatientsPerCapacity.toFixed(0),
      f.loss.toFixed(5),
    ].join(" | ");
  console.log("share | lowest municipal weight | highest | municipal minimum lists | clinics in 1,150–2,000 | Aabenraa | loss");
  const targets = [t.lowestMunicipalAverageWeight, t.highestMunicipalAverageWeight, "1100–1900", `${100 * t.shareOfClinicsInsideBand} %`];
  console.log(`target | ${[...targets, t.aabenraaMinimumPatientsPerCapacity, 0].join(" | ")}`);
  for (const f of fits.filter((f) => Math.round(f.share * 1000) % 50 === 0 || process.env["ALL_SHARES"] === "1")) console.log(row(f));
  console.log(`best: ${row(best)}`);
  return best;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runShareCalibration();
}
