import { councilIdOf, municipalityCodeOf, yearOf, type Row } from "../../src/charts/columns.js";
import { formatNumber } from "../../src/charts/format.js";
import { choroplethMap, type MapArea } from "../../src/charts/map.js";
import { availableMeasures, isMeasureId, MEASURES, type Measure } from "../../src/charts/measures.js";
import { councilName, yearsOf } from "../../src/charts/resultCharts.js";
import { api } from "./api.js";
import { downloadBar, ensureMap, PageChart } from "./charts.js";
import { h, select } from "./dom.js";
import { lang, t, term } from "./i18n.js";
import { runLabel, state, succeededRuns } from "./state.js";

const compareBox = h("div", { class: "chart", id: "compare-chart", role: "img" });
const compareChart = new PageChart(compareBox);
const SIDES = ["_a", "_b"] as const;

/** One side of a comparison row as a result row: `need_p50_a` → `need_p50`, keys kept. */
function side(row: Row, suffix: (typeof SIDES)[number]): Row {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.endsWith(suffix)) out[key.slice(0, -suffix.length)] = value;
    else if (!/_(a|b|diff)$/u.test(key)) out[key] = value;
  }
  return out;
}

/**
 * Two runs compared by the API's /v1/compare: the difference B − A of a measure on a map and in
 * a table. The endpoint gives plain differences (no interval), and the page says so.
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
  const query = `a=${state.compareA}&b=${state.compareB}&level=${state.compareLevel}`;
  const [rows] = await Promise.all([api<Row[]>(`/v1/compare?${query}`), ensureMap(state.compareLevel)]);
  const sidesA = rows.map((r) => side(r, "_a"));
  const sidesB = rows.map((r) => side(r, "_b"));
  const measures = availableMeasures(sidesA).filter((m) => availableMeasures(sidesB).some((n) => n.id === m.id));
  if (!measures.some((m) => m.id === state.compareMeasure)) state.compareMeasure = measures[0]?.id ?? "gap";
  const years = yearsOf(rows);
  if (state.compareYear === undefined || !years.includes(state.compareYear)) state.compareYear = years[years.length - 1];
  const measure = MEASURES[state.compareMeasure];
  const rerender = (): void => void showCompare(section);
  const options = runs.map((r) => [r.id, runLabel(r)] as const);
  const controls = h(
    "div",
    { class: "controls" },
    select("compare-a", t("control.runA"), options, state.compareA ?? "", (v) => ((state.compareA = v), rerender())),
    select("compare-b", t("control.runB"), options, state.compareB ?? "", (v) => ((state.compareB = v), rerender())),
    select(
      "compare-level",
      t("control.level"),
      [
        ["council", t("level.council")],
        ["municipality", t("level.municipality")],
      ],
      state.compareLevel,
      (v) => {
        state.compareLevel = v === "municipality" ? "municipality" : "council";
        rerender();
      },
    ),
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
  const differences = rows
    .map((row, i) => {
      const a = measure.value(sidesA[i] ?? {}, sidesA);
      const b = measure.value(sidesB[i] ?? {}, sidesB);
      return { row, a, b, diff: a === null || b === null ? null : b - a };
    })
    .filter((d) => yearOf(d.row) === state.compareYear);
  const areas: MapArea[] = differences.map(({ row, diff }) => {
    const council = state.compareLevel === "council";
    const id = council ? councilIdOf(row) : municipalityCodeOf(row);
    const name = council ? councilName(row, state.names) : (state.names.municipalities.get(id) ?? id);
    return { feature: council ? name : id, title: name, id, value: diff };
  });
  const diffMeasure: Measure = { ...measure, diverging: true };
  const spec = choroplethMap(areas, {
    lang: lang(),
    level: state.compareLevel,
    measure: diffMeasure,
    year: state.compareYear,
    legendEnds: [t("legend.higherInB"), t("legend.lowerInB")],
    subtitle: `${t("compare.diff")}: ${t("compare.plain")}`,
  });
  const format = (v: number | null): string => formatNumber(v, lang(), measure.decimals);
  const table = h(
    "table",
    { id: "compare-table" },
    h("caption", {}, `${t(measure.label)} (${t(measure.unit)}), ${state.compareYear ?? ""}: ${t("compare.plain")}`),
    h(
      "thead",
      {},
      h("tr", {}, ...[t("compare.area"), t("compare.a"), t("compare.b"), t("compare.diff")].map((text) => h("th", { scope: "col" }, text))),
    ),
    h(
      "tbody",
      {},
      ...differences.map((d, i) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, areas[i]?.title ?? ""),
          h("td", {}, format(d.a)),
          h("td", {}, format(d.b)),
          h("td", {}, format(d.diff)),
        ),
      ),
    ),
  );
  section.replaceChildren(
    heading,
    h(
      "p",
      { class: "note", id: "compare-note" },
      t("compare.plain"),
      " · ",
      term(state.compareLevel === "council" ? "council" : "municipality"),
    ),
    controls,
    downloadBar(`compare-${state.compareLevel}-${measure.id}`, compareChart, [
      { label: t("compare.title"), url: (format) => `/v1/compare?${query}&format=${format}` },
    ]),
    h("div", { class: "layout" }, compareBox, h("div", { class: "side" }, table)),
  );
  compareChart.draw(spec);
  compareBox.dataset["areas"] = String(areas.length);
}
