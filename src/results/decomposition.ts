import { FordelingError } from "../errors.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";
import { indexOf, metricOf, type AreaLevel, type ReplicationData } from "./replicationData.js";

/**
 * Why a council's gap (supply − need, capacities) changes from the base year to a later year,
 * per replication and then averaged (every part is linear in the replications, so the parts of
 * the mean are the means of the parts):
 *
 * - need = residents × need per resident, so its change splits symmetrically (a Shapley split
 *   of a product, no order of the two factors preferred) into **population growth**
 *   ΔR × (w₀ + w₁)/2 and the **weight drift** Δw × (R₀ + R₁)/2 of the residents (ageing,
 *   disease, labour market, and the life-expectancy correction): both enter the gap with a minus;
 * - supply changes by **entrants** (capacities new GPs took, summed over the years),
 *   **movers** (capacities GPs moving in took minus those GPs moving out held, summed over the
 *   years: `gp_mover_capacities_net`), **tendered clinics** (change of the capacities tendered
 *   clinics hold), **temporary clinics** (change of the capacities temporary clinics staff:
 *   `temporary_supply`), and **retirements**: what remains of the supply change, which in this
 *   model is the capacity lost to retiring GPs (the projection stores it as
 *   `gp_retired_capacities`; the two agree to float32 rounding). Defining it as the remainder
 *   makes the parts add up to the total exactly. A run written before the movers' and temporary
 *   clinics' columns existed still decomposes: those parts are 0, the movers' effect is in
 *   retirements, and `missing` names them.
 */
export const DECOMPOSITION_PARTS = [
  "population_growth",
  "weight_drift",
  "retirements",
  "entrants",
  "movers",
  "tendered_clinics",
  "temporary_clinics",
] as const;
export type DecompositionPart = (typeof DECOMPOSITION_PARTS)[number];

/** Optional per-replication columns: net capacities from GPs moving in minus out during the year; capacities of temporary clinics. */
export const OPTIONAL_FLOW_COLUMNS = { movers: "gp_mover_capacities_net", temporary: "temporary_supply" } as const;

export interface DecompositionRow {
  areaIndex: number;
  gapBase: number;
  gapEnd: number;
  parts: Record<DecompositionPart, number>;
  total: number;
}

export interface Decomposition {
  baseYear: number;
  endYear: number;
  rows: DecompositionRow[];
  /** Parts the run does not record (shown as 0). */
  missing: string[];
  table: Table;
}

export function decompose(data: ReplicationData, options: { level?: AreaLevel | "all"; area?: string; year?: number } = {}): Decomposition {
  const baseYear = data.years[0] ?? 0;
  const endYear = options.year ?? data.years[data.years.length - 1] ?? baseYear;
  const end = data.years.indexOf(endYear);
  if (end <= 0) {
    throw new FordelingError(
      "FD_ERR_NOT_FOUND",
      `the decomposition needs a year after the base year ${baseYear} that the run has (${data.years.slice(1).join(", ")})`,
      {
        field: "year",
      },
    );
  }
  const need = metricOf(data, "need");
  const supply = metricOf(data, "supply");
  const residents = metricOf(data, "residents");
  const entrants = metricOf(data, "gp_entrant_capacities");
  const tendered = metricOf(data, "tendered_supply");
  const movers = data.metrics.get(OPTIONAL_FLOW_COLUMNS.movers);
  const temporary = data.metrics.get(OPTIONAL_FLOW_COLUMNS.temporary);
  const missing = [...(movers === undefined ? ["movers"] : []), ...(temporary === undefined ? ["temporary_clinics"] : [])];
  const rows: DecompositionRow[] = [];
  data.areas.forEach((area, a) => {
    if (options.level !== undefined && options.level !== "all" && area.level !== options.level) return;
    if (options.area !== undefined && options.area !== area.id) return;
    const sum = Object.fromEntries(DECOMPOSITION_PARTS.map((p) => [p, 0])) as Record<DecompositionPart, number>;
    let gapBase = 0;
    let gapEnd = 0;
    for (let r = 0; r < data.replications; r++) {
      const i0 = indexOf(data, r, 0, a);
      const i1 = indexOf(data, r, end, a);
      const r0 = residents[i0] ?? 0;
      const r1 = residents[i1] ?? 0;
      const n0 = need[i0] ?? 0;
      const n1 = need[i1] ?? 0;
      const s0 = supply[i0] ?? 0;
      const s1 = supply[i1] ?? 0;
      // Need per resident; an area without residents puts all of its need change on the population.
      const w0 = r0 > 0 ? n0 / r0 : 0;
      const w1 = r1 > 0 ? n1 / r1 : 0;
      const population = r0 > 0 && r1 > 0 ? ((r1 - r0) * (w0 + w1)) / 2 : n1 - n0;
      const drift = n1 - n0 - population;
      let entered = 0;
      let moved = 0;
      for (let y = 1; y <= end; y++) {
        entered += entrants[indexOf(data, r, y, a)] ?? 0;
        moved += movers?.[indexOf(data, r, y, a)] ?? 0;
      }
      const tenderedChange = (tendered[i1] ?? 0) - (tendered[i0] ?? 0);
      const temporaryChange = temporary === undefined ? 0 : (temporary[i1] ?? 0) - (temporary[i0] ?? 0);
      sum.population_growth -= population;
      sum.weight_drift -= drift;
      sum.entrants += entered;
      sum.movers += moved;
      sum.tendered_clinics += tenderedChange;
      sum.temporary_clinics += temporaryChange;
      sum.retirements += s1 - s0 - entered - moved - tenderedChange - temporaryChange;
      gapBase += s0 - n0;
      gapEnd += s1 - n1;
    }
    const n = data.replications;
    const parts = Object.fromEntries(DECOMPOSITION_PARTS.map((p) => [p, sum[p] / n])) as Record<DecompositionPart, number>;
    gapBase /= n;
    gapEnd /= n;
    rows.push({ areaIndex: a, gapBase, gapEnd, parts, total: gapEnd - gapBase });
  });
  if (rows.length === 0) throw new FordelingError("FD_ERR_NOT_FOUND", `the run has no area '${options.area ?? ""}'`, { field: "area" });
  return { baseYear, endYear, rows, missing, table: decompositionTable(data, rows, baseYear, endYear) };
}

function decompositionTable(data: ReplicationData, rows: readonly DecompositionRow[], baseYear: number, endYear: number): Table {
  const float = (name: string, values: number[]): TableColumn => ({ name, type: "float", unit: "capacities", values });
  return makeTable("decomposition", [
    { name: "level", type: "string", values: rows.map((r) => data.areas[r.areaIndex]?.level ?? "") },
    { name: "area_id", type: "string", values: rows.map((r) => data.areas[r.areaIndex]?.id ?? "") },
    { name: "area_name", type: "string", values: rows.map((r) => data.areas[r.areaIndex]?.name ?? "") },
    { name: "base_year", type: "int", values: rows.map(() => baseYear) },
    { name: "year", type: "int", values: rows.map(() => endYear) },
    float(
      "gap_base",
      rows.map((r) => r.gapBase),
    ),
    ...DECOMPOSITION_PARTS.map((p) =>
      float(
        p,
        rows.map((r) => r.parts[p]),
      ),
    ),
    float(
      "total_change",
      rows.map((r) => r.total),
    ),
    float(
      "gap",
      rows.map((r) => r.gapEnd),
    ),
  ]);
}
