import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

/** `fordeling access` as a real child process on a small generated population (scale 0.01). */
const BIN = join(PACKAGE_ROOT, "bin", "fordeling.js");
const run = promisify(execFile);

async function fordeling(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

let dir: string;
let population: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fordeling-access-"));
  population = join(dir, "pop.arrow");
  const generated = await fordeling("generate", "--scale", "0.01", "--seed", "7", "--out", population);
  expect(generated.code, generated.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fordeling access", () => {
  it("rejects a map file that is not SVG and a detour factor below 1, before any work", async () => {
    const map = await fordeling("access", "--population", population, "--map", join(dir, "map.png"));
    expect(map.code).toBe(2);
    expect(map.stderr).toContain("FD_ERR_ARGUMENT");
    const detour = await fordeling("access", "--population", population, "--detour-factor", "0.5");
    expect(detour.code).toBe(2);
    expect(existsSync(join(dir, "map.png"))).toBe(false);
  });

  it("writes the municipalities as CSV, GeoJSON with the figures as properties, and an SVG map", async () => {
    const csv = join(dir, "m.csv");
    const geojson = join(dir, "m.geojson");
    const svg = join(dir, "m.svg");
    const { code, stdout, stderr } = await fordeling(
      "access",
      "--population",
      population,
      "--out",
      csv,
      "--geojson",
      geojson,
      "--map",
      svg,
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Nationally: [\d,]+ of 60,255 residents/u);
    const rows = parse(readFileSync(csv, "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(98);
    expect(Object.keys(rows[0]!)).toEqual([
      "municipality_code",
      "municipality_name",
      "council_id",
      "residents",
      "residents_failing",
      "share_failing",
      "nearest_gp_km_p50",
      "nearest_gp_km_p90",
      "gps",
    ]);
    expect(rows.reduce((s, r) => s + Number(r.residents), 0)).toBeCloseTo(60_255, 6);
    const collection = JSON.parse(readFileSync(geojson, "utf8")) as {
      features: { properties: Record<string, unknown>; geometry: { type: string } }[];
    };
    expect(collection.features).toHaveLength(98);
    const copenhagen = collection.features.find((f) => f.properties.municipality_code === 101)!;
    expect(copenhagen.properties).toMatchObject({ municipality_name: "København", residents: Number(rows[0]!.residents) });
    const map = readFileSync(svg, "utf8");
    expect(map.startsWith("<svg")).toBe(true);
    expect(map.match(/<path /gu)).toHaveLength(98);
    expect(map).toContain("OpenStreetMap");
  });

  it("gives one row per council and per location, and the stricter result with a detour factor", async () => {
    const councils = await fordeling("access", "--population", population, "--by", "council", "--format", "csv");
    expect(councils.code, councils.stderr).toBe(0);
    expect(parse(councils.stdout, { columns: true })).toHaveLength(17);
    const arrow = join(dir, "councils.arrow");
    expect((await fordeling("access", "--population", population, "--by", "council", "--out", arrow)).code).toBe(0);
    const table = tableFromIPC(readFileSync(arrow));
    expect(table.numRows).toBe(17);
    expect(table.schema.fields.map((f) => f.name)).toContain("residents_failing");
    const failing = async (...extra: string[]): Promise<number> => {
      const out = await fordeling("access", "--population", population, "--by", "national", "--format", "csv", ...extra);
      return Number((parse(out.stdout, { columns: true }) as Record<string, string>[])[0]!.residents_failing);
    };
    expect(await failing("--detour-factor", "1.4")).toBeGreaterThanOrEqual(await failing());
    const locations = await fordeling("access", "--population", population, "--by", "location", "--format", "csv");
    const rows = parse(locations.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(3000);
    expect(rows.find((r) => r.island === "Anholt")).toMatchObject({ kind: "island", gps_within_radius: "0", nearest_gp_km: "" });
  });

  it("lists every non-bridged island in weigh --by island", async () => {
    const { code, stdout, stderr } = await fordeling(
      "weigh",
      "--population",
      population,
      "--by",
      "island",
      "--format",
      "csv",
      "--as-of",
      "2026-06-01",
    );
    expect(code, stderr).toBe(0);
    const rows = parse(stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(32);
    expect(rows.slice(0, 5).map((r) => r.island)).toEqual(["Bornholm", "Ærø", "Fanø", "Samsø", "Læsø"]);
    expect(rows.find((r) => r.island === "Anholt")).toMatchObject({
      kind: "small",
      municipality_code: "707",
      island_exception: "1",
      estimated: "0",
    });
  });
});
