import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { FordelingError } from "../errors.js";
import type { Scenario } from "../model/scenario.js";
import { DEFAULT_SEED } from "../population/defaults.js";
import { type DataDir, resolveInDataDir } from "./dataDir.js";
import { canonicalJson } from "./files.js";
import type { RunIdentity, RunRequest } from "./types.js";

/**
 * The run key: a SHA-256 of the canonical JSON of everything that determines a result: model
 * version (code + model data), scenario, seed, replications, horizon and the population. The
 * generator is deterministic per (scale, seed), so generated and default populations are
 * identified by how they are made; a population file by a hash of its bytes, so replacing a
 * file under the same name never serves a stale result.
 */
export function runIdFromIdentity(identity: RunIdentity): string {
  return createHash("sha256").update(canonicalJson(identity)).digest("hex").slice(0, 32);
}

/** Where a request's files live once names are checked against the data dir. */
export interface ResolvedFiles {
  populationFile?: string;
  registerFile?: string;
  weightTableFile?: string;
}

const WEIGHT_TABLE_KEY = "model.weightTableFile";

/**
 * Checks every file a request names (population, register, a scenario's weight table) lies in
 * the data dir and exists, and returns the identity that hashes to the run id.
 */
export async function makeRunIdentity(
  request: RunRequest,
  dir: DataDir,
  modelVersion: string,
): Promise<{ identity: RunIdentity; files: ResolvedFiles }> {
  const files: ResolvedFiles = {};
  const population: Record<string, string | number> = { kind: request.population.kind };
  const spec = request.population;
  if (spec.kind === "default") {
    population["seed"] = DEFAULT_SEED;
  } else if (spec.kind === "generated") {
    population["scale"] = spec.scale;
    population["seed"] = spec.seed;
  } else if (spec.kind === "file") {
    files.populationFile = resolveInDataDir(dir, dir.populations, spec.name, "body.population.name");
    population["sha256"] = await hashFile(files.populationFile, "body.population.name");
    if (spec.register !== undefined) {
      files.registerFile = resolveInDataDir(dir, dir.registers, spec.register, "body.population.register");
      population["registerSha256"] = await hashFile(files.registerFile, "body.population.register");
    }
  }
  const identity: RunIdentity = {
    modelVersion,
    scenario: { id: request.scenario.id, parameters: { ...request.scenario.parameters } as Record<string, number | string> },
    replications: request.replications,
    seed: request.seed,
    horizonYear: request.horizonYear,
    population,
  };
  const table = request.scenario.parameters[WEIGHT_TABLE_KEY];
  if (typeof table === "string" && table !== "") {
    files.weightTableFile = resolveInDataDir(dir, dir.weightTables, table, `scenario.parameters.${WEIGHT_TABLE_KEY}`);
    identity.weightTable = await hashFile(files.weightTableFile, `scenario.parameters.${WEIGHT_TABLE_KEY}`);
  }
  return { identity, files };
}

/** The scenario the executor sees: a weight table name replaced by its path in the data dir. */
export function scenarioWithResolvedFiles(scenario: Scenario, files: ResolvedFiles): Scenario {
  if (files.weightTableFile === undefined) return scenario;
  return { ...scenario, parameters: { ...scenario.parameters, [WEIGHT_TABLE_KEY]: files.weightTableFile } };
}

const hashCache = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

/** SHA-256 of a file, streamed (no 60 MB buffer) and cached while size and mtime are unchanged. */
export async function hashFile(file: string, field: string): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch (cause) {
    throw new FordelingError(
      "FD_ERR_NOT_FOUND",
      "no such file in the data dir",
      { file: file.split(/[\\/]/u).pop() ?? file, field },
      { cause },
    );
  }
  if (!info.isFile()) throw new FordelingError("FD_ERR_BAD_VALUE", "not a regular file", { field });
  const cached = hashCache.get(file);
  if (cached !== undefined && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.sha256;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha256 = hash.digest("hex");
  hashCache.set(file, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
  return sha256;
}
