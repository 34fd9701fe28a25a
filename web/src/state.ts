import type { MeasureId } from "../../src/charts/measures.js";
import type { AreaNames } from "../../src/charts/resultCharts.js";
import type { ReferenceCouncil, ReferenceMunicipality, RunRecord } from "./api.js";
import { t } from "./i18n.js";

/** What the page shows; views read it and change it, then redraw. */
export const state = {
  runs: [] as RunRecord[],
  runId: undefined as string | undefined,
  level: "council" as "council" | "municipality",
  measure: "gap" as MeasureId,
  year: undefined as number | undefined,
  scale: "shared" as "shared" | "panel",
  fanCouncil: "",
  compareA: undefined as string | undefined,
  compareB: undefined as string | undefined,
  compareLevel: "council" as "council" | "municipality",
  compareMeasure: "gap" as MeasureId,
  compareYear: undefined as number | undefined,
  councils: [] as ReferenceCouncil[],
  municipalities: [] as ReferenceMunicipality[],
  names: { councils: new Map(), municipalities: new Map() } as AreaNames,
};

export const succeededRuns = (): RunRecord[] => state.runs.filter((r) => r.status === "succeeded");

/** "scenario · 200× · seed 1 · 2027 · id…" for run pickers, in the page's language. */
export function runLabel(run: RunRecord): string {
  const r = run.request;
  const seed = `${t("form.seed").toLowerCase()} ${r.seed}`;
  return `${r.scenario.id} · ${r.replications}× · ${seed} · ${r.horizonYear} · ${run.id.slice(0, 8)}`;
}
