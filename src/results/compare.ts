import { FordelingError } from "../errors.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import type { StoredRun } from "./readRun.js";
import { valuesAt, type AreaLevel } from "./replicationData.js";
import { mean, pairedDifference, unpairedDifference, type Interval } from "./stats.js";

/**
 * Two runs per area and year, from their replications. Runs with the same seed on the same
 * population and register share every replication's draws (common random numbers): replication
 * r of A and of B differ only by what the scenarios change, so the comparison is **paired**: the
 * mean of the per-replication differences and a t interval from their spread. Other runs are
 * independent: **unpaired**, the difference of means with Welch's interval. Percentiles are
 * never subtracted (the difference of two P95s is not the P95 of anything).
 */
export type ComparisonMethod = "paired" | "unpaired";

export const COMPARED_METRICS = [
  { column: "need", unit: "capacities" },
  { column: "supply", unit: "capacities" },
  { column: "gap", unit: "capacities" },
  { column: "residents_without_gp", unit: "residents" },
] as const;

export interface ComparisonOptions {
  level?: AreaLevel | "all";
  year?: number;
  area?: string;
  /** Interval level; 0.95 by default. */
  confidence?: number;
  /** Compare unpaired even when the runs share their draws (to see what pairing gains). */
  unpaired?: boolean;
}

export interface Comparison {
  method: ComparisonMethod;
  /** Replications used from each run (paired: the pairs). */
  replicationsA: number;
  replicationsB: number;
  /** Each a sentence; they also appear in every row's `warnings` column. */
  warnings: string[];
  table: Table;
}

function sameInputs(a: StoredRun, b: StoredRun): { pairable: boolean; warnings: string[] } {
  const ma = a.manifest;
  const mb = b.manifest;
  const warnings: string[] = [];
  const popA = ma.dataVersions.population;
  const popB = mb.dataVersions.population;
  const samePopulation = popA.sha256 === popB.sha256;
  const sameRegister = ma.dataVersions.register.sha256 === mb.dataVersions.register.sha256;
  if (!samePopulation)
    warnings.push(`the populations differ (A ${popA.rows} residents, B ${popB.rows}; other files): differences include the population's`);
  if (!sameRegister) warnings.push("the GP registers differ: differences include the register's");
  if (ma.horizonYear !== mb.horizonYear)
    warnings.push(`the horizons differ (A to ${ma.horizonYear}, B to ${mb.horizonYear}): only the years both have are compared`);
  if (ma.replications !== mb.replications) warnings.push(`the replications differ (A ${ma.replications}, B ${mb.replications})`);
  const versions = (m: typeof ma): string => `${m.modelVersion}/${m.parametersId}/${m.weightTableId}`;
  if (versions(ma) !== versions(mb)) warnings.push(`the model versions differ (A ${versions(ma)}, B ${versions(mb)})`);
  if (ma.baseYear !== mb.baseYear) warnings.push(`the base years differ (A ${ma.baseYear}, B ${mb.baseYear})`);
  const pairable = ma.seed === mb.seed && samePopulation && sameRegister && ma.baseYear === mb.baseYear;
  if (ma.seed === mb.seed && !pairable)
    warnings.push("the seeds are equal but the inputs differ, so replications do not share draws: compared unpaired");
  return { pairable, warnings };
}

/** Areas and years both runs have; what only one has is named in a warning, none shared is an error. */
function shared(
  a: StoredRun,
  b: StoredRun,
  options: ComparisonOptions,
  warnings: string[],
): { areas: [number, number][]; years: [number, number][] } {
  const wanted = (level: AreaLevel, id: string): boolean =>
    (options.level === undefined || options.level === "all" || options.level === level) &&
    (options.area === undefined || options.area === id);
  const areaOfB = new Map(b.data.areas.map((area, k) => [area.id, k]));
  const areas: [number, number][] = [];
  const onlyA: string[] = [];
  a.data.areas.forEach((area, k) => {
    if (!wanted(area.level, area.id)) return;
    const j = areaOfB.get(area.id);
    if (j === undefined) onlyA.push(area.id);
    else areas.push([k, j]);
  });
  const idsA = new Set(a.data.areas.map((x) => x.id));
  const onlyB = b.data.areas.filter((x) => wanted(x.level, x.id) && !idsA.has(x.id)).map((x) => x.id);
  if (onlyA.length + onlyB.length > 0) {
    warnings.push(`areas in one run only are left out (A only: ${onlyA.join(", ") || "none"}; B only: ${onlyB.join(", ") || "none"})`);
  }
  const yearOfB = new Map(b.data.years.map((y, k) => [y, k]));
  const years: [number, number][] = [];
  a.data.years.forEach((y, k) => {
    const j = yearOfB.get(y);
    if (j !== undefined && (options.year === undefined || options.year === y)) years.push([k, j]);
  });
  if (areas.length === 0) {
    const what = options.area !== undefined ? `area '${options.area}'` : "area";
    throw new FordelingError("FD_ERR_NOT_COMPARABLE", `the two runs share no ${what} at level ${options.level ?? "all"}`, {
      field: "area",
    });
  }
  if (years.length === 0) {
    const what = options.year !== undefined ? `year ${options.year}` : "year";
    throw new FordelingError(
      "FD_ERR_NOT_COMPARABLE",
      `the two runs share no ${what} (A: ${a.data.years.join(", ")}; B: ${b.data.years.join(", ")})`,
      {
        field: "year",
      },
    );
  }
  return { areas, years };
}

export function compareRuns(a: StoredRun, b: StoredRun, options: ComparisonOptions = {}): Comparison {
  const inputs = sameInputs(a, b);
  const { warnings } = inputs;
  const pairable = inputs.pairable && options.unpaired !== true;
  const { areas, years } = shared(a, b, options, warnings);
  for (const metric of COMPARED_METRICS) {
    for (const run of [a, b]) {
      if (!run.data.metrics.has(metric.column)) {
        throw new FordelingError("FD_ERR_NOT_COMPARABLE", `run ${run.label} has no per-replication '${metric.column}'`, {
          file: run.label,
          column: metric.column,
        });
      }
    }
  }
  const method: ComparisonMethod = pairable ? "paired" : "unpaired";
  const pairs = Math.min(a.data.replications, b.data.replications);
  if (pairable && a.data.replications !== b.data.replications) warnings.push(`paired over the first ${pairs} replications of each`);
  if ((pairable ? pairs : Math.min(a.data.replications, b.data.replications)) < 2)
    warnings.push("fewer than two replications: no interval");
  const confidence = options.confidence ?? 0.95;
  const rows = areas.flatMap(([ka, kb]) => years.map(([ya, yb]) => ({ ka, kb, ya, yb })));
  const columns: TableColumn[] = [
    { name: "level", type: "string", values: rows.map((r) => a.data.areas[r.ka]?.level ?? "") },
    { name: "area_id", type: "string", values: rows.map((r) => a.data.areas[r.ka]?.id ?? "") },
    { name: "area_name", type: "string", values: rows.map((r) => a.data.areas[r.ka]?.name ?? "") },
    { name: "year", type: "int", unit: "end of year", values: rows.map((r) => a.data.years[r.ya] ?? 0) },
  ];
  const percent = Math.round(confidence * 100);
  const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
  for (const metric of COMPARED_METRICS) {
    const found = rows.map((r) => {
      let va = valuesAt(a.data, metric.column, r.ya, r.ka);
      let vb = valuesAt(b.data, metric.column, r.yb, r.kb);
      if (pairable) {
        va = va.subarray(0, pairs);
        vb = vb.subarray(0, pairs);
      }
      const interval: Interval = pairable ? pairedDifference(va, vb, confidence) : unpairedDifference(va, vb, confidence);
      const shortA = metric.column === "gap" ? va.filter((v) => v < 0).length / va.length : Number.NaN;
      const shortB = metric.column === "gap" ? vb.filter((v) => v < 0).length / vb.length : Number.NaN;
      return { meanA: mean(va), meanB: mean(vb), interval, shortA, shortB };
    });
    const col = (name: string, values: (number | null)[], nullable = false): TableColumn => ({
      name,
      type: "float",
      unit: metric.unit,
      values,
      nullable,
    });
    columns.push(
      col(
        `${metric.column}_mean_a`,
        found.map((f) => f.meanA),
      ),
      col(
        `${metric.column}_mean_b`,
        found.map((f) => f.meanB),
      ),
      col(
        `${metric.column}_difference`,
        found.map((f) => f.interval.estimate),
      ),
      col(
        `${metric.column}_difference_ci${percent}_low`,
        found.map((f) => finiteOrNull(f.interval.low)),
        true,
      ),
      col(
        `${metric.column}_difference_ci${percent}_high`,
        found.map((f) => finiteOrNull(f.interval.high)),
        true,
      ),
    );
    if (metric.column === "gap") {
      columns.push({ name: "p_short_a", type: "float", unit: "probability", decimals: 2, values: found.map((f) => f.shortA) });
      columns.push({ name: "p_short_b", type: "float", unit: "probability", decimals: 2, values: found.map((f) => f.shortB) });
    }
  }
  const replicationsA = pairable ? pairs : a.data.replications;
  const replicationsB = pairable ? pairs : b.data.replications;
  columns.push(
    { name: "method", type: "string", values: rows.map(() => method) },
    { name: "replications_a", type: "int", values: rows.map(() => replicationsA) },
    { name: "replications_b", type: "int", values: rows.map(() => replicationsB) },
    { name: "warnings", type: "string", values: rows.map(() => warnings.join("; ")) },
  );
  return { method, replicationsA, replicationsB, warnings, table: makeTable("comparison", columns) };
}

/** One line saying how the intervals were made, for titles and docs. */
export function describeMethod(c: Comparison): string {
  return c.method === "paired"
    ? `paired (same seed and inputs: common random numbers), mean of ${c.replicationsA} per-replication differences B − A ` +
        "with a t interval"
    : `unpaired (independent replications), difference of means B − A (${c.replicationsA} and ${c.replicationsB} replications) ` +
        "with Welch's t interval";
}
