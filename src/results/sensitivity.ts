import { FordelingError } from "../errors.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { normalQuantile } from "../projection/draw.js";
import { dot, invert, ranks, standardised } from "./ranks.js";
import { metricOf, valuesAt, type AreaLevel, type ReplicationData } from "./replicationData.js";

/**
 * Which drawn parameters explain the spread of an outcome (by default the gap) over the
 * replications, per area and year: partial rank correlation coefficients (PRCC; Marino et al.
 * 2008, "A methodology for performing global uncertainty and sensitivity analysis in systems
 * biology"). Each parameter's rank is correlated with the outcome's rank after the linear
 * effect of the other parameters' ranks is removed from both: robust to monotone non-linear
 * effects and to the units of the parameters. The interval is Fisher's z: atanh(PRCC) is about
 * normal with standard error 1/√(n − 3 − (k − 1)), k parameters, n replications.
 *
 * The rest of the spread comes from the simulation's own randomness (which residents die,
 * which GPs retire): `r_squared` is the share of the outcome's rank variance that all the
 * parameters together explain.
 */
export interface SensitivityOptions {
  outcome?: string;
  level?: AreaLevel | "all";
  year?: number;
  area?: string;
  confidence?: number;
}

export interface SensitivityRow {
  areaIndex: number;
  yearIndex: number;
  parameter: string;
  prcc: number;
  low: number;
  high: number;
  rank: number;
  rSquared: number;
}

export interface Sensitivity {
  outcome: string;
  parameters: string[];
  rows: SensitivityRow[];
  /** Area-years left out, each with the reason (no spread of the outcome). */
  warnings: string[];
  table: Table;
}

export function sensitivity(data: ReplicationData, options: SensitivityOptions = {}): Sensitivity {
  const outcome = options.outcome ?? "gap";
  metricOf(data, outcome);
  const n = data.replications;
  const inputs = data.parameters
    .map((p) => ({ key: p.key, z: standardised(ranks(p.values)) }))
    .filter((p): p is { key: string; z: Float64Array } => p.z !== null);
  const k = inputs.length;
  if (k === 0)
    throw new FordelingError(
      "FD_ERR_NOT_COMPARABLE",
      "the run drew no uncertain parameters (every one is fixed by the scenario): nothing to rank",
    );
  const dfFisher = n - 3 - (k - 1);
  if (dfFisher < 1) {
    throw new FordelingError(
      "FD_ERR_NOT_COMPARABLE",
      `${n} replications are too few to rank ${k} parameters (at least ${k + 3} are needed)`,
      { field: "replications" },
    );
  }
  // The parameters' correlation block is the same for every area-year. A tiny ridge on the
  // diagonal keeps the matrix invertible when one parameter determines the outcome's ranks
  // exactly (its PRCC is then ±1 to 1e-4 instead of undefined).
  const ridge = 1e-9;
  const matrix = Array.from({ length: k + 1 }, () => new Float64Array(k + 1));
  inputs.forEach((a, i) => inputs.forEach((b, j) => (matrix[i]![j] = i === j ? 1 + ridge : dot(a.z, b.z))));
  matrix[k]![k] = 1 + ridge;
  const z = normalQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2) / Math.sqrt(dfFisher);
  const warnings: string[] = [];
  const rows: SensitivityRow[] = [];
  data.areas.forEach((area, a) => {
    if (options.level !== undefined && options.level !== "all" && area.level !== options.level) return;
    if (options.area !== undefined && options.area !== area.id) return;
    data.years.forEach((year, y) => {
      if (options.year !== undefined && options.year !== year) return;
      if (options.year === undefined && y === 0) return; // the base year is the same in every replication
      const target = standardised(ranks(valuesAt(data, outcome, y, a)));
      if (target === null) {
        warnings.push(`${area.id} ${year}: the ${outcome} is the same in every replication, nothing to explain`);
        return;
      }
      inputs.forEach((p, i) => (matrix[i]![k] = matrix[k]![i] = dot(p.z, target)));
      const inverse = invert(matrix);
      if (inverse === null) {
        warnings.push(`${area.id} ${year}: the parameters' ranks are collinear`);
        return;
      }
      const pyy = inverse[k]![k]!;
      const found = inputs.map((p, i) => {
        const prcc = Math.max(-1, Math.min(1, -inverse[i]![k]! / Math.sqrt(inverse[i]![i]! * pyy)));
        const centre = Math.atanh(Math.max(-0.999999, Math.min(0.999999, prcc)));
        return { parameter: p.key, prcc, low: Math.tanh(centre - z), high: Math.tanh(centre + z) };
      });
      const order = [...found].sort((p, q) => Math.abs(q.prcc) - Math.abs(p.prcc));
      for (const f of found) {
        rows.push({ areaIndex: a, yearIndex: y, ...f, rank: order.indexOf(f) + 1, rSquared: Math.max(0, 1 - 1 / pyy) });
      }
    });
  });
  if (rows.length === 0 && warnings.length === 0) {
    throw new FordelingError("FD_ERR_NOT_FOUND", `the run has no area-year matching the selection (years ${data.years.join(", ")})`, {
      field: "year",
    });
  }
  return {
    outcome,
    parameters: inputs.map((p) => p.key),
    rows,
    warnings,
    table: sensitivityTable(data, outcome, rows, options.confidence ?? 0.95),
  };
}

function sensitivityTable(data: ReplicationData, outcome: string, rows: readonly SensitivityRow[], confidence: number): Table {
  const percent = Math.round(confidence * 100);
  const columns: TableColumn[] = [
    { name: "level", type: "string", values: rows.map((r) => data.areas[r.areaIndex]?.level ?? "") },
    { name: "area_id", type: "string", values: rows.map((r) => data.areas[r.areaIndex]?.id ?? "") },
    { name: "area_name", type: "string", values: rows.map((r) => data.areas[r.areaIndex]?.name ?? "") },
    { name: "year", type: "int", unit: "end of year", values: rows.map((r) => data.years[r.yearIndex] ?? 0) },
    { name: "outcome", type: "string", values: rows.map(() => outcome) },
    { name: "parameter", type: "string", values: rows.map((r) => r.parameter) },
    { name: "rank", type: "int", values: rows.map((r) => r.rank) },
    { name: "prcc", type: "float", unit: "partial rank correlation", decimals: 3, values: rows.map((r) => r.prcc) },
    { name: `prcc_ci${percent}_low`, type: "float", decimals: 3, values: rows.map((r) => r.low) },
    { name: `prcc_ci${percent}_high`, type: "float", decimals: 3, values: rows.map((r) => r.high) },
    { name: "r_squared", type: "float", unit: "share of rank variance", decimals: 3, values: rows.map((r) => r.rSquared) },
  ];
  return makeTable("sensitivity", columns);
}
