import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { temporaryNameFor, writeFileAtomic, writeFileAtomicSync } from "../../src/io/atomic.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fordeling-atomic-"));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

async function expectOutputError(promise: Promise<unknown>, file: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FordelingError);
  expect((error as FordelingError).code).toBe("FD_ERR_OUTPUT");
  expect((error as FordelingError).message).toContain(file);
}

describe("writeFileAtomic", () => {
  it("fails with FD_ERR_OUTPUT naming the file when the directory does not exist, leaving nothing", async () => {
    const file = join(dir, "missing", "out.csv");
    await expectOutputError(writeFileAtomic(file, "a\r\n"), file);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("fails when the target is a directory and removes its temporary file", async () => {
    const target = join(dir, "out.csv");
    mkdirSync(target);
    await expectOutputError(writeFileAtomic(target, "a\r\n"), target);
    expect(readdirSync(dir)).toEqual(["out.csv"]);
  });

  // Root ignores directory permissions, so this case only runs as an ordinary user.
  it.skipIf(process.getuid?.() === 0)("fails in a read-only directory without touching the existing file", async () => {
    const file = join(dir, "out.csv");
    writeFileSync(file, "old");
    chmodSync(dir, 0o555);
    await expectOutputError(writeFileAtomic(file, "new"), file);
    expect(readFileSync(file, "utf8")).toBe("old");
  });

  it("writes text and bytes, and replaces an existing file whole", async () => {
    const file = join(dir, "out.bin");
    await writeFileAtomic(file, "first version, longer than the second");
    await writeFileAtomic(file, new Uint8Array([65, 82, 82, 79, 87]));
    expect(readFileSync(file, "utf8")).toBe("ARROW");
    expect(readdirSync(dir)).toEqual(["out.bin"]);
  });

  it("has a synchronous twin with the same contract", () => {
    const file = join(dir, "out.json");
    writeFileAtomicSync(file, "[]\n");
    expect(readFileSync(file, "utf8")).toBe("[]\n");
    expect(() => writeFileAtomicSync(join(dir, "nope", "x.json"), "[]")).toThrow(FordelingError);
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("keeps concurrent writers of one file from sharing a temporary name", async () => {
    const file = join(dir, "same.csv");
    expect(temporaryNameFor(file)).not.toBe(temporaryNameFor(file));
    await Promise.all(Array.from({ length: 8 }, (_, i) => writeFileAtomic(file, `version ${i}\n`.repeat(1000))));
    const text = readFileSync(file, "utf8");
    // Whichever rename came last wins, but the file is one writer's complete output.
    expect(new Set(text.trimEnd().split("\n")).size).toBe(1);
    expect(text.split("\n")).toHaveLength(1001);
    expect(readdirSync(dir)).toEqual(["same.csv"]);
  });
});
