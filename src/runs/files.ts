import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FordelingError } from "../errors.js";

/**
 * Writes JSON so a reader sees the old file or the new one, never half of either: temp name
 * in the same directory (same file system, so rename is atomic), fsync, rename.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (cause) {
    // Cleanup must not replace the cause (rm fails too when the folder is gone or not a folder).
    await rm(temp, { force: true }).catch(() => undefined);
    throw new FordelingError("FD_ERR_OUTPUT", `cannot write the file: ${(cause as Error).message}`, { file }, { cause });
  }
}

/** Key order fixed recursively, so equal values give equal text (and equal hashes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
