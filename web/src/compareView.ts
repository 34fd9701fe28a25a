import { cell, numberCell, yearOf, type Row } from "../../src/charts/columns.js";
import { isLabelKey } from "../../src/charts/dictionary.js";
import { formatNumber } from "../../src/charts/format.js";
import { choroplethMap, type MapArea } from "../../src/charts/map.js";
import { availableMeasures, isMeasureId, MEASURES, type Measure, type MeasureId } from "../../src/charts/measures.js";
import { councilName, yearsOf } from "../../src/charts/resultCharts.js";
import { api } from "./api.js";
import { downloadBar, ensureMap, PageChart } from "./charts.js";
import { h, select } from "./dom.js";
import { lang, t, term } from "./i18n.js";
import { runLabel, state, succeededRuns } from "./state.js";

const compareBox = h("div", { class: "chart", id: "compare-chart", role: "img" });
const compareChart = new PageChart(compareBox);

/** The comparison's column stem of each measure it compares with an interval (docs/ANALYSIS.md). */
const INTERVAL_STEMS: Partial<Record<MeasureId, string>> = {
  gap: "gap",
  need: "need",
  supply: "supply",
  without_gp: "residents_without_gp",
};

interface Difference {
  row: Row;
  id: string;
  title: string;
  council: boolean;
  a: number | null;
  b: number | null;
  diff: number | null;
  low: number | null;
  high: number | null;
}

/** One side of a plain comparison row as a result row: `need_p50_a` → `need_p50`, keys kept. */
function side(row: Row, suffix: "_a" | "_b"): Row {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.endsWith(suffix)) out[key.slice(0, -suffix.length)] = value;
    else if (!/_(a|b|diff)$/u.test(key)) out[key] = value;
  }
  return out;
}

/** Rows of /v1/compare as differences of one measure: with the API's interval when it gives one, else plain. */
function differencesOf(rows: readonly Row[], measure: Measure, withIntervals: boolean): Difference[] {
  const sidesA = rows.map((r) => side(r, "_a"));
  const sidesB = rows.map((r) => side(r, "_b"));
  const stem = INTERVAL_STEMS[measure.id];
  return rows.map((row, i) => {
    const id = String(cell(row, "area_id", "council_id") ?? "");
    const council = String(cell(row, "level") ?? "council") === "council";
    const title = council ? councilName({ ...row, council_id: id }, state.names) : t("area.denmark");
    if (withIntervals && stem !== undefined) {
      const n = (suffix: string): number | null => numberCell(row, `${stem}_${suffix}`);
      return {
        row,
        id,
        title,
        council,
        a: n("mean_a"),
        b: n("mean_b"),
        diff: n("difference"),
        low: n("difference_ci95_low"),
        high: n("difference_ci95_high"),
      };
    }
    const a = measure.value(sidesA[i] ?? {}, sidesA);
    const b = measure.value(sidesB[i] ?? {}, sidesB);
    return { row, id, title, council, a, b, diff: a === null || b === null ? null : b - a, low: null, high: null };
  });
}

/**
 * Two runs compared by the API's /v1/compare: the difference B − A of a measure on a map and in a
 * table, with the API's 95 % interval and method where it gives them; plain differences are
 * labelled as such.
 */
export async function showCompare(section: HTMLElement): Promise<void> {
  const runs = succeededRuns();
  const heading = h("h2", {}, t("compare.title"));
  if (runs.length < 2) {
    section.replaceChildren(heading, h("p", {}, t("compare.none")));
    return;
  }
  state.compareA ??= runs[1]?.id;
  state.compareB ??= runs[0]?.id;
  const query = `a=${state.compareA}&b=${state.compareB}&level=all`;
  const [rows] = await Promise.all([api<Row[]>(`/v1/compare?${query}`), ensureMap("council")]);
  const withIntervals = rows.some((r) => cell(r, "gap_difference") !== undefined);
  const measures = withIntervals
    ? (Object.keys(INTERVAL_STEMS) as MeasureId[]).map((id) => MEASURES[id])
    : availableMeasures(rows.map((r) => side(r, "_a")));
  if (!measures.some((m) => m.id === state.compareMeasure)) state.compareMeasure = measures[0]?.id ?? "gap";
  const years = yearsOf(rows);
  if (state.compareYear === undefined || !years.includes(state.compareYear)) state.compareYear = years[years.length - 1];
  const measure = MEASURES[state.compareMeasure];
  const rerender = (): void => void showCompare(section);
  const options = runs.map((r) => [r.id, runLabel(r)] as const);
  const controls = h(
    "div",
    { class: "controls" },
    select("compare-a", t("control.runA"), options, state.compareA ?? "", (v) => {
      state.compareA = v;
      rerender();
    }),
    select("compare-b", t("control.runB"), options, state.compareB ?? "", (v) => {
      state.compareB = v;
      rerender();
    }),
    select(
      "compare-measure",
      t("compare.measure"),
      measures.map((m) => [m.id, `${t(m.label)} (${t(m.unit)})`] as const),
      state.compareMeasure,
      (v) => {
        if (isMeasureId(v)) state.compareMeasure = v;
        rerender();
      },
    ),
    select(
      "compare-year",
      t("control.year"),
      years.map((y) => [String(y), String(y)] as const),
      String(state.compareYear ?? ""),
      (v) => {
        state.compareYear = Number(v);
        rerender();
      },
    ),
  );
  const differences = differencesOf(rows, measure, withIntervals).filter((d) => yearOf(d.row) === state.compareYear);
  const areas: MapArea[] = differences.filter((d) => d.council).map((d) => ({ feature: d.title, title: d.title, id: d.id, value: d.diff }));
  const methodKey = `compare.method.${String(cell(rows[0] ?? {}, "method") ?? "")}`;
  const method = isLabelKey(methodKey) ? t(methodKey) : String(cell(rows[0] ?? {}, "method") ?? "");
  const note = withIntervals ? t("compare.intervals", { method }) : t("compare.plain");
  const warnings = String(cell(rows[0] ?? {}, "warnings") ?? "");
  const spec = choroplethMap(areas, {
    lang: lang(),
    level: "council",
    measure: { ...measure, diverging: true },
    year: state.compareYear,
    legendEnds: [t("legend.higherInB"), t("legend.lowerInB")],
    subtitle: `${t("compare.diff")}: ${note}`,
  });
  const format = (v: number | null): string => formatNumber(v, lang(), measure.decimals);
  const table = h(
    "table",
    { id: "compare-table" },
    h("caption", {}, `${t(measure.label)} (${t(measure.unit)}), ${state.compareYear ?? ""}: ${note}`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...[t("compare.area"), t("compare.a"), t("compare.b"), t("compare.diff")].map((text) => h("th", { scope: "col" }, text)),
        withIntervals ? h("th", { scope: "col" }, t("compare.interval")) : null,
      ),
    ),
    h(
      "tbody",
      {},
      ...differences.map((d) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, d.title),
          h("td", {}, format(d.a)),
          h("td", {}, format(d.b)),
          h("td", {}, format(d.diff)),
          withIntervals ? h("td", {}, `${format(d.low)} … ${format(d.high)}`) : null,
        ),
      ),
    ),
  );
  section.replaceChildren(
    heading,
    h("p", { class: "note", id: "compare-note" }, note, " · ", term("council")),
    warnings === "" ? "" : h("p", { class: "note", id: "compare-warnings" }, `${t("compare.warnings")}: ${warnings}`),
    controls,
    downloadBar(`compare-${measure.id}`, compareChart, [{ label: t("compare.title"), url: (f) => `/v1/compare?${query}&format=${f}` }]),
    h("div", { class: "layout" }, compareBox, h("div", { class: "side" }, table)),
  );
  compareChart.draw(spec);
  compareBox.dataset["areas"] = String(areas.length);
}
