import { existsSync } from "node:fs";
import { makeTestTempDir } from "../support/tempDirs.js";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";

const dir = makeTestTempDir("fordeling-population-cli-");

function capture(): { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  return { out: () => out, err: () => err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("fordeling generate / summary / convert", () => {
  it("generates a small population with its register and prints the calibration summary", async () => {
    const io = capture();
    const out = join(dir, "small.arrow");
    expect(await main(["node", "fordeling", "generate", "--out", out, "--scale", "0.001", "--seed", "9"])).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(dir, "small.register.csv"))).toBe(true);
    expect(io.out()).toMatch(/National shares/u);
    expect(io.out()).toMatch(/ 101 +København +hovedstaden +672 +672 +0/u);
  });

  it("summarises an existing file with the scale it records", async () => {
    const io = capture();
    expect(await main(["node", "fordeling", "summary", "--population", join(dir, "small.arrow")])).toBe(0);
    expect(io.out()).toMatch(/seed 9, scale 0\.001/u);
    expect(io.out()).toMatch(/Health councils/u);
  });

  it("rejects a bad --scale with FD_ERR_ARGUMENT and exit code 2", async () => {
    const io = capture();
    expect(await main(["node", "fordeling", "generate", "--out", join(dir, "x.arrow"), "--scale", "zero"])).toBe(2);
    expect(io.err()).toMatch(/FD_ERR_ARGUMENT.*--scale/u);
  });

  it("reports a CSV conversion error with its code and exit code 3", async () => {
    const io = capture();
    expect(await main(["node", "fordeling", "convert", "--from", join(dir, "missing.csv"), "--out", join(dir, "y.arrow")])).toBe(2);
    expect(io.err()).toMatch(/FD_ERR_FILE_NOT_FOUND/u);
  });
});
