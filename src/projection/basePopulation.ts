import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { checkPopulationWeightsPositive } from "../model/populationWeights.js";
import type { WeightTable } from "../model/weightTable.js";
import { MAX_AGE_YEARS, MAX_CHRONIC_DISEASES, NO_CLINIC, type ResidentColumns } from "../population/schema.js";
import type { GpRegister } from "../register/types.js";
import { ownEducationClasses } from "./ownEducation.js";
import { profileOf, type PopulationProfile } from "./profile.js";
import type { ResidentYearSums } from "./replication.js";
import { STEP_AGES, STEP_MUNICIPALITIES, allocateStepColumns, packCode, type StepColumns } from "../kernel/step/layout.js";
import { makeStepWeights } from "./tables.js";

/**
 * The base population in the step's packed form (age, 11-bit code, municipality index, dense
 * clinic index), with what calibration and year 0 need: the profile, the sums at the end of
 * 2025 and the share of residents not listed with any clinic per municipality. Rows are sorted
 * by municipality, then clinic (stably): the step then sums long runs of one clinic in registers
 * (assembly/step.ts). Row order only decides which draw a resident gets, not the model.
 */
export interface BasePopulation {
  rows: number;
  columns: StepColumns;
  /** Register clinics + one slot for "not listed". */
  clinicSlots: number;
  profile: PopulationProfile;
  baseSums: ResidentYearSums;
  unlistedShare: Float64Array;
}

export function packBasePopulation(
  source: ResidentColumns,
  rows: number,
  geography: Geography,
  register: GpRegister,
  weightTable: WeightTable,
  file = "<population>",
): BasePopulation {
  // A projection of nobody would "succeed" with empty tables; it is almost always a wrong file.
  if (rows === 0) throw new FordelingError("FD_ERR_BAD_VALUE", "the population has no residents; nothing can be projected", { file });
  checkPopulationWeightsPositive(weightTable, source, rows, file);
  const ownEducation = ownEducationClasses(source, rows, geography);
  const columns = allocateStepColumns(rows);
  const clinicSlots = register.clinics.length + 1;
  const unlisted = clinicSlots - 1;
  const weights = makeStepWeights(weightTable);
  const sums = emptySums(clinicSlots);
  const unlistedByMunicipality = new Float64Array(STEP_MUNICIPALITIES);
  const bad = (column: string, row: number, value: number, allowed: string): never => {
    throw new FordelingError("FD_ERR_BAD_VALUE", `${value} is out of range (allowed ${allowed})`, { file, column, row });
  };
  for (let i = 0; i < rows; i++) {
    const code = source.municipalityCode[i] ?? 0;
    const m = geography.municipalityIndexByCode[code] ?? -1;
    if (m < 0)
      throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `${code} is not one of the 98 municipality codes`, {
        file,
        column: "municipalityCode",
        row: i,
      });
    const age = source.ageYears[i] ?? 0;
    if (age > MAX_AGE_YEARS) bad("ageYears", i, age, `0 to ${MAX_AGE_YEARS}`);
    const sex = source.sex[i] ?? 0;
    const civil = source.civilStatus[i] ?? 0;
    const education = source.education[i] ?? 0;
    const chronic = source.chronicDiseaseCount[i] ?? 0;
    const psychiatric = source.psychiatric[i] ?? 0;
    const menapt = source.menapt[i] ?? 0;
    const labour = source.outsideLabourMarket[i] ?? 0;
    if (sex > 1) bad("sex", i, sex, "0 to 1");
    if (civil > 3) bad("civilStatus", i, civil, "0 to 3");
    if (education > 3) bad("education", i, education, "0 to 3");
    if (chronic > MAX_CHRONIC_DISEASES) bad("chronicDiseaseCount", i, chronic, `0 to ${MAX_CHRONIC_DISEASES}`);
    if (psychiatric > 1) bad("psychiatric", i, psychiatric, "0 to 1");
    if (menapt > 1) bad("menapt", i, menapt, "0 to 1");
    if (labour > 1) bad("outsideLabourMarket", i, labour, "0 to 1");
    const packed = packCode(sex, civil, education, chronic, psychiatric, menapt, labour, ownEducation[i] ?? education);
    const clinicId = source.clinicId[i] ?? NO_CLINIC;
    const k = clinicId === NO_CLINIC ? -1 : (register.clinicIndexById[clinicId] ?? -1);
    // A resident listed with a clinic the register lacks would silently count as unlisted.
    if (clinicId !== NO_CLINIC && k < 0) {
      throw new FordelingError("FD_ERR_BAD_VALUE", `clinic ${clinicId} is not in the GP register (${NO_CLINIC} means not listed)`, {
        file,
        column: "clinicId",
        row: i,
      });
    }
    const clinic = k < 0 ? unlisted : k;
    columns.age[i] = age;
    columns.code[i] = packed;
    columns.muni[i] = m;
    columns.clinic[i] = clinic;
    const w = (weights.base[sex * STEP_AGES + age] ?? 0) + (weights.contributions[packed & 0x3ff] ?? 0);
    sums.residents[m]! += 1;
    sums.weight[m]! += w;
    sums.clinicResidents[clinic]! += 1;
    sums.clinicWeight[clinic]! += w;
    if (clinic === unlisted) unlistedByMunicipality[m]! += 1;
  }
  const unlistedShare = unlistedByMunicipality.map((n, m) => ((sums.residents[m] ?? 0) > 0 ? n / (sums.residents[m] ?? 1) : 0));
  const sorted = sortByMunicipalityAndClinic(columns, rows, clinicSlots);
  return { rows, columns: sorted, clinicSlots, profile: profileOf(sorted, rows), baseSums: sums, unlistedShare };
}

/** A stable counting sort of the rows by (municipality, clinic). */
export function sortByMunicipalityAndClinic(columns: StepColumns, rows: number, clinicSlots: number): StepColumns {
  const keyOf = (i: number): number => (columns.muni[i] ?? 0) * clinicSlots + (columns.clinic[i] ?? 0);
  const start = new Uint32Array(STEP_MUNICIPALITIES * clinicSlots + 1);
  for (let i = 0; i < rows; i++) start[keyOf(i) + 1]! += 1;
  for (let k = 1; k < start.length; k++) start[k]! += start[k - 1] ?? 0;
  const sorted = allocateStepColumns(rows);
  for (let i = 0; i < rows; i++) {
    const to = start[keyOf(i)]!++;
    sorted.age[to] = columns.age[i] ?? 0;
    sorted.code[to] = columns.code[i] ?? 0;
    sorted.muni[to] = columns.muni[i] ?? 0;
    sorted.clinic[to] = columns.clinic[i] ?? 0;
  }
  return sorted;
}

export function emptySums(clinicSlots: number): ResidentYearSums {
  const area = (): Float64Array => new Float64Array(STEP_MUNICIPALITIES);
  return {
    residents: area(),
    weight: area(),
    deaths: area(),
    movedOut: area(),
    movedIn: area(),
    births: area(),
    clinicResidents: new Float64Array(clinicSlots),
    clinicWeight: new Float64Array(clinicSlots),
  };
}

/** Splits a flat sums block (layout in src/kernel/step/layout.ts) into named arrays (copies). */
export function sumsFromBlock(block: Float64Array, clinicSlots: number): ResidentYearSums {
  const b = STEP_MUNICIPALITIES;
  const part = (i: number): Float64Array => block.slice(i * b, (i + 1) * b);
  return {
    residents: part(0),
    weight: part(1),
    deaths: part(2),
    movedOut: part(3),
    movedIn: part(4),
    births: part(5),
    clinicResidents: block.slice(6 * b, 6 * b + clinicSlots),
    clinicWeight: block.slice(6 * b + clinicSlots, 6 * b + 2 * clinicSlots),
  };
}
