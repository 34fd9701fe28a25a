import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { locationTableFor, type LocationTable } from "../geo/locations.js";
import { makeClinicChooser } from "../register/chooser.js";
import type { ClinicChooser, GpRegister } from "../register/types.js";
import { POPULATION_PARAMETERS } from "./parameters.js";
import { integerizeCells, municipalTotals, rakePyramids } from "./pyramid.js";
import { makeCharacteristicTables, type CharacteristicTables } from "./rates.js";
import {
  AGE_COUNT,
  CELL_COUNT,
  loadCivilStatusCumulative,
  loadMunicipalMarginals,
  loadNationalMargins2026,
  loadPyramids2020,
} from "./referenceData.js";
import { locationIdsForMunicipality } from "./placement.js";
import { ResidentFileWriter } from "./residentFile.js";
import { drawCategory, Xoshiro128 } from "./rng.js";
import { allocateResidentColumns, MAX_CHRONIC_DISEASES, NO_LOCATION, type ResidentColumns } from "./schema.js";
import { PopulationSummaryAccumulator, type PopulationSummary } from "./summary.js";

export interface GenerateOptions {
  outFile: string;
  seed: number;
  /** Multiplies every municipality's 2026 total (rounded, at least 1 resident each); default 1. */
  scale?: number;
  geography: Geography;
  register: GpRegister;
  batchRows?: number;
  onProgress?: (doneRows: number, totalRows: number) => void;
  /** Where residents live (default: the built-in table for the built-in geography). */
  locations?: LocationTable;
}

const NEIGHBOURHOOD_SHARE = POPULATION_PARAMETERS.clinicAssignment.neighbourhoodShare.value;

export const DEFAULT_BATCH_ROWS = 1 << 18;
export const MAX_SCALE = 10;
export const MAX_SEED = 0xffffffff;

/** Everything a run needs besides the seed: the raked pyramids and the probability tables. */
export interface PopulationPlan {
  geography: Geography;
  scale: number;
  totals: Int32Array;
  totalRows: number;
  fittedCells: Float64Array;
  tables: CharacteristicTables;
}

export function makePopulationPlan(geography: Geography, scale = 1): PopulationPlan {
  if (!(Number.isFinite(scale) && scale > 0 && scale <= MAX_SCALE)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `scale must be above 0 and at most ${MAX_SCALE}, got ${String(scale)}`, { field: "scale" });
  }
  const totals = municipalTotals(geography, scale);
  const margins = loadNationalMargins2026();
  const fittedCells = rakePyramids(loadPyramids2020(geography), totals, margins);
  const nationalTotal = margins.reduce((s, v) => s + v, 0);
  const tables = makeCharacteristicTables(
    geography,
    loadMunicipalMarginals(geography),
    fittedCells,
    nationalTotal,
    loadCivilStatusCumulative(),
  );
  return { geography, scale, totals, totalRows: totals.reduce((s, t) => s + t, 0), fittedCells, tables };
}

function checkOptions(seed: number, batchRows: number): void {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `seed must be a whole number from 0 to ${MAX_SEED}, got ${String(seed)}`, {
      field: "seed",
    });
  }
  if (!(Number.isInteger(batchRows) && batchRows >= 1 && batchRows <= 1 << 22)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `batchRows must be a whole number from 1 to ${1 << 22}, got ${String(batchRows)}`, {
      field: "batchRows",
    });
  }
}

/**
 * Residents in batches of `batchRows` (the last one shorter), municipalities in ascending code
 * order, within a municipality by sex then age. Each municipality draws from its own PRNG
 * stream (stream = municipality code), so a row's values do not depend on the batch size.
 */
export function* residentBatches(
  plan: PopulationPlan,
  seed: number,
  chooser: ClinicChooser,
  batchRows = DEFAULT_BATCH_ROWS,
  locations?: LocationTable,
): Generator<{ columns: ResidentColumns; rows: number; locationIds: Uint16Array }> {
  checkOptions(seed, batchRows);
  const { tables, geography } = plan;
  let columns = allocateResidentColumns(batchRows);
  let locationIds = new Uint16Array(batchRows).fill(NO_LOCATION);
  let row = 0;
  for (const municipality of geography.municipalities) {
    const m = municipality.index;
    const rng = new Xoshiro128(seed, municipality.code);
    const cellCounts = integerizeCells(plan.fittedCells.subarray(m * CELL_COUNT, (m + 1) * CELL_COUNT), plan.totals[m]!, rng);
    const ageRank = ageRankTable(cellCounts);
    const residents = plan.totals[m]!;
    const placed = locations === undefined ? undefined : locationIdsForMunicipality(locations, m, municipality.code, residents, seed);
    let resident = 0;
    for (let cell = 0; cell < CELL_COUNT; cell++) {
      const sex = Math.floor(cell / AGE_COUNT);
      const age = cell % AGE_COUNT;
      const civil = tables.civilCumulative.subarray(cell * 4, cell * 4 + 4);
      const education = tables.educationCumulative.subarray((m * AGE_COUNT + age) * 4, (m * AGE_COUNT + age) * 4 + 4);
      const at = m * CELL_COUNT + cell;
      const pMenapt = tables.menapt[at]!;
      const pOutside = tables.outsideLabourMarket[at]!;
      const pChronic = tables.chronicAny[at]!;
      const pPsychiatric = tables.psychiatric[at]!;
      const extraMean = tables.chronicExtraMean[age]!;
      for (let k = cellCounts[cell]!; k > 0; k--) {
        columns.municipalityCode[row] = municipality.code;
        columns.sex[row] = sex;
        columns.ageYears[row] = age;
        // Draw order is part of the format's determinism: changing it changes every file.
        columns.civilStatus[row] = drawCategory(civil, rng.nextFloat());
        columns.education[row] = drawCategory(education, rng.nextFloat());
        columns.chronicDiseaseCount[row] =
          rng.nextFloat() < pChronic ? 1 + poissonCapped(extraMean, rng.nextFloat(), MAX_CHRONIC_DISEASES - 1) : 0;
        columns.psychiatric[row] = rng.nextFloat() < pPsychiatric ? 1 : 0;
        columns.menapt[row] = rng.nextFloat() < pMenapt ? 1 : 0;
        columns.outsideLabourMarket[row] = rng.nextFloat() < pOutside ? 1 : 0;
        // Mixture of two uniforms (age rank, fresh draw) is uniform: list sizes stay capacity-
        // proportional while clinics differ in age mix (parameters: clinicAssignment).
        const byAge = rng.nextFloat() < NEIGHBOURHOOD_SHARE;
        const u = byAge ? (ageRank[age]! + rng.nextFloat() * ageRank[AGE_COUNT + age]!) / residents : rng.nextFloat();
        columns.clinicId[row] = chooser.clinicFor(m, u);
        if (placed !== undefined) locationIds[row] = placed[resident++]!;
        if (++row === batchRows) {
          yield { columns, rows: row, locationIds };
          columns = allocateResidentColumns(batchRows);
          locationIds = new Uint16Array(batchRows).fill(NO_LOCATION);
          row = 0;
        }
      }
    }
  }
  if (row > 0) yield { columns, rows: row, locationIds };
}

/** [0, AGE_COUNT): residents younger than each age (both sexes); [AGE_COUNT, 2·AGE_COUNT): residents at it. */
function ageRankTable(cellCounts: Int32Array): Float64Array {
  const table = new Float64Array(2 * AGE_COUNT);
  let below = 0;
  for (let age = 0; age < AGE_COUNT; age++) {
    const atAge = cellCounts[age]! + cellCounts[AGE_COUNT + age]!;
    table[age] = below;
    table[AGE_COUNT + age] = atAge;
    below += atAge;
  }
  return table;
}

/** Poisson(mean) by inversion, capped at `max` (the schema's "7 or more" folds the tail). */
function poissonCapped(mean: number, u: number, max: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (u >= cumulative && k < max) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/** Streams a synthetic population to an Arrow IPC file (temp name, then rename). */
export async function generatePopulationFile(opts: GenerateOptions): Promise<PopulationSummary> {
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  checkOptions(opts.seed, batchRows);
  const plan = makePopulationPlan(opts.geography, opts.scale ?? 1);
  const chooser = makeClinicChooser(opts.register, opts.geography);
  const summary = new PopulationSummaryAccumulator(opts.geography);
  const locations = opts.locations ?? locationTableFor(opts.geography);
  const writer = await ResidentFileWriter.open(opts.outFile, {
    "fordeling.seed": String(opts.seed),
    "fordeling.scale": String(plan.scale),
    "fordeling.generator": "synthetic-2026/1",
    "fordeling.locations": locations.version,
  });
  let done = 0;
  try {
    opts.onProgress?.(0, plan.totalRows);
    for (const batch of residentBatches(plan, opts.seed, chooser, batchRows, locations)) {
      summary.add(batch.columns, batch.rows);
      await writer.write(batch.columns, batch.rows, batch.locationIds);
      done += batch.rows;
      opts.onProgress?.(done, plan.totalRows);
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
  return summary.result();
}

/** The same residents as generatePopulationFile, in memory: for tests and calibration at small scale. */
export function generatePopulationColumns(opts: Omit<GenerateOptions, "outFile" | "batchRows" | "onProgress">): ResidentColumns {
  const plan = makePopulationPlan(opts.geography, opts.scale ?? 1);
  const all = allocateResidentColumns(plan.totalRows);
  let offset = 0;
  for (const { columns, rows } of residentBatches(plan, opts.seed, makeClinicChooser(opts.register, opts.geography), DEFAULT_BATCH_ROWS)) {
    for (const name of Object.keys(all) as (keyof ResidentColumns)[]) all[name].set(columns[name].subarray(0, rows), offset);
    offset += rows;
  }
  return all;
}
