import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { FordelingError, isFordelingError } from "../errors.js";
import { makeKernelPool } from "../kernel/pool.js";
import { POPULATION_2026_TOTAL, defaultGeography } from "../geo/geography.js";
import type { Table } from "../io/table.js";
import { defaultParameterFile } from "../model/parameters.js";
import type { Scenario } from "../model/scenario.js";
import { defaultWeightTable, loadWeightTable, type WeightTable } from "../model/weightTable.js";
import { DIST_DIR } from "../paths.js";
import { readPopulationColumns } from "../population/read.js";
import { countResidentsByLocation } from "../population/residentsByLocation.js";
import { locationTableFor } from "../geo/locations.js";
import { defaultGeoParameters } from "../geo/parameters.js";
import { weighSmallIslands } from "../capacity/islandFigures.js";
import { buildAccessGrid, checkIslandCount } from "./accessGrid.js";
import { readRegisterCsv } from "../register/registerCsv.js";
import { SLOT_FLAGS_BYTE, fillProjectionMemory, makeProjectionMemory, planProjectionMemory } from "../kernel/step/slots.js";
import { packBasePopulation } from "./basePopulation.js";
import { drawParameters } from "./draw.js";
import { expectedEntrants } from "./gps.js";
import { placeFeatures } from "./supply/places.js";
import { calibrateRetirement, type RetirementFit } from "./supply/retirement.js";
import { calibrateResidentRates } from "./rates.js";
import { BASE_YEAR, type ProjectionContext, type ReplicationResult } from "./replication.js";
import { summarizeLevel } from "./summary.js";
import { replicationDataOf, storedValuesOf, type ReplicationData } from "../results/replicationData.js";
import type { ReplicationTask, ReplicationTaskResult } from "./worker.js";

/** The HTTP API builds on these names; keep them. */
export interface ProjectionRequest {
  scenario: Scenario;
  replications: number;
  seed: number;
  horizonYear: number;
  populationFile: string;
  registerFile: string;
  threads?: number;
  /** Also keep every replication per municipality (replications_municipalities.arrow). */
  keepMunicipalities?: boolean;
}

export interface ProjectionProgress {
  completedUnits: number;
  totalUnits: number;
  etaSeconds?: number;
  phase: string;
}

export interface ProjectionManifest {
  formatVersion: 1;
  kind: "fordeling.projection";
  scenario: Scenario;
  seed: number;
  replications: number;
  baseYear: number;
  horizonYear: number;
  modelVersion: string;
  parametersId: string;
  weightTableId: string;
  dataVersions: {
    population: { file: string; rows: number; sha256: string };
    register: { file: string; gps: number; clinics: number; sha256: string };
    geography: string;
  };
  /** The GPs' exit hazard and how close it comes to the published facts (src/projection/supply/retirement.ts). */
  calibration: { retirement: RetirementFit; populationScale: number };
  createdAt: string;
  /** How the run went; not part of the result (any thread count gives the same tables). */
  run: { threads: number; wallSeconds: number };
}

export interface ProjectionResult {
  manifest: ProjectionManifest;
  tables: { council: Table; municipality: Table; national: Table; island: Table };
  /** Every replication's councils and nation, and its drawn parameters (src/results). */
  replications: ReplicationData;
  /** The same per municipality (a subset of the columns), when the request kept them. */
  municipalityReplications?: ReplicationData;
}

export const MODEL_VERSION = "fordeling-projection/1";
export const MAX_REPLICATIONS = 100_000;
export const MAX_HORIZON_YEAR = 2040;

function checkRequest(req: ProjectionRequest): void {
  const fail = (field: string, message: string): never => {
    throw new FordelingError("FD_ERR_ARGUMENT", message, { field });
  };
  if (!Number.isInteger(req.replications) || req.replications < 1 || req.replications > MAX_REPLICATIONS) {
    fail("replications", `replications must be a whole number from 1 to ${MAX_REPLICATIONS}, got ${req.replications}`);
  }
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffffffff)
    fail("seed", `seed must be a whole number from 0 to 4294967295, got ${req.seed}`);
  if (!Number.isInteger(req.horizonYear) || req.horizonYear <= BASE_YEAR || req.horizonYear > MAX_HORIZON_YEAR) {
    fail("horizonYear", `horizon must be a year from ${BASE_YEAR + 1} to ${MAX_HORIZON_YEAR}, got ${req.horizonYear}`);
  }
  if (req.threads !== undefined && (!Number.isInteger(req.threads) || req.threads < 1 || req.threads > 64)) {
    fail("threads", `threads must be a whole number from 1 to 64, got ${req.threads}`);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function cancelled(): FordelingError {
  return new FordelingError("FD_ERR_CANCELLED", "the projection was cancelled");
}

/** What every replication of a run shares: read, hashed and calibrated once per run (or per worker). */
export interface PreparedProjection {
  req: ProjectionRequest;
  context: ProjectionContext;
  base: ReturnType<typeof packBasePopulation>;
  rows: number;
  years: number;
  populationHash: string;
  registerHash: string;
  retirement: RetirementFit;
}

/** Per-replication results in replication order, however they were computed (local pool, job queue). */
export interface ReplicationExecutor {
  /** For the manifest's `run` (how the run went; not part of the result). */
  readonly threads: (prepared: PreparedProjection) => number;
  run(prepared: PreparedProjection, hooks: { onDone: () => void; signal?: AbortSignal }): Promise<ReplicationResult[]>;
}

/** Loads the run's population and register, hashes them and calibrates at the central parameter values. */
export async function prepareProjection(req: ProjectionRequest): Promise<PreparedProjection> {
  checkRequest(req);
  const years = req.horizonYear - BASE_YEAR;
  const geography = defaultGeography();
  const tableFile = req.scenario.parameters["model.weightTableFile"];
  const weightTable: WeightTable = typeof tableFile === "string" && tableFile !== "" ? loadWeightTable(tableFile) : defaultWeightTable();
  const parameterFile = defaultParameterFile();
  const register = readRegisterCsv(req.registerFile, geography);
  const residents = readPopulationColumns(req.populationFile, geography);
  const rows = residents.municipalityCode.length;
  const base = packBasePopulation(residents, rows, geography, register, weightTable, req.populationFile);
  // Residents per location (the file's location_id column) and the clinics' places: the access rule's geography.
  const table = locationTableFor(geography);
  const residentsAt = countResidentsByLocation(req.populationFile, table, geography).residents;
  const islands = weighSmallIslands({ populationFile: req.populationFile, table, weightTable, geography });
  const access = buildAccessGrid(table, geography, register, residentsAt, defaultGeoParameters(), {
    island: islands.placed ? islands.weightSum : new Float64Array(table.islands.length + 1),
    municipality: islands.placed ? base.baseSums.weight : new Float64Array(geography.municipalities.length),
  });
  // Every island is an area of the results: the data must give the count the results hold.
  checkIslandCount(access);
  const [populationHash, registerHash] = await Promise.all([sha256Of(req.populationFile), sha256Of(req.registerFile)]);

  // Calibrations at the central parameter values, shared by every replication.
  const central = drawParameters(parameterFile, req.scenario, req.seed, -1);
  const centralRates = calibrateResidentRates(base.profile, geography, central);
  const populationScale = rows / POPULATION_2026_TOTAL;
  const tenderedGps = new Set(register.clinics.filter((c) => c.tendered).flatMap((c) => c.gpIds));
  const retirement = calibrateRetirement(
    register.gps.filter((g) => !tenderedGps.has(g.gpId)).map((g) => g.ageYears),
    {
      exitsPerGp: central.num("gp.publishedExitsPerYear") / central.num("gp.publishedGpCount"),
      share65PlusIn2030: central.num("gp.publishedShare65PlusIn2030"),
      meanRetirementAgeYears: central.num("gp.retirementMeanAgeYears"),
      yearsTo2030: 2030 - (BASE_YEAR + 1),
      entrantsPerYear: expectedEntrants(central, BASE_YEAR + 1) * populationScale,
      entryAgeYears: central.num("gp.newGpAgeYears"),
    },
  );
  const context: ProjectionContext = {
    geography,
    register,
    weightTable,
    parameterFile,
    scenario: req.scenario,
    seed: req.seed,
    horizonYear: req.horizonYear,
    profile: base.profile,
    baseSums: base.baseSums,
    unlistedShare: base.unlistedShare,
    centralLnLevel: centralRates.lnLevel,
    retirement,
    features: placeFeatures(geography),
    populationScale,
    access,
  };
  return { req, context, base, rows, years, populationHash, registerHash, retirement };
}

/** A Piscina pool over one shared kernel memory that runs any replications of a prepared run. */
export interface ReplicationPool {
  readonly threads: number;
  /** Results in the order of `replications`; `onDone` after each. */
  run(replications: readonly number[], onDone?: () => void): Promise<ReplicationResult[]>;
  close(): Promise<void>;
}

export function openReplicationPool(prepared: PreparedProjection, threads: number): ReplicationPool {
  const layout = planProjectionMemory(prepared.rows, prepared.years, threads, prepared.base.clinicSlots);
  const memory = makeProjectionMemory(layout);
  fillProjectionMemory(memory, layout, prepared.base.columns);
  const pool = makeKernelPool({
    filename: join(DIST_DIR, "projection", "worker.js"),
    memory,
    threads,
    workerData: { context: prepared.context, layout, slotFlags: SLOT_FLAGS_BYTE },
    taskTimeoutMs: 30 * 60_000,
  });
  return {
    threads,
    run: async (replications, onDone) => {
      const tasks: ReplicationTask[] = replications.map((replication) => ({ replication }));
      return pool.runAll<ReplicationTask, ReplicationTaskResult>(tasks, () => onDone?.());
    },
    close: () => pool.close(),
  };
}

/** The default executor: every replication in this process's own pool. */
export function localExecutor(threadsWanted?: number): ReplicationExecutor {
  const threadsOf = (prepared: PreparedProjection): number => Math.min(threadsWanted ?? availableParallelism(), prepared.req.replications);
  return {
    threads: threadsOf,
    async run(prepared, { onDone, signal }) {
      const pool = openReplicationPool(prepared, threadsOf(prepared));
      const onAbort = (): void => void pool.close();
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        return await pool.run(
          Array.from({ length: prepared.req.replications }, (_, replication) => replication),
          onDone,
        );
      } finally {
        signal?.removeEventListener("abort", onAbort);
        await pool.close();
      }
    },
  };
}

/** The result tables and manifest from per-replication results in replication order. */
export function summariseProjection(
  prepared: PreparedProjection,
  ordered: readonly ReplicationResult[],
  run: ProjectionManifest["run"],
): ProjectionResult {
  const { req, context, years } = prepared;
  const geography = context.geography;
  const replications = replicationDataOf(ordered, {
    geography,
    parameterFile: context.parameterFile,
    scenario: req.scenario,
    seed: req.seed,
    baseYear: BASE_YEAR,
    years,
  });
  // Councils and the nation: what the per-replication file stores is summarised from it (one
  // path, docs/ANALYSIS.md); municipalities and the other metrics from the replications' records.
  const stored = storedValuesOf(replications, geography);
  const tables = {
    council: summarizeLevel("council", ordered, geography, BASE_YEAR, years, stored),
    municipality: summarizeLevel("municipality", ordered, geography, BASE_YEAR, years),
    national: summarizeLevel("national", ordered, geography, BASE_YEAR, years, stored),
    island: summarizeLevel("island", ordered, geography, BASE_YEAR, years, undefined, context.access.islands),
  };
  const municipalityReplications =
    req.keepMunicipalities === true
      ? replicationDataOf(
          ordered,
          { geography, parameterFile: context.parameterFile, scenario: req.scenario, seed: req.seed, baseYear: BASE_YEAR, years },
          "municipalities",
        )
      : undefined;
  const manifest: ProjectionManifest = {
    formatVersion: 1,
    kind: "fordeling.projection",
    scenario: req.scenario,
    seed: req.seed,
    replications: req.replications,
    baseYear: BASE_YEAR,
    horizonYear: req.horizonYear,
    modelVersion: MODEL_VERSION,
    parametersId: context.parameterFile.id,
    weightTableId: context.weightTable.id,
    dataVersions: {
      population: { file: req.populationFile, rows: prepared.rows, sha256: prepared.populationHash },
      register: {
        file: req.registerFile,
        gps: context.register.gps.length,
        clinics: context.register.clinics.length,
        sha256: prepared.registerHash,
      },
      geography: "data/kommuner.csv",
    },
    calibration: { retirement: prepared.retirement, populationScale: context.populationScale },
    createdAt: new Date().toISOString(),
    run,
  };
  return { manifest, tables, replications, ...(municipalityReplications !== undefined ? { municipalityReplications } : {}) };
}

export async function runProjection(
  req: ProjectionRequest,
  opts: { onProgress?: (p: ProjectionProgress) => void; signal?: AbortSignal; executor?: ReplicationExecutor } = {},
): Promise<ProjectionResult> {
  checkRequest(req);
  const started = performance.now();
  const { signal, onProgress } = opts;
  const executor = opts.executor ?? localExecutor(req.threads);
  if (signal?.aborted) throw cancelled();
  onProgress?.({ completedUnits: 0, totalUnits: req.replications, phase: "loading" });
  const prepared = await prepareProjection(req);
  if (signal?.aborted) throw cancelled();

  let results: ReplicationResult[];
  try {
    const simulating = performance.now();
    let done = 0;
    onProgress?.({ completedUnits: 0, totalUnits: req.replications, phase: "simulating" });
    results = await executor.run(prepared, {
      signal,
      onDone: () => {
        done++;
        const perUnit = (performance.now() - simulating) / 1000 / done;
        onProgress?.({
          completedUnits: done,
          totalUnits: req.replications,
          etaSeconds: perUnit * (req.replications - done),
          phase: "simulating",
        });
      },
    });
  } catch (error) {
    if (signal?.aborted) throw cancelled();
    throw isFordelingError(error) ? error : new FordelingError("FD_ERR_WORKER", String(error), {}, { cause: error });
  }
  if (signal?.aborted) throw cancelled();

  onProgress?.({ completedUnits: req.replications, totalUnits: req.replications, phase: "summarising" });
  return summariseProjection(prepared, results, { threads: executor.threads(prepared), wallSeconds: (performance.now() - started) / 1000 });
}
