import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

/**
 * The import order of docs/ARCHITECTURE.md, checked by dependency-cruiser with the rule set in
 * .dependency-cruiser.cjs: first that the rules catch what they must, then the real tree.
 */

const CONFIG = join(PACKAGE_ROOT, ".dependency-cruiser.cjs");
const CLI = join(PACKAGE_ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

async function violations(cwd: string): Promise<Violation[]> {
  const args = [CLI, "--config", CONFIG, "--output-type", "json", "src"];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 64 * 2 ** 20 });
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway tree: the project's tsconfig and the given files under src/. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fordeling-imports-"));
  temporary.push(dir);
  copyFileSync(join(PACKAGE_ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("the import order", () => {
  it("reports a kernel module that imports the projection", async () => {
    const dir = tree({
      "src/kernel/a.ts": 'import { b } from "../projection/b.js";\nexport const a = b;\n',
      "src/projection/b.ts": "export const b = 1;\n",
    });
    const rule = expect.objectContaining({ name: "kernel-imports-upward" });
    expect(await violations(dir)).toEqual([expect.objectContaining({ from: "src/kernel/a.ts", to: "src/projection/b.ts", rule })]);
  });

  it("reports the capacity layer importing the projection beside it, and the errors module importing anything", async () => {
    const dir = tree({
      "src/capacity/a.ts": 'import { b } from "../projection/b.js";\nexport const a = b;\n',
      "src/projection/b.ts": "export const b = 1;\n",
      "src/errors.ts": 'import { c } from "./io/c.js";\nexport const e = c;\n',
      "src/io/c.ts": "export const c = 1;\n",
    });
    const names = (await violations(dir)).map((v) => v.rule.name).sort();
    expect(names).toEqual(["base-imports-upward", "capacity-imports-upward"]);
  });

  it("reports an import cycle inside one folder", async () => {
    const dir = tree({
      "src/model/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
      "src/model/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
    });
    expect((await violations(dir)).map((v) => v.rule.name)).toEqual(["no-circular"]);
  });

  it("lets a cycle pass through a type-only import, which the compiled code does not have", async () => {
    const dir = tree({
      "src/model/a.ts": 'import { b } from "./b.js";\nexport interface A { n: number }\nexport const a = () => b;\n',
      "src/model/b.ts": 'import type { A } from "./a.js";\nexport const b = (x: A) => x.n;\n',
    });
    expect(await violations(dir)).toEqual([]);
  });

  it("lets a layer import the layers below it and its own folder", async () => {
    const dir = tree({
      "src/cli/a.ts": 'import { b } from "../kernel/b.js";\nimport { d } from "./d.js";\nexport const a = b + d;\n',
      "src/cli/d.ts": "export const d = 1;\n",
      "src/kernel/b.ts": 'import { e } from "../errors.js";\nexport const b = e;\n',
      "src/errors.ts": "export const e = 1;\n",
    });
    expect(await violations(dir)).toEqual([]);
  });

  it("holds for the whole source tree", async () => {
    expect(await violations(PACKAGE_ROOT)).toEqual([]);
  });
});
