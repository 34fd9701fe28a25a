import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARAMETER_KEYS, defaultParameterFile } from "../../src/model/parameters.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { runFordeling } from "./helpers.js";

/**
 * compare, sensitivity, decompose and sweep as real child processes of the compiled CLI (run
 * `npm run build` first; `npm test` does) on a population of about 12,000 (scale 0.002).
 */
const fordeling = (...args: string[]) => runFordeling(dir, ...args);

let dir: string;
const data = (): string[] => ["--population", join(dir, "pop.arrow"), "--register", join(dir, "pop.register.csv")];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fordeling-analysis-"));
  expect((await fordeling("generate", "--scale", "0.002", "--seed", "7", "--out", join(dir, "pop.arrow"))).code).toBe(0);
  const base = await fordeling("project", ...data(), "--replications", "30", "--seed", "4", "--out", join(dir, "a"));
  expect(base.code, base.stderr).toBe(0);
  const lower = await fordeling(
    "project",
    ...data(),
    "--replications",
    "30",
    "--seed",
    "4",
    "--horizon",
    "2028",
    "--out",
    join(dir, "b"),
    "--scenario",
    join(PACKAGE_ROOT, "scenarios", "target-1500.json"),
  );
  expect(lower.code, lower.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fordeling compare", () => {
  it("writes the full comparison to --out as CSV and warns on stderr about the different horizons", async () => {
    const out = join(dir, "diff.csv");
    const { code, stdout, stderr } = await fordeling("compare", "a", "b", "--out", out);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("warning: the horizons differ (A to 2027, B to 2028)");
    expect(stdout).toContain("Method: paired");
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(18 * 3);
    expect(rows.every((r) => r["method"] === "paired" && r["warnings"]?.includes("horizons differ"))).toBe(true);
  });

  it("prints JSON and writes Arrow with the same numbers", async () => {
    const json = JSON.parse((await fordeling("compare", "a", "b", "--format", "json", "--level", "national")).stdout) as Record<
      string,
      number
    >[];
    await fordeling("compare", "a", "b", "--level", "national", "--out", join(dir, "diff.arrow"));
    const arrow = tableFromIPC(readFileSync(join(dir, "diff.arrow")));
    expect(arrow.numRows).toBe(json.length);
    expect(Number(arrow.getChild("gap_difference")?.get(2))).toBeCloseTo(json[2]?.["gap_difference"] ?? Number.NaN, 9);
  });

  it("refuses a result without per-replication tables with FD_ERR_NOT_COMPARABLE", async () => {
    rmSync(join(dir, "b-old"), { recursive: true, force: true });
    await fordeling("project", ...data(), "--replications", "2", "--out", join(dir, "b-old"));
    rmSync(join(dir, "b-old", "replications.arrow"));
    const { code, stderr } = await fordeling("compare", "a", "b-old");
    expect(code).toBe(3);
    expect(stderr).toContain("FD_ERR_NOT_COMPARABLE");
  });
});

describe("fordeling sensitivity and decompose", () => {
  it("writes the sensitivity table and a tornado chart", async () => {
    const { code, stdout, stderr } = await fordeling("sensitivity", "a", "--out", join(dir, "s.json"), "--chart", join(dir, "t.svg"));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("partial rank correlation");
    const rows = JSON.parse(readFileSync(join(dir, "s.json"), "utf8")) as { parameter: string; rank: number }[];
    // Areas × outcomes × the uncertain parameters (those with a distribution).
    const uncertain = PARAMETER_KEYS.filter((k) => defaultParameterFile().parameters[k].distribution !== undefined).length;
    expect(rows.length).toBe(18 * 2 * uncertain);
    expect(readFileSync(join(dir, "t.svg"), "utf8")).toContain("<svg");
  });

  it("writes the decomposition and a waterfall chart of one council", async () => {
    const { code, stdout, stderr } = await fordeling("decompose", "a", "--chart", join(dir, "w.svg"), "--chart-area", "vendsyssel");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("population_growth");
    expect(stdout).not.toContain("not recorded");
    expect(readFileSync(join(dir, "w.svg"), "utf8")).toContain("Vendsyssel");
  });

  it("still decomposes a run written before movers and temporary clinics were recorded, and says so", async () => {
    cpSync(join(dir, "a"), join(dir, "old"), { recursive: true });
    const file = join(dir, "old", "replications.arrow");
    const table = tableFromIPC(readFileSync(file));
    const kept = table.schema.fields.map((f) => f.name).filter((n) => n !== "gp_mover_capacities_net" && n !== "temporary_supply");
    const old = table.select(kept);
    for (const [key, value] of table.schema.metadata) old.schema.metadata.set(key, value);
    writeFileSync(file, tableToIPC(old, "file"));
    const { code, stdout, stderr } = await fordeling("decompose", "old", "--level", "national");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("movers and temporary_clinics: 0 (not recorded in this older run: project again)");
  });

  it("refuses --level municipality on a run projected without --keep-municipalities, naming the flag", async () => {
    const { code, stderr } = await fordeling("decompose", "a", "--level", "municipality");
    expect(code).toBe(3);
    expect(stderr).toContain("FD_ERR_NOT_COMPARABLE");
    expect(stderr).toContain("--keep-municipalities");
  });
});

describe("fordeling sweep", () => {
  it("refuses a malformed or out-of-range --vary before running anything", async () => {
    const bad = await fordeling("sweep", "--vary", "training.placesPerYear=350-550");
    expect(bad.stderr).toContain("FD_ERR_ARGUMENT");
    expect(bad.stderr).toContain("key=from:to:step");
    const range = await fordeling("sweep", ...data(), "--vary", "training.fillRate=0.9:1.2:0.3", "--out", join(dir, "never"));
    expect(range.stderr).toContain("FD_ERR_SCENARIO");
    expect(existsSync(join(dir, "never", "sweep.json"))).toBe(false);
  });

  it("runs the grid with one seed and writes the table, the chart and every point", async () => {
    const { code, stdout, stderr } = await fordeling(
      "sweep",
      ...data(),
      "--vary",
      "training.placesPerYear=350:450:100",
      "--replications",
      "5",
      "--out",
      "sw",
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("training_places_per_year");
    const rows = parse(readFileSync(join(dir, "sw", "sweep.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2 * 18 * 3);
    // The first point against itself: exactly 0.
    expect(rows.filter((r) => r["point"] === "0").every((r) => Number(r["gap_difference_vs_first"]) === 0)).toBe(true);
    expect(existsSync(join(dir, "sw", "points", "001", "replications.arrow"))).toBe(true);
    expect(readFileSync(join(dir, "sw", "sweep.svg"), "utf8")).toContain("training.placesPerYear");
  });
});
