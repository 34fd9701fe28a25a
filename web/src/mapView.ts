import { yearOf } from "../../src/charts/columns.js";
import { fanChart } from "../../src/charts/fan.js";
import { formatNumber } from "../../src/charts/format.js";
import { choroplethMap, type MapArea } from "../../src/charts/map.js";
import { availableMeasures, isMeasureId, MEASURES, type Measure } from "../../src/charts/measures.js";
import { councilName, resultMap, shortCouncilName, yearsOf } from "../../src/charts/resultCharts.js";
import { resultRows, resultUrl, type Row, type TableFormat } from "./api.js";
import { downloadBar, ensureMap, PageChart } from "./charts.js";
import { h, select } from "./dom.js";
import { lang, t, term } from "./i18n.js";
import { runLabel, state, succeededRuns } from "./state.js";

const mapBox = h("div", { class: "chart", id: "map-chart", role: "img" });
const mapChart = new PageChart(mapBox);
const areaBox = h("div", { class: "chart", id: "area-chart" });
const areaChart = new PageChart(areaBox);

/** The map: a chosen run, level, measure and year; hover figures; click opens the area. */
export async function showMap(section: HTMLElement): Promise<void> {
  const run = succeededRuns().find((r) => r.id === state.runId);
  const [rows] = await Promise.all([run === undefined ? [] : resultRows(run.id, state.level), ensureMap(state.level)]);
  const measures = rows.length === 0 ? [MEASURES.gap] : availableMeasures(rows);
  if (!measures.some((m) => m.id === state.measure)) state.measure = measures[0]?.id ?? "gap";
  const years = yearsOf(rows);
  if (state.year === undefined || !years.includes(state.year)) state.year = years[years.length - 1];
  const measure = MEASURES[state.measure];

  const controls = h(
    "div",
    { class: "controls" },
    select(
      "map-run",
      t("control.run"),
      succeededRuns().map((r) => [r.id, runLabel(r)] as const),
      state.runId ?? "",
      (v) => {
        state.runId = v;
        void showMap(section);
      },
    ),
    select(
      "map-level",
      t("control.level"),
      [
        ["council", t("level.council")],
        ["municipality", t("level.municipality")],
      ],
      state.level,
      (v) => {
        state.level = v === "municipality" ? "municipality" : "council";
        void showMap(section);
      },
    ),
    select(
      "map-measure",
      t("control.measure"),
      measures.map((m) => [m.id, `${t(m.label)} (${t(m.unit)})`] as const),
      state.measure,
      (v) => {
        if (isMeasureId(v)) state.measure = v;
        redraw(rows, MEASURES[state.measure]);
      },
    ),
    select(
      "map-year",
      t("control.year"),
      years.map((y) => [String(y), String(y)] as const),
      String(state.year ?? ""),
      (v) => {
        state.year = Number(v);
        redraw(rows, MEASURES[state.measure]);
      },
    ),
  );
  const heading = h("h2", { id: "view-map-heading" }, `${t("nav.map")}: `, term(state.level));
  const side = h("aside", { class: "side", id: "area-panel", "aria-live": "polite" }, h("p", { class: "hint" }, t("map.clickHint")));
  const downloads = h("div", { id: "map-downloads" });
  const table = h("details", { id: "map-table" });
  section.replaceChildren(heading, controls, downloads, h("div", { class: "layout" }, mapBox, side), table);
  redraw(rows, measure);

  function redraw(current: Row[], m: Measure): void {
    const spec =
      current.length === 0
        ? choroplethMap(emptyAreas(), { lang: lang(), level: state.level, measure: m, year: undefined, subtitle: t("map.noRun") })
        : resultMap(current, state.names, {
            lang: lang(),
            level: state.level,
            measure: m,
            ...(state.year !== undefined ? { year: state.year } : {}),
          });
    mapChart.draw(spec);
    // The first meaningful view: the map drawn (read by the browser test, docs/DASHBOARD.md).
    if (performance.getEntriesByName("fordeling:map-drawn").length === 0) performance.mark("fordeling:map-drawn");
    const areas = (spec.option["series"] as { data: MapArea[] }[])[0]?.data ?? [];
    mapBox.dataset["areas"] = String(areas.length);
    mapBox.dataset["measure"] = m.id;
    mapBox.dataset["year"] = String(state.year ?? "");
    mapBox.setAttribute("aria-label", `${t(m.label)} (${t(m.unit)}), ${state.year ?? ""}: ${t("map.areas", { count: areas.length })}`);
    mapChart.on("click", (params) => {
      const area = params.data as MapArea | undefined;
      if (area !== undefined) openArea(side, current, area, run?.id);
    });
    table.replaceChildren(
      h("summary", {}, t("table.title")),
      areaTable(areas, m, (area) => openArea(side, current, area, run?.id)),
    );
    const levelName = t(state.level === "council" ? "level.council" : "level.municipality");
    const tables =
      run === undefined
        ? []
        : [
            {
              label: levelName,
              url: (format: TableFormat) => resultUrl(run.id, state.level, format, state.year),
            },
          ];
    downloads.replaceChildren(downloadBar(`map-${state.level}-${m.id}-${state.year ?? ""}`, mapChart, tables));
  }
}

function emptyAreas(): MapArea[] {
  if (state.level === "council") return state.councils.map((c) => ({ feature: c.name, title: c.name, id: c.id, value: null }));
  return state.municipalities.map((m) => ({ feature: String(m.code), title: `${m.name} (${m.code})`, id: String(m.code), value: null }));
}

/** The map's figures as a table; each area's name opens it, so the map's click has a keyboard twin. */
function areaTable(areas: readonly MapArea[], measure: Measure, open: (area: MapArea) => void): HTMLTableElement {
  const unit = t(measure.unit);
  return h(
    "table",
    {},
    h("caption", {}, `${t(measure.label)} (${unit}), ${state.year ?? ""}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("compare.area")), h("th", { scope: "col" }, `${t(measure.label)} (${unit})`))),
    h(
      "tbody",
      {},
      ...areas.map((a) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, h("button", { type: "button", class: "link", onclick: () => open(a) }, a.title)),
          h("td", {}, formatNumber(a.value, lang(), measure.decimals)),
        ),
      ),
    ),
  );
}

/** The area's own fan chart and its figures in every year. */
function openArea(side: HTMLElement, rows: readonly Row[], area: MapArea, runId: string | undefined): void {
  const key = state.level === "council" ? "council_id" : "municipality_code";
  const own = rows.filter((r) => String(r[key] ?? r[key.replace(/_(\w)/gu, (_, c: string) => c.toUpperCase())]) === area.id);
  const title = state.level === "council" ? shortCouncilName(councilName(own[0] ?? {}, state.names)) : area.title;
  const measures = availableMeasures(own);
  const years = yearsOf(own);
  const table = h(
    "table",
    {},
    h("caption", {}, t("area.figures")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("control.measure")), ...years.map((y) => h("th", { scope: "col" }, String(y))))),
    h(
      "tbody",
      {},
      ...measures.map((m) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, `${t(m.label)} (${t(m.unit)})`),
          ...years.map((y) => {
            const row = own.find((r) => yearOf(r) === y);
            return h("td", {}, formatNumber(row === undefined ? null : m.value(row, own), lang(), m.decimals));
          }),
        ),
      ),
    ),
  );
  const close = h(
    "button",
    { type: "button", onclick: () => side.replaceChildren(h("p", { class: "hint" }, t("map.clickHint"))) },
    t("area.close"),
  );
  const heading = h(
    "h3",
    { id: "area-title", tabindex: -1 },
    title,
    " ",
    h("span", { class: "hint" }, "("),
    term(state.level),
    h("span", { class: "hint" }, ")"),
  );
  const level = state.level;
  const url = (format: TableFormat): string =>
    `/v1/runs/${runId ?? ""}/results/${level}?area=${encodeURIComponent(area.id)}&format=${format}`;
  const downloads = runId === undefined ? "" : downloadBar(`area-${area.id}`, areaChart, [{ label: title, url }]);
  side.replaceChildren(heading, downloads, areaBox, table, close);
  areaChart.draw(fanChart([{ title, rows: own }], { lang: lang(), scale: "panel", columns: 1, panelWidth: 340, panelHeight: 220 }));
  heading.focus();
}
