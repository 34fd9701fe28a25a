import type { Geography } from "../../geo/geography.js";
import { ageGroupByAge, residentWeight, type WeightTable } from "../../model/weightTable.js";
import { MAX_AGE_YEARS, MAX_CHRONIC_DISEASES, type ResidentColumns } from "../../population/schema.js";
import { makeWeighSums, withTotals } from "./sums.js";
import type { WeighSums } from "./types.js";
import * as abi from "../abi.js";
import { KERNEL_CALL_ROWS } from "./calls.js";

/**
 * The weighting pass in plain TypeScript: the oracle the WASM kernel is tested against and the
 * baseline it is benchmarked against. Same semantics as `weighRows`: weights from
 * `residentWeight` itself, rows checked in column order, the first bad row reported with the
 * kernel's status code. Sums are added in the kernel's order (docs/ABI.md, "Summation order"),
 * so a single-threaded kernel pass agrees with it bit for bit, sums included:
 *   - the rows are cut into calls of `callRows` (KERNEL_CALL_ROWS, as weighRange cuts them) and
 *     a call into runs, stretches of consecutive rows of one municipality;
 *   - within a run each clinic's [Σw, Σw²] and count are summed in row order in four banks, row
 *     r going to bank r mod 4 (its partials);
 *   - at the end of a run each clinic's partials, (bank 0 + bank 1) + (bank 2 + bank 3), are
 *     added to the clinic and to the run's sums, which go to the municipality and then to the
 *     council; clinics in id order when the run has at least as many rows as the call's range
 *     of clinic ids (lowest to highest, "no clinic" left out), else in order of first
 *     appearance in the run; "no clinic" (65535) last either way.
 */

export type KernelOutcome = { ok: true; sums: WeighSums } | { ok: false; status: number; row: number };

/** Status of a row's first invalid value (STATUS_OK when valid); column order as the kernel. */
function rowStatus(columns: ResidentColumns, r: number, municipalityIndexByCode: Int16Array): number {
  const code = columns.municipalityCode[r] ?? -1;
  if (code >= abi.MUNICIPALITY_CODE_LIMIT || (municipalityIndexByCode[code] ?? -1) < 0) return abi.STATUS_UNKNOWN_MUNICIPALITY;
  if ((columns.sex[r] ?? 0) > 1) return abi.STATUS_BAD_SEX;
  if ((columns.ageYears[r] ?? 0) > MAX_AGE_YEARS) return abi.STATUS_BAD_AGE;
  if ((columns.civilStatus[r] ?? 0) > 3) return abi.STATUS_BAD_CIVIL_STATUS;
  if ((columns.education[r] ?? 0) > 3) return abi.STATUS_BAD_EDUCATION;
  if ((columns.chronicDiseaseCount[r] ?? 0) > MAX_CHRONIC_DISEASES) return abi.STATUS_BAD_CHRONIC_DISEASE_COUNT;
  if ((columns.psychiatric[r] ?? 0) > 1) return abi.STATUS_BAD_PSYCHIATRIC;
  if ((columns.menapt[r] ?? 0) > 1) return abi.STATUS_BAD_MENAPT;
  if ((columns.outsideLabourMarket[r] ?? 0) > 1) return abi.STATUS_BAD_OUTSIDE_LABOUR_MARKET;
  return abi.STATUS_OK;
}

export function weighColumnsReference(
  columns: ResidentColumns,
  table: WeightTable,
  geography: Geography,
  weightsOut?: Float64Array,
  callRows = KERNEL_CALL_ROWS,
): KernelOutcome {
  const rows = columns.municipalityCode.length;
  const groups = ageGroupByAge(table);
  const sums = makeWeighSums(geography);
  const { municipality, council, clinic } = sums;
  const byCode = geography.municipalityIndexByCode;
  const councilOf = Int32Array.from(geography.municipalities, (m) => m.councilIndex);
  // Partial sums by clinic and bank (row index mod 4), as the kernel keeps them; counts by clinic.
  const partialWeight = new Float64Array(abi.CLINIC_SLOTS * 4);
  const partialSquared = new Float64Array(abi.CLINIC_SLOTS * 4);
  const clinicResidents = new Uint32Array(abi.CLINIC_SLOTS);
  let touched = new Uint16Array(1024);
  let touchedCount = 0;
  let runMunicipality = -1;
  let runRows = 0;

  // The clinic id range of each call, "no clinic" left out: it decides a run's flush order.
  let callRangeSize = 0;
  const startCall = (first: number): void => {
    let low = abi.NO_CLINIC;
    let high = -1;
    for (let r = first; r < Math.min(rows, first + callRows); r++) {
      const k = columns.clinicId[r] ?? 0;
      if (k === abi.NO_CLINIC) continue;
      low = Math.min(low, k);
      high = Math.max(high, k);
    }
    callRangeSize = high >= low ? high - low + 1 : 0;
  };

  const endRun = (): void => {
    const seen = touched.subarray(0, touchedCount);
    const order =
      runRows >= callRangeSize ? seen.sort() : [...seen.filter((k) => k !== abi.NO_CLINIC), ...seen.filter((k) => k === abi.NO_CLINIC)];
    let runWeight = 0;
    let runSquared = 0;
    for (const k of order) {
      const b = k * 4;
      const weight = partialWeight[b]! + partialWeight[b + 1]! + (partialWeight[b + 2]! + partialWeight[b + 3]!);
      const squared = partialSquared[b]! + partialSquared[b + 1]! + (partialSquared[b + 2]! + partialSquared[b + 3]!);
      clinic.weightSum[k]! += weight;
      clinic.weightSquaredSum[k]! += squared;
      clinic.residents[k]! += clinicResidents[k]!;
      runWeight += weight;
      runSquared += squared;
      partialWeight.fill(0, b, b + 4);
      partialSquared.fill(0, b, b + 4);
      clinicResidents[k] = 0;
    }
    const m = runMunicipality;
    const c = councilOf[m] ?? 0;
    municipality.residents[m]! += runRows;
    municipality.weightSum[m]! += runWeight;
    municipality.weightSquaredSum[m]! += runSquared;
    council.residents[c]! += runRows;
    council.weightSum[c]! += runWeight;
    council.weightSquaredSum[c]! += runSquared;
    touchedCount = 0;
    runRows = 0;
  };

  for (let r = 0; r < rows; r++) {
    const status = rowStatus(columns, r, byCode);
    if (status !== abi.STATUS_OK) return { ok: false, status, row: r };
    const m = byCode[columns.municipalityCode[r] ?? 0] ?? 0;
    if (runRows > 0 && (m !== runMunicipality || r % callRows === 0)) endRun();
    if (r % callRows === 0) startCall(r);
    runMunicipality = m;
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
    const k = columns.clinicId[r] ?? 0;
    if (clinicResidents[k] === 0) {
      if (touchedCount === touched.length) {
        const grown = new Uint16Array(touched.length * 2);
        grown.set(touched);
        touched = grown;
      }
      touched[touchedCount++] = k;
    }
    const bank = k * 4 + (r & 3);
    partialWeight[bank]! += w;
    partialSquared[bank]! += w * w;
    clinicResidents[k]! += 1;
    runRows++;
  }
  if (runRows > 0) endRun();
  return { ok: true, sums: withTotals(sums) };
}
