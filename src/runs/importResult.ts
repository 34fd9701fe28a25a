import { existsSync } from "node:fs";
import { cp, readFile, rename, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { FordelingError } from "../errors.js";
import type { Scenario } from "../model/scenario.js";
import { DEFAULT_POPULATION_FILE, DEFAULT_SEED } from "../population/defaults.js";
import { MODEL_VERSION } from "../projection/run.js";
import { openDataDir } from "./dataDir.js";
import { lockDataDir } from "./dataDirLock.js";
import { modelVersion } from "./projection.js";
import { hashFile, runIdFromIdentity } from "./runKey.js";
import { RESULT_MARKER, RunStore } from "./store.js";
import type { PopulationSpec, RunIdentity, RunRecord, RunRequest } from "./types.js";

/**
 * One run store for the command line and the server: a result directory written by
 * `fordeling project` becomes a succeeded run of a data dir (DIR/results/<id>/ and
 * DIR/runs/<id>.json), under the same run id the server would give the same request, so
 * `fordeling serve --data-dir DIR` lists it, serves its tables and answers an identical
 * POST /v1/runs from it. The id comes from the manifest: scenario, seed, replications,
 * horizon, the model version and the population (the default one by how it is made, a file
 * by the SHA-256 the manifest recorded).
 */

/** The manifest fields the import relies on (written by projection/write.ts). */
interface ResultManifest {
  kind: string;
  scenario: Scenario;
  seed: number;
  replications: number;
  horizonYear: number;
  modelVersion: string;
  createdAt: string;
  dataVersions: { population: { file: string; sha256: string }; register: { file: string; sha256: string } };
  run?: { wallSeconds?: number };
}

export interface ImportOutcome {
  record: RunRecord;
  /** False when the data dir already held this run's result (nothing was copied). */
  imported: boolean;
}

/**
 * Adds a result directory to a data dir. `move` renames the directory in (the projection
 * wrote it for the store); otherwise it is copied and left as it was. The data dir is locked
 * meanwhile: a server running over it keeps its runs in memory and would not see the new one,
 * so importing while it runs is refused (FD_ERR_CONFLICT naming the server).
 */
export async function importResult(resultDir: string, dataDirRoot: string, options: { move?: boolean } = {}): Promise<ImportOutcome> {
  const manifest = await readManifest(resultDir);
  const dataDir = openDataDir(dataDirRoot);
  const lock = lockDataDir(dataDir);
  try {
    const { identity, request } = await runOf(manifest);
    const id = runIdFromIdentity(identity);
    const store = await RunStore.open(dataDir);
    const existing = store.get(id);
    if (existing?.status === "succeeded" && store.hasResult(id)) {
      if (options.move === true) await rm(resultDir, { recursive: true, force: true });
      return { record: existing, imported: false };
    }
    const temp = await store.makeTempResultDir(id);
    try {
      if (options.move === true) await rename(resultDir, temp);
      else await cp(resultDir, temp, { recursive: true, errorOnExist: true });
      await store.commitResult(id, temp);
    } catch (cause) {
      await store.discardTemp(temp);
      throw cause instanceof FordelingError
        ? cause
        : new FordelingError(
            "FD_ERR_OUTPUT",
            `cannot add the result to the data dir: ${(cause as Error).message}`,
            { file: dataDir.results },
            { cause },
          );
    }
    const finishedAt = new Date().toISOString();
    const record: RunRecord = {
      id,
      status: "succeeded",
      request,
      identity,
      createdAt: manifest.createdAt,
      startedAt: manifest.createdAt,
      finishedAt,
    };
    await store.save(record);
    return { record, imported: true };
  } finally {
    lock.release();
  }
}

async function readManifest(resultDir: string): Promise<ResultManifest> {
  const file = join(resultDir, RESULT_MARKER);
  let manifest: Partial<ResultManifest>;
  try {
    manifest = JSON.parse(await readFile(file, "utf8")) as Partial<ResultManifest>;
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", `not a projection result: no readable ${RESULT_MARKER}`, { file }, { cause });
  }
  if (manifest.kind !== "fordeling.projection" || manifest.scenario === undefined || manifest.dataVersions === undefined) {
    throw new FordelingError("FD_ERR_BAD_VALUE", "not a manifest written by `fordeling project` (kind fordeling.projection)", { file });
  }
  if (manifest.modelVersion !== MODEL_VERSION) {
    throw new FordelingError(
      "FD_ERR_BAD_VALUE",
      `the result was made by projection model ${String(manifest.modelVersion)}; this version runs ${MODEL_VERSION}, so its run id would not mean the same`,
      { file, field: "modelVersion" },
    );
  }
  return manifest as ResultManifest;
}

/** The request and identity the server would have for the run that made this result. */
async function runOf(manifest: ResultManifest): Promise<{ identity: RunIdentity; request: RunRequest }> {
  const { population: populationData, register } = manifest.dataVersions;
  const isDefault = resolve(populationData.file) === resolve(DEFAULT_POPULATION_FILE);
  const population: PopulationSpec = isDefault
    ? { kind: "default" }
    : { kind: "file", name: basename(populationData.file), register: basename(register.file) };
  const identity: RunIdentity = {
    modelVersion: modelVersion(),
    scenario: { id: manifest.scenario.id, parameters: { ...manifest.scenario.parameters } as Record<string, number | string> },
    replications: manifest.replications,
    seed: manifest.seed,
    horizonYear: manifest.horizonYear,
    population: isDefault
      ? { kind: "default", seed: DEFAULT_SEED }
      : { kind: "file", sha256: populationData.sha256, registerSha256: register.sha256 },
  };
  const table = manifest.scenario.parameters["model.weightTableFile"];
  if (typeof table === "string" && table !== "") {
    if (!existsSync(table)) {
      throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "the weight table the scenario names is needed for the run id", { file: table });
    }
    identity.weightTable = await hashFile(table, "scenario.parameters.model.weightTableFile");
  }
  const request: RunRequest = {
    scenario: manifest.scenario,
    replications: manifest.replications,
    seed: manifest.seed,
    horizonYear: manifest.horizonYear,
    population,
  };
  return { identity, request };
}
