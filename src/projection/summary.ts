import type { Geography } from "../geo/geography.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { FordelingError } from "../errors.js";
import { AREA_COUNT, areaIndexOfCouncil, areaIndexOfIsland, areaNational, type Metric } from "./metrics.js";
import type { ReplicationResult } from "./replication.js";

/**
 * Summaries across replications per area and year: mean and P5/P50/P95 (type-7 quantiles, as
 * R, NumPy and DuckDB compute them), the probability of a shortage, and the means of the rest.
 * Replications are reduced in replication order, so the tables do not depend on threads.
 */
export type ResultLevel = "council" | "municipality" | "national" | "island";

interface Stat {
  metric: Metric;
  column: string;
  kind: "mean" | "p5" | "p50" | "p95";
  unit?: string;
  decimals?: number;
}

const q = (metric: Metric, column: string, unit: string, decimals = 1): Stat[] => [
  { metric, column: `${column}_mean`, kind: "mean", unit, decimals },
  { metric, column: `${column}_p5`, kind: "p5", unit, decimals },
  { metric, column: `${column}_p50`, kind: "p50", unit, decimals },
  { metric, column: `${column}_p95`, kind: "p95", unit, decimals },
];

/** The columns of every result table after the area and year columns, in order. */
export const STATS: readonly Stat[] = [
  { metric: "residents", column: "residents_mean", kind: "mean", unit: "residents", decimals: 0 },
  { metric: "weightedResidents", column: "weighted_residents_mean", kind: "mean", unit: "weighted residents", decimals: 0 },
  ...q("need", "need", "capacities"),
  ...q("supply", "supply", "capacities"),
  ...q("gap", "gap", "capacities"),
  { metric: "short", column: "p_short", kind: "mean", unit: "probability", decimals: 2 },
  ...q("ceiling", "ceiling", "capacities", 0),
  ...q("withoutGp", "without_gp", "residents", 0),
  { metric: "tenderedClinics", column: "tendered_clinics_mean", kind: "mean", unit: "clinics", decimals: 1 },
  { metric: "tenderedClinics", column: "tendered_clinics_p95", kind: "p95", unit: "clinics", decimals: 1 },
  { metric: "minListP10", column: "min_list_p10_mean", kind: "mean", unit: "patients per capacity", decimals: 0 },
  { metric: "minListP50", column: "min_list_p50_mean", kind: "mean", unit: "patients per capacity", decimals: 0 },
  { metric: "minListP90", column: "min_list_p90_mean", kind: "mean", unit: "patients per capacity", decimals: 0 },
  { metric: "minListShareInside", column: "min_list_share_1150_2000_mean", kind: "mean", unit: "share of clinics", decimals: 2 },
  { metric: "births", column: "births_mean", kind: "mean", unit: "residents", decimals: 0 },
  { metric: "deaths", column: "deaths_mean", kind: "mean", unit: "residents", decimals: 0 },
  { metric: "movedIn", column: "moved_in_mean", kind: "mean", unit: "residents", decimals: 0 },
  { metric: "movedOut", column: "moved_out_mean", kind: "mean", unit: "residents", decimals: 0 },
  // GP supply (src/projection/gps.ts): resident states, flows and costs; flows are the year's.
  ...q("residentsListed", "residents_listed", "residents", 0),
  ...q("residentsTemporary", "residents_temporary_clinic", "residents", 0),
  ...q("residentsTendered", "residents_tendered_clinic", "residents", 0),
  ...q("unfilledVacancies", "unfilled_vacancies", "capacities", 1),
  ...q("retirements", "retirements", "GPs", 1),
  ...q("entrants", "entrants", "GPs", 1),
  ...q("moversIn", "movers_in", "GPs", 1),
  ...q("moversOut", "movers_out", "GPs", 1),
  ...q("costTemporaryDkk", "cost_dkk_temporary_clinics", "DKK", 0),
  ...q("costTenderedDkk", "cost_dkk_tendered_clinics", "DKK", 0),
  ...q("costLeversDkk", "cost_dkk_levers", "DKK", 0),
  ...q("gps", "gps", "GPs", 1),
  ...q("gpShare65Plus", "gp_share_65_plus", "share of GPs", 3),
  ...q("residentsFailingAccess", "residents_failing_access", "residents", 0),
  ...q("shareFailingAccess", "share_failing_access", "share of residents", 4),
];

/**
 * The columns of the island table after its area and year columns: only what the projection
 * records per island (src/projection/replication.ts, recordIslands), in STATS's order and naming.
 */
const ISLAND_STAT_COLUMNS = new Set([
  "residents_mean",
  ...["need", "supply", "gap"].flatMap((c) => ["mean", "p5", "p50", "p95"].map((k) => `${c}_${k}`)),
  "p_short",
  ...["gps", "residents_failing_access", "share_failing_access"].flatMap((c) => ["mean", "p5", "p50", "p95"].map((k) => `${c}_${k}`)),
]);
export const ISLAND_STATS: readonly Stat[] = [
  ...STATS.filter((s) => ISLAND_STAT_COLUMNS.has(s.column)),
  ...q("islandExtraCapacities", "island_extra_capacities_allowed", "capacities", 1),
];

function quantileOf(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? 0;
  return a + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? a) - a);
}

/**
 * The values of one metric at one record index (year × AREA_COUNT + area) over the replications,
 * in replication order, as the run stores them per replication (src/results/replicationData.ts);
 * undefined where it does not store them, so the summary reads the replications' own records.
 */
export type StoredValues = (metric: Metric, recordIndex: number) => ArrayLike<number> | undefined;

/** Mean and quantiles of one metric at one area-year over replications; null when undefined in every one. */
function summarize(
  results: readonly ReplicationResult[],
  metric: Metric,
  index: number,
  stored: StoredValues | undefined,
): Record<Stat["kind"], number | null> {
  const from = stored?.(metric, index);
  const count = from?.length ?? results.length;
  const values = new Float64Array(count);
  let n = 0;
  let sum = 0;
  for (let r = 0; r < count; r++) {
    const v = (from === undefined ? results[r]?.values[metric][index] : from[r]) ?? Number.NaN;
    if (Number.isNaN(v)) continue;
    values[n++] = v;
    sum += v;
  }
  if (n === 0) return { mean: null, p5: null, p50: null, p95: null };
  const sorted = values.subarray(0, n).sort();
  return { mean: sum / n, p5: quantileOf(sorted, 0.05), p50: quantileOf(sorted, 0.5), p95: quantileOf(sorted, 0.95) };
}

export function summarizeLevel(
  level: ResultLevel,
  results: readonly ReplicationResult[],
  geography: Geography,
  firstYear: number,
  years: number,
  stored?: StoredValues,
  /** The non-bridged islands in id order (the locations table's); required for the island level. */
  islands?: readonly { id: number; name: string; kind: "municipality" | "small"; municipalityIndex: number }[],
): Table {
  if (level === "island" && islands === undefined) throw new FordelingError("FD_ERR_INTERNAL", "the island level needs the islands");
  const islandAreas = (islands ?? []).map((i) => {
    const m = geography.municipalities[i.municipalityIndex];
    return {
      index: areaIndexOfIsland(i.id),
      id: i.name,
      name: m?.name ?? "",
      council: geography.councils[m?.councilIndex ?? -1]?.id ?? "",
    };
  });
  const areas: { index: number; id: string; name: string; council: string }[] =
    level === "national"
      ? [{ index: areaNational(), id: "DK", name: "Denmark", council: "" }]
      : level === "council"
        ? geography.councils.map((c) => ({ index: areaIndexOfCouncil(c.index), id: c.id, name: c.name, council: c.id }))
        : level === "island"
          ? islandAreas
          : geography.municipalities.map((m) => ({
              index: m.index,
              id: String(m.code),
              name: m.name,
              council: geography.councils[m.councilIndex]?.id ?? "",
            }));
  const rows = areas.flatMap((area) =>
    Array.from({ length: years + 1 }, (_, y) => ({ area, year: firstYear + y, at: y * AREA_COUNT + area.index })),
  );
  // Columns of one metric share the sort: summarize once per (metric, area-year).
  const caches = new Map<Metric, Map<number, ReturnType<typeof summarize>>>();
  const columns: TableColumn[] = [];
  if (level === "council") {
    columns.push({ name: "council_id", type: "string", values: rows.map((r) => r.area.id) });
    columns.push({ name: "council_name", type: "string", values: rows.map((r) => r.area.name) });
  } else if (level === "municipality") {
    columns.push({ name: "municipality_code", type: "int", values: rows.map((r) => Number(r.area.id)) });
    columns.push({ name: "municipality_name", type: "string", values: rows.map((r) => r.area.name) });
    columns.push({ name: "council_id", type: "string", values: rows.map((r) => r.area.council) });
  } else if (level === "island") {
    const islandOfRow = rows.map((_, k) => islands![Math.floor(k / (years + 1))]!);
    columns.push({ name: "island", type: "string", values: rows.map((r) => r.area.id) });
    columns.push({ name: "kind", type: "string", values: islandOfRow.map((i) => i.kind) });
    const code = (i: { municipalityIndex: number }): number | null => geography.municipalities[i.municipalityIndex]?.code ?? null;
    columns.push({ name: "municipality_code", type: "int", values: islandOfRow.map(code) });
    columns.push({ name: "municipality_name", type: "string", values: rows.map((r) => r.area.name) });
    columns.push({ name: "council_id", type: "string", values: rows.map((r) => r.area.council) });
  } else {
    columns.push({ name: "country", type: "string", values: rows.map((r) => r.area.id) });
  }
  columns.push({ name: "year", type: "int", unit: "end of year", values: rows.map((r) => r.year) });
  for (const stat of level === "island" ? ISLAND_STATS : STATS) {
    const cache = caches.get(stat.metric) ?? new Map<number, ReturnType<typeof summarize>>();
    caches.set(stat.metric, cache);
    const values = rows.map((r) => {
      let s = cache.get(r.at);
      if (s === undefined) {
        s = summarize(results, stat.metric, r.at, stored);
        cache.set(r.at, s);
      }
      return s[stat.kind];
    });
    columns.push({
      name: stat.column,
      type: "float",
      values,
      nullable: true,
      ...(stat.unit ? { unit: stat.unit } : {}),
      ...(stat.decimals !== undefined ? { decimals: stat.decimals } : {}),
    });
  }
  return makeTable(`${level}s`, columns);
}
