import type { Geography } from "../geo/geography.js";
import { ageGroupByAge, residentWeight, type WeightTable } from "../model/weightTable.js";
import { MAX_AGE_YEARS, MAX_CHRONIC_DISEASES, type ResidentColumns } from "../population/schema.js";
import { makeWeighSums, withTotals } from "../engine/sums.js";
import type { WeighSums } from "../engine/types.js";
import * as abi from "./abi.js";

/**
 * The weighting pass in plain TypeScript: the oracle the WASM kernel is tested against and the
 * baseline it is benchmarked against. Same semantics as `weighRows`: weights from
 * `residentWeight` itself, rows checked in column order, the first bad row reported with the
 * kernel's status code. Municipality and clinic sums are added row by row, council sums from
 * the municipality sums (the kernel adds in a different order, so sums agree to rounding while
 * weights agree bit for bit).
 */

export type KernelOutcome = { ok: true; sums: WeighSums } | { ok: false; status: number; row: number };

/** Status of a row's first invalid value (STATUS_OK when valid); column order as the kernel. */
function rowStatus(columns: ResidentColumns, r: number, municipalityIndexByCode: Int16Array): number {
  const code = columns.municipalityCode[r] ?? -1;
  if (code >= abi.MUNICIPALITY_CODE_LIMIT || (municipalityIndexByCode[code] ?? -1) < 0) return abi.STATUS_UNKNOWN_MUNICIPALITY;
  if ((columns.sex[r] ?? 0) > 1) return 2;
  if ((columns.ageYears[r] ?? 0) > MAX_AGE_YEARS) return 3;
  if ((columns.civilStatus[r] ?? 0) > 3) return 4;
  if ((columns.education[r] ?? 0) > 3) return 5;
  if ((columns.chronicDiseaseCount[r] ?? 0) > MAX_CHRONIC_DISEASES) return 6;
  if ((columns.psychiatric[r] ?? 0) > 1) return 7;
  if ((columns.menapt[r] ?? 0) > 1) return 8;
  if ((columns.outsideLabourMarket[r] ?? 0) > 1) return abi.STATUS_BAD_OUTSIDE_LABOUR_MARKET;
  return abi.STATUS_OK;
}

export function weighColumnsReference(
  columns: ResidentColumns,
  table: WeightTable,
  geography: Geography,
  weightsOut?: Float64Array,
): KernelOutcome {
  const rows = columns.municipalityCode.length;
  const groups = ageGroupByAge(table);
  const sums = makeWeighSums(geography);
  const { municipality, council, clinic } = sums;
  const byCode = geography.municipalityIndexByCode;
  const councilOf = Int32Array.from(geography.municipalities, (m) => m.councilIndex);
  for (let r = 0; r < rows; r++) {
    const status = rowStatus(columns, r, byCode);
    if (status !== abi.STATUS_OK) return { ok: false, status, row: r };
    const w = residentWeight(
      table,
      groups[columns.ageYears[r] ?? 0] ?? 0,
      columns.sex[r] ?? 0,
      columns.civilStatus[r] ?? 0,
      columns.education[r] ?? 0,
      columns.chronicDiseaseCount[r] ?? 0,
      columns.psychiatric[r] ?? 0,
      columns.menapt[r] ?? 0,
      columns.outsideLabourMarket[r] ?? 0,
    );
    if (weightsOut !== undefined) weightsOut[r] = w;
    const m = byCode[columns.municipalityCode[r] ?? 0] ?? 0;
    const k = columns.clinicId[r] ?? 0;
    const ww = w * w;
    municipality.residents[m]! += 1;
    municipality.weightSum[m]! += w;
    municipality.weightSquaredSum[m]! += ww;
    clinic.residents[k]! += 1;
    clinic.weightSum[k]! += w;
    clinic.weightSquaredSum[k]! += ww;
  }
  // Councils from their municipalities, in municipality order: the same sums with a hundred
  // thousand times fewer roundings than adding a council's residents one by one.
  for (let m = 0; m < councilOf.length; m++) {
    const c = councilOf[m] ?? 0;
    council.residents[c]! += municipality.residents[m] ?? 0;
    council.weightSum[c]! += municipality.weightSum[m] ?? 0;
    council.weightSquaredSum[c]! += municipality.weightSquaredSum[m] ?? 0;
  }
  return { ok: true, sums: withTotals(sums) };
}
