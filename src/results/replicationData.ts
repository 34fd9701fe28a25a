import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { PARAMETER_KEYS, type ParameterFile } from "../model/parameters.js";
import type { Scenario } from "../model/scenario.js";
import { drawParameters } from "../projection/draw.js";
import { AREA_COUNT, areaIndexOfCouncil, areaNational, type Metric } from "../projection/metrics.js";
import type { ReplicationResult } from "../projection/replication.js";

/**
 * Every replication's outcome per area and year, kept with a run so comparisons, sensitivity and
 * decomposition work on the replications themselves rather than on summaries. Values are float32
 * (need to ≈ 1e-4 capacities at national scale), dense, indexed
 * `(replication × years + year) × areas + area`.
 *
 * Stored for the health councils and the nation: the level the law decides at. Municipalities
 * (98 more areas) would make the 1,000-replication default about 6× larger, so they are kept only
 * on request, in a file of their own with the columns the analyses read
 * (MUNICIPALITY_REPLICATION_COLUMNS; docs/ANALYSIS.md).
 *
 * New per-replication outcomes (e.g. further GP-supply flows) are one more entry in
 * REPLICATION_METRICS: the file, the reader and the comparison take them up by name.
 */
export interface ReplicationMetricSpec {
  metric: Metric;
  column: string;
  unit: string;
}

export const REPLICATION_METRICS: readonly ReplicationMetricSpec[] = [
  { metric: "need", column: "need", unit: "capacities" },
  { metric: "supply", column: "supply", unit: "capacities" },
  { metric: "gap", column: "gap", unit: "capacities" },
  { metric: "withoutGp", column: "residents_without_gp", unit: "residents" },
  { metric: "residents", column: "residents", unit: "residents" },
  { metric: "weightedResidents", column: "weighted_residents", unit: "weighted residents" },
  { metric: "tenderedClinics", column: "tendered_clinics", unit: "clinics" },
  { metric: "tenderedSupply", column: "tendered_supply", unit: "capacities" },
  { metric: "entrantCapacities", column: "gp_entrant_capacities", unit: "capacities" },
  { metric: "retiredCapacities", column: "gp_retired_capacities", unit: "capacities" },
  // GP supply (src/projection/gps.ts): the year's flows and the residents by state at its end.
  { metric: "retirements", column: "retirements", unit: "GPs" },
  { metric: "entrants", column: "entrants", unit: "GPs" },
  { metric: "moversIn", column: "movers_in", unit: "GPs" },
  { metric: "moversOut", column: "movers_out", unit: "GPs" },
  { metric: "unfilledVacancies", column: "unfilled_vacancies", unit: "capacities" },
  { metric: "residentsTemporary", column: "residents_temporary_clinic", unit: "residents" },
  { metric: "residentsTendered", column: "residents_tendered_clinic", unit: "residents" },
  { metric: "costTemporaryDkk", column: "cost_dkk_temporary_clinics", unit: "DKK" },
  { metric: "costTenderedDkk", column: "cost_dkk_tendered_clinics", unit: "DKK" },
  { metric: "costLeversDkk", column: "cost_dkk_levers", unit: "DKK" },
  { metric: "residentsFailingAccess", column: "residents_failing_access", unit: "residents" },
  { metric: "shareFailingAccess", column: "share_failing_access", unit: "share of residents" },
  { metric: "moverCapacitiesNet", column: "gp_mover_capacities_net", unit: "capacities" },
  { metric: "temporarySupply", column: "temporary_supply", unit: "capacities" },
];

export type AreaLevel = "council" | "national" | "municipality";

export interface ReplicationArea {
  level: AreaLevel;
  /** Council id, "DK" for the nation, or a municipality's code. */
  id: string;
  name: string;
}

export interface DrawnParameter {
  key: string;
  /** The value each replication drew, by replication. */
  values: Float64Array;
}

export interface ReplicationData {
  replications: number;
  /** Calendar years (end of year), ascending; the first is the base year. */
  years: readonly number[];
  areas: readonly ReplicationArea[];
  /** Column name (REPLICATION_METRICS) → values. */
  metrics: ReadonlyMap<string, Float32Array>;
  /** The uncertain parameters this run drew (those without a scenario override). */
  parameters: readonly DrawnParameter[];
}

export const indexOf = (data: ReplicationData, replication: number, year: number, area: number): number =>
  (replication * data.years.length + year) * data.areas.length + area;

export function metricOf(data: ReplicationData, column: string): Float32Array {
  const values = data.metrics.get(column);
  if (values === undefined) {
    throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `the per-replication table has no column '${column}'`, { column });
  }
  return values;
}

/** The values of one area-year over replications, in replication order. */
export function valuesAt(data: ReplicationData, column: string, year: number, area: number): Float64Array {
  const values = metricOf(data, column);
  const out = new Float64Array(data.replications);
  for (let r = 0; r < data.replications; r++) out[r] = values[indexOf(data, r, year, area)] ?? Number.NaN;
  return out;
}

/**
 * The columns kept per municipality when a run keeps them: what comparison (need, supply, gap,
 * residents without a GP), sensitivity and decomposition read; about half the bytes of all.
 */
export const MUNICIPALITY_REPLICATION_COLUMNS: ReadonlySet<string> = new Set([
  "need",
  "supply",
  "gap",
  "residents_without_gp",
  "residents",
  "weighted_residents",
  "tendered_supply",
  "gp_entrant_capacities",
  "gp_retired_capacities",
  "gp_mover_capacities_net",
  "temporary_supply",
]);

export function municipalityAreas(geography: Geography): ReplicationArea[] {
  return geography.municipalities.map((m) => ({ level: "municipality" as const, id: String(m.code), name: m.name }));
}

export function replicationAreas(geography: Geography): ReplicationArea[] {
  return [
    ...geography.councils.map((c) => ({ level: "council" as const, id: c.id, name: c.name })),
    { level: "national", id: "DK", name: "Denmark" },
  ];
}

/** The flat area index of the projection's records for each stored area. */
function recordAreaIndices(geography: Geography): number[] {
  return [...geography.councils.map((c) => areaIndexOfCouncil(c.index)), areaNational()];
}

/**
 * The per-replication data of a finished run, in replication order. The parameter values are
 * drawn again here: a draw depends only on (seed, replication, key), so they are the values the
 * replication used.
 */
export function replicationDataOf(
  results: readonly ReplicationResult[],
  run: { geography: Geography; parameterFile: ParameterFile; scenario: Scenario; seed: number; baseYear: number; years: number },
  level: "councils" | "municipalities" = "councils",
): ReplicationData {
  const municipal = level === "municipalities";
  const areas = municipal ? municipalityAreas(run.geography) : replicationAreas(run.geography);
  const recordAreas = municipal ? run.geography.municipalities.map((m) => m.index) : recordAreaIndices(run.geography);
  const specs = municipal ? REPLICATION_METRICS.filter((s) => MUNICIPALITY_REPLICATION_COLUMNS.has(s.column)) : REPLICATION_METRICS;
  const years = Array.from({ length: run.years + 1 }, (_, y) => run.baseYear + y);
  const data: ReplicationData = {
    replications: results.length,
    years,
    areas,
    metrics: new Map(),
    parameters: drawnParameters(results.length, run),
  };
  const metrics = data.metrics as Map<string, Float32Array>;
  for (const spec of specs) {
    const values = new Float32Array(results.length * years.length * areas.length);
    results.forEach((result, r) => {
      const source = result.values[spec.metric];
      for (let y = 0; y < years.length; y++) {
        for (let a = 0; a < areas.length; a++)
          values[indexOf(data, r, y, a)] = source[y * AREA_COUNT + (recordAreas[a] ?? 0)] ?? Number.NaN;
      }
    });
    metrics.set(spec.column, values);
  }
  return data;
}

/**
 * The stored values of a metric at a projection record index (year × AREA_COUNT + area) over the
 * replications, for the summary tables (src/projection/summary.ts): the councils' and the nation's
 * summaries of every stored metric come from the very values the per-replication file holds, so
 * an analyst's mean over `replications.arrow` is the table's mean. Undefined for a metric or area
 * the file does not store (municipalities, and metrics outside REPLICATION_METRICS).
 */
export function storedValuesOf(
  data: ReplicationData,
  geography: Geography,
): (metric: Metric, recordIndex: number) => Float64Array | undefined {
  const columnOf = new Map(REPLICATION_METRICS.map((spec) => [spec.metric, spec.column]));
  const storedArea = new Map(recordAreaIndices(geography).map((record, a) => [record, a]));
  return (metric, recordIndex) => {
    const column = columnOf.get(metric);
    const area = storedArea.get(recordIndex % AREA_COUNT);
    const year = Math.floor(recordIndex / AREA_COUNT);
    if (column === undefined || area === undefined || !data.metrics.has(column) || year >= data.years.length) return undefined;
    return valuesAt(data, column, year, area);
  };
}

function drawnParameters(replications: number, run: { parameterFile: ParameterFile; scenario: Scenario; seed: number }): DrawnParameter[] {
  const keys = PARAMETER_KEYS.filter(
    (k) => run.parameterFile.parameters[k].distribution !== undefined && run.scenario.parameters[k] === undefined,
  );
  const out = keys.map((key) => ({ key, values: new Float64Array(replications) }));
  for (let r = 0; r < replications; r++) {
    const p = drawParameters(run.parameterFile, run.scenario, run.seed, r);
    out.forEach((d) => (d.values[r] = p.num(d.key)));
  }
  return out;
}
