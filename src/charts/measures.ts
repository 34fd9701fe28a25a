import { findColumn, numberCell, type Row } from "./columns.js";
import type { LabelKey } from "./dictionary.js";

/**
 * The measures a map can show, each read from a result row: the column (or ratio of columns)
 * per docs/PROJECTION.md, its unit, and whether it is signed (a diverging palette around 0).
 */
export interface Measure {
  id: MeasureId;
  label: LabelKey;
  unit: LabelKey;
  /** Signed around 0: a diverging palette, negative = shortage. */
  diverging: boolean;
  decimals: number;
  value(row: Row, rows: readonly Row[]): number | null;
}

export const MEASURE_IDS = ["gap", "need", "supply", "p_short", "avg_weight", "min_list", "without_gp", "beyond_15km"] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];

/** The 15 km access measure (src/geo/accessTables.ts: residents_failing), found by name when a run's table has it. */
const BEYOND_15KM = /(15_?km|beyond_15|^residents_failing)/u;

export const MEASURES: Readonly<Record<MeasureId, Measure>> = {
  gap: {
    id: "gap",
    label: "measure.gap",
    unit: "unit.capacities",
    diverging: true,
    decimals: 1,
    value: (r) => numberCell(r, "gap_mean", "gap_p50"),
  },
  need: {
    id: "need",
    label: "measure.need",
    unit: "unit.capacities",
    diverging: false,
    decimals: 1,
    value: (r) => numberCell(r, "need_p50", "need_mean"),
  },
  supply: {
    id: "supply",
    label: "measure.supply",
    unit: "unit.capacities",
    diverging: false,
    decimals: 1,
    value: (r) => numberCell(r, "supply_p50", "supply_mean"),
  },
  p_short: {
    id: "p_short",
    label: "measure.p_short",
    unit: "unit.probability",
    diverging: false,
    decimals: 2,
    value: (r) => numberCell(r, "p_short"),
  },
  avg_weight: {
    id: "avg_weight",
    label: "measure.avg_weight",
    unit: "unit.weightPerResident",
    diverging: false,
    decimals: 3,
    value: (r) => {
      const direct = numberCell(r, "average_weight_mean", "avg_weight_mean", "average_weight");
      if (direct !== null) return direct;
      const weighted = numberCell(r, "weighted_residents_mean");
      const residents = numberCell(r, "residents_mean");
      return weighted === null || residents === null || residents === 0 ? null : weighted / residents;
    },
  },
  min_list: {
    id: "min_list",
    label: "measure.min_list",
    unit: "unit.patientsPerCapacity",
    diverging: false,
    decimals: 0,
    value: (r) => numberCell(r, "min_list_p50_mean"),
  },
  without_gp: {
    id: "without_gp",
    label: "measure.without_gp",
    unit: "unit.residents",
    diverging: false,
    decimals: 0,
    value: (r) => numberCell(r, "without_gp_mean", "without_gp_p50"),
  },
  beyond_15km: {
    id: "beyond_15km",
    label: "measure.beyond_15km",
    unit: "unit.residents",
    diverging: false,
    decimals: 0,
    value: (r, rows) => {
      const column = findColumn(rows, BEYOND_15KM);
      return column === undefined ? null : numberCell(r, column);
    },
  },
};

/** The measures the rows hold: the 15 km one only when a run's tables have it. */
export function availableMeasures(rows: readonly Row[]): Measure[] {
  return MEASURE_IDS.map((id) => MEASURES[id]).filter((m) => rows.some((r) => m.value(r, rows) !== null));
}

export function isMeasureId(id: string): id is MeasureId {
  return (MEASURE_IDS as readonly string[]).includes(id);
}
