import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { FordelingError } from "../errors.js";
import type { ProjectionManifest } from "../projection/run.js";
import { RESULT_FILES } from "../projection/write.js";
import { REPLICATION_FILES, replicationDataFromIpc } from "./replicationArrow.js";
import type { ReplicationData } from "./replicationData.js";

/**
 * A stored run as the analysis methods read it: its manifest and every replication. The CLI
 * (result directories) and the API (runs in its data dir) both come through here.
 */
export interface StoredRun {
  /** How the run is named to the user: a directory or a run id. */
  label: string;
  manifest: ProjectionManifest;
  data: ReplicationData;
}

function parseManifest(text: string, label: string): ProjectionManifest {
  let manifest: ProjectionManifest;
  try {
    manifest = JSON.parse(text) as ProjectionManifest;
  } catch (cause) {
    throw new FordelingError(
      "FD_ERR_SCHEMA_MISMATCH",
      `manifest.json is not JSON: ${(cause as Error).message}`,
      { file: label },
      { cause },
    );
  }
  if (manifest?.kind !== "fordeling.projection") {
    throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", "manifest.json is not a projection result's", { file: label });
  }
  return manifest;
}

function missingReplications(label: string): FordelingError {
  return new FordelingError(
    "FD_ERR_NOT_COMPARABLE",
    `the result has no per-replication table (${REPLICATION_FILES.outcomes}): it was written by an earlier version; ` +
      "run the projection again",
    { file: label },
  );
}

function missingMunicipalities(label: string): FordelingError {
  return new FordelingError(
    "FD_ERR_NOT_COMPARABLE",
    `the result kept no municipalities (${REPLICATION_FILES.municipalities}): project it with --keep-municipalities`,
    { file: label, field: "level" },
  );
}

/**
 * Reads a run's councils and nation, or with `municipalities` its municipalities instead (the
 * optional file `project --keep-municipalities` writes; the same drawn parameters).
 */
export async function readRun(dir: string, label = dir, options: { municipalities?: boolean } = {}): Promise<StoredRun> {
  let manifestText: string;
  try {
    manifestText = await readFile(join(dir, RESULT_FILES.manifest), "utf8");
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "not a projection result (no readable manifest.json)", { file: label }, { cause });
  }
  const manifest = parseManifest(manifestText, label);
  if (!existsSync(join(dir, REPLICATION_FILES.outcomes))) throw missingReplications(label);
  const file = options.municipalities === true ? REPLICATION_FILES.municipalities : REPLICATION_FILES.outcomes;
  if (!existsSync(join(dir, file))) throw missingMunicipalities(label);
  const [outcomes, parameters] = await Promise.all([
    readFile(join(dir, file)),
    readFile(join(dir, REPLICATION_FILES.parameters)).catch(() => {
      throw missingReplications(label);
    }),
  ]);
  return { label, manifest, data: replicationDataFromIpc(outcomes, parameters, join(label, file)) };
}

/** The same, synchronously (benchmarks, scripts). */
export function readRunSync(dir: string, label = dir): StoredRun {
  if (!existsSync(join(dir, RESULT_FILES.manifest))) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "not a projection result (no readable manifest.json)", { file: label });
  }
  const manifest = parseManifest(readFileSync(join(dir, RESULT_FILES.manifest), "utf8"), label);
  if (!existsSync(join(dir, REPLICATION_FILES.outcomes)) || !existsSync(join(dir, REPLICATION_FILES.parameters)))
    throw missingReplications(label);
  const data = replicationDataFromIpc(
    readFileSync(join(dir, REPLICATION_FILES.outcomes)),
    readFileSync(join(dir, REPLICATION_FILES.parameters)),
  );
  return { label, manifest, data };
}
