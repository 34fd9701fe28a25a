import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FordelingError } from "../errors.js";

/**
 * Writes a whole file or nothing. The data go to a hidden temporary name in the same directory
 * (a rename is only atomic within one file system), are flushed to disk, and only then renamed
 * over the target. A reader therefore sees the old file or the complete new one, never a half;
 * on any failure the temporary file is removed and the target is left as it was.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = temporaryNameFor(file);
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw outputError(file, cause);
  }
}

/** The same contract for callers that cannot await (e.g. exit handlers). */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  const temp = temporaryNameFor(file);
  try {
    const fd = openSync(temp, "wx");
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (cause) {
    rmSync(temp, { force: true });
    throw outputError(file, cause);
  }
}

/** `out/councils.csv` → `out/.councils.csv.<pid>.<random>.tmp`: hidden, unique, git-ignored (`*.tmp`). */
export function temporaryNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

function outputError(file: string, cause: unknown): FordelingError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? `the directory ${dirname(file)} does not exist`
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "the path is a directory"
          : code === "ENOSPC"
            ? "no space left on the device"
            : (cause as Error).message;
  return new FordelingError("FD_ERR_OUTPUT", `cannot write the file: ${reason}`, { file }, { cause });
}
