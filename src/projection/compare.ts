import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { FordelingError } from "../errors.js";
import { makeTable, type Table } from "../io/table.js";
import type { ProjectionManifest } from "./run.js";
import { RESULT_FILES } from "./write.js";

/**
 * Two results side by side, per area and year: each one's median need and mean gap, the
 * difference of the mean gaps and its 95 % uncertainty. The replications of the two runs are
 * independent, so the standard error of the difference is √(sd_a²/n_a + sd_b²/n_b), with each
 * sd estimated from the stored P5–P95 range as (P95 − P5)/3.29 (exact for a normal spread).
 */
export interface StoredResult {
  dir: string;
  manifest: ProjectionManifest;
  columns: Map<string, unknown[]>;
  rows: number;
}

export function readStoredResult(dir: string, level: "council" | "national" = "council"): StoredResult {
  let manifest: ProjectionManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, RESULT_FILES.manifest), "utf8")) as ProjectionManifest;
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "not a projection result (no readable manifest.json)", { file: dir }, { cause });
  }
  const file = join(dir, `${RESULT_FILES[level]}.arrow`);
  let arrow;
  try {
    arrow = tableFromIPC(readFileSync(file));
  } catch (cause) {
    throw new FordelingError("FD_ERR_ARROW_MALFORMED", `cannot read the result table: ${(cause as Error).message}`, { file }, { cause });
  }
  const columns = new Map<string, unknown[]>();
  for (const field of arrow.schema.fields) columns.set(field.name, [...(arrow.getChild(field.name)?.toArray() ?? [])] as unknown[]);
  return { dir, manifest, columns, rows: arrow.numRows };
}

const Z95 = 1.959964;
const SPREAD_OF_P5_P95 = 3.289707;

export function compareResults(a: StoredResult, b: StoredResult, level: "council" | "national" = "council"): Table {
  const key = level === "council" ? "council_id" : "country";
  const col = (r: StoredResult, name: string): unknown[] => {
    const c = r.columns.get(name);
    if (c === undefined) throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `the result has no column '${name}'`, { file: r.dir, column: name });
    return c;
  };
  const index = new Map<string, number>();
  col(b, key).forEach((id, i) => index.set(`${String(id)}|${String(col(b, "year")[i])}`, i));
  const rows: { name: string; year: number; i: number; j: number }[] = [];
  col(a, key).forEach((id, i) => {
    const j = index.get(`${String(id)}|${String(col(a, "year")[i])}`);
    const name = level === "council" ? String(col(a, "council_name")[i]).replace(/^Sundhedsråd /u, "") : "Denmark";
    if (j !== undefined) rows.push({ name, year: Number(col(a, "year")[i]), i, j });
  });
  if (rows.length === 0) throw new FordelingError("FD_ERR_BAD_VALUE", "the two results share no area and year", { file: b.dir });
  const num = (r: StoredResult, name: string, i: number): number => Number(col(r, name)[i] ?? Number.NaN);
  const sd = (r: StoredResult, metric: string, i: number): number => (num(r, `${metric}_p95`, i) - num(r, `${metric}_p5`, i)) / SPREAD_OF_P5_P95;
  const diff = rows.map(({ i, j }) => num(b, "gap_mean", j) - num(a, "gap_mean", i));
  const half = rows.map(({ i, j }) => Z95 * Math.sqrt(sd(a, "gap", i) ** 2 / a.manifest.replications + sd(b, "gap", j) ** 2 / b.manifest.replications));
  return makeTable(`compare-${level}`, [
    { name: "area", type: "string", values: rows.map((r) => r.name) },
    { name: "year", type: "string", values: rows.map((r) => String(r.year)) },
    { name: `need_p50_a`, type: "float", values: rows.map((r) => num(a, "need_p50", r.i)) },
    { name: `need_p50_b`, type: "float", values: rows.map((r) => num(b, "need_p50", r.j)) },
    { name: `gap_mean_a`, type: "float", values: rows.map((r) => num(a, "gap_mean", r.i)) },
    { name: `gap_mean_b`, type: "float", values: rows.map((r) => num(b, "gap_mean", r.j)) },
    { name: "gap_difference", type: "float", values: diff },
    { name: "difference_ci95_low", type: "float", values: diff.map((d, k) => d - (half[k] ?? 0)) },
    { name: "difference_ci95_high", type: "float", values: diff.map((d, k) => d + (half[k] ?? 0)) },
    { name: `p_short_a`, type: "float", decimals: 2, values: rows.map((r) => num(a, "p_short", r.i)) },
    { name: `p_short_b`, type: "float", decimals: 2, values: rows.map((r) => num(b, "p_short", r.j)) },
  ]);
}
