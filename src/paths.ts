import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, found by walking up from this module. The same code runs from `src/`
 * (tests) and from `dist/src/` (the CLI), so a fixed relative path would be wrong in one.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "data"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("fordeling: cannot find the package root above " + import.meta.url);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const DATA_DIR = join(PACKAGE_ROOT, "data");
/** Generated populations and registers live here; git-ignored. */
export const GENERATED_DIR = join(DATA_DIR, "generated");
export const WASM_PATH = join(PACKAGE_ROOT, "build", "fordeling.wasm");
/** Compiled worker entry points: workers always run compiled JS, also under the test runner. */
export const DIST_DIR = join(PACKAGE_ROOT, "dist", "src");

export function dataFile(name: string): string {
  return join(DATA_DIR, name);
}
