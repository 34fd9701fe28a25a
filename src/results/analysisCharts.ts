import { FordelingError } from "../errors.js";
import { tornadoSvg, waterfallSvg } from "./charts.js";
import { DECOMPOSITION_PARTS, type Decomposition } from "./decomposition.js";
import type { ReplicationData } from "./replicationData.js";
import type { Sensitivity } from "./sensitivity.js";

/** The charts of one area from an analysis' rows: the tornado of a sensitivity, the waterfall of a decomposition. */

function areaIndexOf(data: ReplicationData, areaId: string): number {
  const index = data.areas.findIndex((a) => a.id === areaId);
  if (index < 0) {
    throw new FordelingError("FD_ERR_NOT_FOUND", `the run has no area '${areaId}' (areas: ${data.areas.map((a) => a.id).join(", ")})`, {
      field: "area",
    });
  }
  return index;
}

export function sensitivityTornado(s: Sensitivity, data: ReplicationData, areaId: string, year: number): string {
  const a = areaIndexOf(data, areaId);
  const y = data.years.indexOf(year);
  const rows = s.rows.filter((r) => r.areaIndex === a && r.yearIndex === y);
  if (rows.length === 0) throw new FordelingError("FD_ERR_NOT_FOUND", `no sensitivity for ${areaId} in ${year}`, { field: "year" });
  const r2 = rows[0]?.rSquared ?? 0;
  const title =
    `${data.areas[a]?.name ?? areaId} ${year}: what drives the ${s.outcome} ` +
    `(parameters explain ${(100 * r2).toFixed(0)} % of its rank variance)`;
  return tornadoSvg(
    title,
    rows.map((r) => ({ label: r.parameter, value: r.prcc, low: r.low, high: r.high })),
  );
}

const PART_LABELS: Record<(typeof DECOMPOSITION_PARTS)[number], string> = {
  population_growth: "population growth",
  weight_drift: "weight drift",
  retirements: "retirements",
  entrants: "entrants",
  movers: "movers",
  tendered_clinics: "tendered clinics",
  temporary_clinics: "temporary clinics",
};

export function decompositionWaterfall(d: Decomposition, data: ReplicationData, areaId: string): string {
  const a = areaIndexOf(data, areaId);
  const row = d.rows.find((r) => r.areaIndex === a);
  if (row === undefined) throw new FordelingError("FD_ERR_NOT_FOUND", `no decomposition for ${areaId}`, { field: "area" });
  return waterfallSvg(
    `${data.areas[a]?.name ?? areaId}: gap (supply − need, capacities) ${d.baseYear} → ${d.endYear}, ` +
      `mean of ${data.replications} replications`,
    { label: `gap ${d.baseYear}`, value: row.gapBase },
    DECOMPOSITION_PARTS.map((p) => ({ label: PART_LABELS[p], value: row.parts[p] })),
    { label: `gap ${d.endYear}`, value: row.gapEnd },
  );
}
