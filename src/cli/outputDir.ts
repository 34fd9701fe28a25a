import { randomBytes } from "node:crypto";
import { mkdirSync, rmdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FordelingError } from "../errors.js";

/**
 * Checks before any work that a result directory can be written: its parent can be created and
 * takes a new entry (the writer renames a temp dir there), and the target is not a file. A
 * projection of minutes should not end in "cannot write".
 */
export function checkOutputDirWritable(outDir: string, flag: string): void {
  const target = resolve(outDir);
  const parent = dirname(target);
  const probe = join(parent, `.${basename(target)}.probe-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (cause) {
    const reason = (cause as Error).message;
    throw new FordelingError("FD_ERR_OUTPUT", `cannot write the result there: ${reason}`, { file: target, field: flag }, { cause });
  }
  let isDirectory = true;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    // Missing: the writer creates it.
  }
  if (!isDirectory) {
    throw new FordelingError("FD_ERR_OUTPUT", "a file of that name exists; the result is a directory", { file: target, field: flag });
  }
}
