import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

/**
 * The repository stands on its own: code and data cite docs/ and data/ files, never the domain
 * specification the project was started from, which is not part of it.
 */
const FOLDERS = ["src", "assembly", "bench", "test", "docs", "data/model", "scenarios"];
const TEXT = /\.(ts|mjs|cjs|js|json|jsonc|md|yaml|yml|csv)$/u;
// Spelled in two parts so this file does not cite it itself.
const CITATION = new RegExp(`\\b${"SP"}${"EC"}\\b`, "u");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : TEXT.test(name) ? [path] : [];
  });
}

describe("citations", () => {
  it("name files in the repository, not a specification outside it", () => {
    const all = [...FOLDERS.flatMap((folder) => files(join(PACKAGE_ROOT, folder))), join(PACKAGE_ROOT, "README.md")];
    const citing = all.filter((file) => CITATION.test(readFileSync(file, "utf8"))).map((file) => relative(PACKAGE_ROOT, file));
    expect(all.length).toBeGreaterThan(100);
    expect(citing).toEqual([]);
  });
});
