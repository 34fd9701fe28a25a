import { mkdirSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { FordelingError } from "../errors.js";

/**
 * The server's data dir and the one rule for turning request input into paths: names are
 * checked against a pattern first, then the resolved path must still lie inside the data dir
 * (after following symlinks), so no request reaches the file system outside it.
 *
 *   DIR/scenarios/<id>.json        scenarios created over the API
 *   DIR/populations/<name>.arrow   population files runs may name ({ kind: "file" })
 *   DIR/registers/<name>.csv       GP register files those runs may name
 *   DIR/weight-tables/<name>.json  weight tables scenarios may name
 *   DIR/generated/                 populations generated for runs ({ kind: "generated" })
 *   DIR/runs/<id>.json             one record per run
 *   DIR/results/<id>/              result files of a succeeded run (renamed in whole)
 */
export interface DataDir {
  root: string;
  scenarios: string;
  populations: string;
  registers: string;
  weightTables: string;
  generated: string;
  runs: string;
  results: string;
}

/** Ids: run ids are hex hashes, scenario ids follow the scenario schema. */
export const RUN_ID_PATTERN = "^[a-f0-9]{32}$";
export { SCENARIO_ID_PATTERN } from "../model/scenario.js";
/** A plain file name: no separators, no leading dot, so never `..` or a hidden file. */
export const FILE_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";

const FILE_NAME = new RegExp(FILE_NAME_PATTERN, "u");

export function openDataDir(root: string): DataDir {
  let real: string;
  try {
    mkdirSync(resolve(root), { recursive: true });
    // The realpath is the reference for containment checks: the data dir itself may be a symlink.
    real = realpathSync(resolve(root));
  } catch (cause) {
    throw new FordelingError("FD_ERR_OUTPUT", "cannot create the data dir", { file: resolve(root) }, { cause });
  }
  const dir: DataDir = {
    root: real,
    scenarios: join(real, "scenarios"),
    populations: join(real, "populations"),
    registers: join(real, "registers"),
    weightTables: join(real, "weight-tables"),
    generated: join(real, "generated"),
    runs: join(real, "runs"),
    results: join(real, "results"),
  };
  try {
    for (const path of Object.values(dir)) mkdirSync(path, { recursive: true });
  } catch (cause) {
    throw new FordelingError("FD_ERR_OUTPUT", "cannot create the data dir's folders", { file: real }, { cause });
  }
  return dir;
}

/**
 * `folder/name` for a name from a request, or FD_ERR_BAD_VALUE naming `field`. The resolved
 * path (symlinks followed when the file exists) must lie inside the data dir.
 */
export function resolveInDataDir(dir: DataDir, folder: string, name: string, field: string): string {
  if (!FILE_NAME.test(name) || name.includes("..")) {
    throw new FordelingError(
      "FD_ERR_BAD_VALUE",
      `'${name}' is not an allowed file name (1-128 letters, digits, '.', '_' or '-', not starting with '.')`,
      { field },
    );
  }
  const path = resolve(folder, name);
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // A missing file cannot lead anywhere; whoever opens it reports it missing.
  }
  if (!isInside(dir.root, path) || !isInside(dir.root, real)) {
    throw new FordelingError("FD_ERR_BAD_VALUE", `'${name}' resolves outside the data dir`, { field });
  }
  return path;
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
