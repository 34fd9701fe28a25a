import type { Geography } from "../src/geo/geography.js";
import { ageGroupByAge, residentWeight, type WeightTable } from "../src/model/weightTable.js";
import type { GpRegister } from "../src/register/types.js";
import { NO_CLINIC, type ResidentColumns } from "../src/population/schema.js";

/**
 * The figures the default weight table is tuned against (docs/MODEL.md): national mean
 * weight, the spread of municipal average weights, and the clinics' minimum list sizes
 * (target per capacity / average weight of the clinic's patients). Plain TS over
 * `residentWeight`, the definition every kernel matches, so the check does not depend on one.
 */
export interface WeightCalibration {
  nationalMeanWeight: number;
  municipalMeanWeight: { min: number; max: number; minCode: number; maxCode: number };
  clinicMinimumList: { clinics: number; p10: number; p50: number; p90: number; shareInside1150to2000: number };
}

export function weightCalibration(
  columns: ResidentColumns,
  table: WeightTable,
  geography: Geography,
  register: GpRegister,
): WeightCalibration {
  const groups = ageGroupByAge(table);
  const municipalitySum = new Float64Array(geography.municipalities.length);
  const municipalityCount = new Float64Array(geography.municipalities.length);
  const clinicSum = new Float64Array(register.clinics.length);
  const clinicCount = new Float64Array(register.clinics.length);
  let total = 0;
  const rows = columns.sex.length;
  for (let r = 0; r < rows; r++) {
    const w = residentWeight(
      table,
      groups[columns.ageYears[r]!]!,
      columns.sex[r]!,
      columns.civilStatus[r]!,
      columns.education[r]!,
      columns.chronicDiseaseCount[r]!,
      columns.psychiatric[r]!,
      columns.menapt[r]!,
      columns.outsideLabourMarket[r]!,
    );
    total += w;
    const m = geography.municipalityIndexByCode[columns.municipalityCode[r]!]!;
    municipalitySum[m]! += w;
    municipalityCount[m]!++;
    const clinicId = columns.clinicId[r]!;
    const c = clinicId === NO_CLINIC ? -1 : (register.clinicIndexById[clinicId] ?? -1);
    if (c >= 0) {
      clinicSum[c]! += w;
      clinicCount[c]!++;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  let minCode = 0;
  let maxCode = 0;
  geography.municipalities.forEach((m, i) => {
    const mean = municipalitySum[i]! / municipalityCount[i]!;
    if (mean < min) [min, minCode] = [mean, m.code];
    if (mean > max) [max, maxCode] = [mean, m.code];
  });
  const minimumLists = [...clinicSum.keys()]
    .filter((c) => clinicCount[c]! > 0)
    .map((c) => table.targetWeightedResidentsPerCapacity / (clinicSum[c]! / clinicCount[c]!))
    .sort((a, b) => a - b);
  const quantile = (q: number): number =>
    minimumLists[Math.min(minimumLists.length - 1, Math.floor(q * minimumLists.length))] ?? Number.NaN;
  const inside = minimumLists.filter((v) => v >= 1150 && v <= 2000).length;
  return {
    nationalMeanWeight: total / rows,
    municipalMeanWeight: { min, max, minCode, maxCode },
    clinicMinimumList: {
      clinics: minimumLists.length,
      p10: quantile(0.1),
      p50: quantile(0.5),
      p90: quantile(0.9),
      shareInside1150to2000: minimumLists.length > 0 ? inside / minimumLists.length : 0,
    },
  };
}
