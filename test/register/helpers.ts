import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FordelingError } from "../../src/errors.js";
import { makeTestTempDir } from "../support/tempDirs.js";

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

/** A temp dir removed after the test file. */
export function tempDir(): string {
  return makeTestTempDir("fordeling-register-");
}

export function writeTemp(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}
