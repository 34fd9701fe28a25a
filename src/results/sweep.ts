import { FordelingError } from "../errors.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { PARAMETER_KEYS, defaultParameterFile, type ParameterKey } from "../model/parameters.js";
import { scenarioFromJson, type Scenario } from "../model/scenario.js";
import { sweepSvg, type SweepSeries } from "./charts.js";
import { quantileSorted, pairedDifference, mean } from "./stats.js";
import { valuesAt, type ReplicationData } from "./replicationData.js";

/**
 * A sweep: one scenario run at every point of a grid of parameter values, all with the same
 * seed, so the points share their replications' draws and the difference of each point from the
 * first is paired (common random numbers). A varied parameter is fixed at each point: it no
 * longer varies across replications.
 */
export interface SweepAxis {
  key: ParameterKey;
  values: number[];
}

export const MAX_SWEEP_POINTS = 200;
const MAX_AXIS_VALUES = 100;

/** `key=from:to:step`, inclusive of `to` when the steps land on it (to 1e-9). */
export function parseVary(text: string): SweepAxis {
  const fail = (message: string): never => {
    throw new FordelingError("FD_ERR_ARGUMENT", `--vary '${text}': ${message}`, { field: "--vary" });
  };
  const match = /^([A-Za-z0-9_.]+)=([^:]+):([^:]+):([^:]+)$/u.exec(text.trim());
  if (match === null) return fail("write key=from:to:step, e.g. training.placesPerYear=350:550:50");
  const [, key = "", ...numbers] = match;
  if (!(PARAMETER_KEYS as readonly string[]).includes(key)) return fail(`'${key}' is not a parameter (see data/model/parameters.json)`);
  const spec = defaultParameterFile().parameters[key as ParameterKey];
  if (spec.type !== "number" && spec.type !== "integer") return fail(`'${key}' is a ${spec.type}; only numeric parameters can be swept`);
  const [from, to, step] = numbers.map(Number) as [number, number, number];
  if (![from, to, step].every(Number.isFinite)) return fail("from, to and step must be numbers");
  if (!(step > 0)) return fail("step must be above 0");
  if (to < from) return fail("to must not be below from");
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_AXIS_VALUES) return fail(`${count} values; at most ${MAX_AXIS_VALUES} per parameter`);
  // Rounded to 12 significant digits so 0.1 steps give 0.3, not 0.30000000000000004.
  const values = Array.from({ length: count }, (_, i) => Number((from + i * step).toPrecision(12)));
  return { key: key as ParameterKey, values };
}

/** Every combination of the axes' values, the first axis varying slowest. */
export function sweepGrid(axes: readonly SweepAxis[]): Record<string, number>[] {
  if (axes.length === 0) throw new FordelingError("FD_ERR_ARGUMENT", "give at least one --vary key=from:to:step", { field: "--vary" });
  const keys = axes.map((a) => a.key);
  if (new Set(keys).size !== keys.length) throw new FordelingError("FD_ERR_ARGUMENT", "a parameter is varied twice", { field: "--vary" });
  let grid: Record<string, number>[] = [{}];
  for (const axis of axes) grid = grid.flatMap((point) => axis.values.map((v) => ({ ...point, [axis.key]: v })));
  if (grid.length > MAX_SWEEP_POINTS) {
    throw new FordelingError("FD_ERR_ARGUMENT", `the grid has ${grid.length} points; at most ${MAX_SWEEP_POINTS}`, { field: "--vary" });
  }
  return grid;
}

/** The scenario of each point, validated like a scenario file (ranges are the parameters' own). */
export function sweepScenarios(base: Scenario, grid: readonly Record<string, number>[]): Scenario[] {
  return grid.map((point) =>
    scenarioFromJson(
      {
        id: `${base.id}-${Object.entries(point)
          .map(([k, v]) => `${k}-${v}`)
          .join("-")}`
          .slice(0, 64)
          .replace(/[^A-Za-z0-9._-]/gu, "_"),
        description: `${base.id} with ${Object.entries(point)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ")}`,
        parameters: { ...base.parameters, ...point },
      },
      `<sweep point ${Object.entries(point)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}>`,
    ),
  );
}

/** `training.placesPerYear` → `training_places_per_year`: the column of a varied parameter. */
export const columnOfKey = (key: string): string =>
  key
    .replace(/\./gu, "_")
    .replace(/([a-z0-9])([A-Z])/gu, "$1_$2")
    .toLowerCase();

export interface SweepPoint {
  values: Record<string, number>;
  data: ReplicationData;
}

/**
 * One row per point × area × year: the varied values, the gap's mean, P5 and P95 over the
 * replications, need, supply, the probability of a shortage, residents without a GP, and the
 * paired difference of the gap from the first point with its 95 % interval.
 */
export function sweepTable(axes: readonly SweepAxis[], points: readonly SweepPoint[]): Table {
  const first = points[0];
  if (first === undefined) throw new FordelingError("FD_ERR_INTERNAL", "a sweep without points");
  const rows = points.flatMap((p, k) => first.data.areas.flatMap((_, a) => first.data.years.map((_, y) => ({ p, k, a, y }))));
  const gap = rows.map((r) => valuesAt(r.p.data, "gap", r.y, r.a));
  const sorted = gap.map((g) => Float64Array.from(g).sort());
  const differences = rows.map((r, i) => pairedDifference(valuesAt(first.data, "gap", r.y, r.a), gap[i] ?? new Float64Array()));
  const f = (name: string, values: number[], unit = "capacities"): TableColumn => ({ name, type: "float", unit, values });
  return makeTable("sweep", [
    { name: "point", type: "int", values: rows.map((r) => r.k) },
    ...axes.map(
      (axis): TableColumn => ({
        name: columnOfKey(axis.key),
        type: "float",
        values: rows.map((r) => r.p.values[axis.key] ?? 0),
      }),
    ),
    { name: "level", type: "string", values: rows.map((r) => first.data.areas[r.a]?.level ?? "") },
    { name: "area_id", type: "string", values: rows.map((r) => first.data.areas[r.a]?.id ?? "") },
    { name: "area_name", type: "string", values: rows.map((r) => first.data.areas[r.a]?.name ?? "") },
    { name: "year", type: "int", values: rows.map((r) => first.data.years[r.y] ?? 0) },
    f(
      "gap_mean",
      gap.map((g) => mean(g)),
    ),
    f(
      "gap_p5",
      sorted.map((s) => quantileSorted(s, 0.05)),
    ),
    f(
      "gap_p95",
      sorted.map((s) => quantileSorted(s, 0.95)),
    ),
    f(
      "need_mean",
      rows.map((r) => mean(valuesAt(r.p.data, "need", r.y, r.a))),
    ),
    f(
      "supply_mean",
      rows.map((r) => mean(valuesAt(r.p.data, "supply", r.y, r.a))),
    ),
    f(
      "p_short",
      gap.map((g) => g.filter((v) => v < 0).length / g.length),
      "probability",
    ),
    f(
      "residents_without_gp_mean",
      rows.map((r) => mean(valuesAt(r.p.data, "residents_without_gp", r.y, r.a))),
      "residents",
    ),
    f(
      "gap_difference_vs_first",
      differences.map((d) => d.estimate),
    ),
    {
      name: "gap_difference_vs_first_ci95_low",
      type: "float",
      unit: "capacities",
      nullable: true,
      values: differences.map((d) => (Number.isFinite(d.low) ? d.low : null)),
    },
    {
      name: "gap_difference_vs_first_ci95_high",
      type: "float",
      unit: "capacities",
      nullable: true,
      values: differences.map((d) => (Number.isFinite(d.high) ? d.high : null)),
    },
  ]);
}

/** The nation's gap in the last year against the first varied parameter, one line per combination of the others. */
export function sweepChart(axes: readonly SweepAxis[], points: readonly SweepPoint[]): string {
  const [xAxis, ...others] = axes;
  const first = points[0];
  if (xAxis === undefined || first === undefined) throw new FordelingError("FD_ERR_INTERNAL", "a sweep without points");
  const a = first.data.areas.findIndex((area) => area.id === "DK");
  const y = first.data.years.length - 1;
  const groups = new Map<string, SweepSeries>();
  for (const p of points) {
    // The key's last part keeps the legend short: "targetWeightedResidentsPerCapacity = 1500".
    const label = others.length === 0 ? "Denmark" : others.map((o) => `${o.key.split(".").pop() ?? o.key} = ${p.values[o.key]}`).join(", ");
    const series = groups.get(label) ?? { label, points: [] };
    groups.set(label, series);
    const gap = Float64Array.from(valuesAt(p.data, "gap", y, a)).sort();
    series.points.push({ x: p.values[xAxis.key] ?? 0, mean: mean(gap), low: quantileSorted(gap, 0.05), high: quantileSorted(gap, 0.95) });
  }
  const year = first.data.years[y] ?? 0;
  return sweepSvg(`Denmark ${year}: gap (supply − need) against ${xAxis.key}; mean, P5–P95 shaded`, xAxis.key, "gap, capacities", [
    ...groups.values(),
  ]);
}
