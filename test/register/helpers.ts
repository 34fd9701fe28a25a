import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FordelingError } from "../../src/errors.js";

/** Runs `fn`, which must throw a FordelingError, and returns it for code and location checks. */
export function caught(fn: () => unknown): FordelingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FordelingError) return error;
    throw error;
  }
  throw new Error("expected a FordelingError, but nothing was thrown");
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "fordeling-register-"));
}

export function writeTemp(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}
