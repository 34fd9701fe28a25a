import { resultFanChart } from "../../src/charts/resultCharts.js";
import { resultRows, resultUrl } from "./api.js";
import { downloadBar, PageChart } from "./charts.js";
import { h, select } from "./dom.js";
import { lang, t, term } from "./i18n.js";
import { runLabel, state, succeededRuns } from "./state.js";

const fanBox = h("div", { class: "chart", id: "fan-chart", role: "img" });
const fanChart = new PageChart(fanBox);

/** Fan charts of a run: the nation and every council (or one), shared or per-panel scale. */
export async function showFans(section: HTMLElement): Promise<void> {
  const run = succeededRuns().find((r) => r.id === state.runId);
  const controls = h(
    "div",
    { class: "controls" },
    select(
      "fan-run",
      t("control.run"),
      succeededRuns().map((r) => [r.id, runLabel(r)] as const),
      state.runId ?? "",
      (v) => {
        state.runId = v;
        void showFans(section);
      },
    ),
    select(
      "fan-council",
      t("fan.council"),
      [["", t("fan.all")], ...state.councils.map((c) => [c.id, c.name] as const)],
      state.fanCouncil,
      (v) => {
        state.fanCouncil = v;
        void showFans(section);
      },
    ),
    select(
      "fan-scale",
      t("control.scale"),
      [
        ["shared", t("control.scaleShared")],
        ["panel", t("control.scalePanel")],
      ],
      state.scale,
      (v) => {
        state.scale = v === "panel" ? "panel" : "shared";
        void showFans(section);
      },
    ),
  );
  const heading = h("h2", {}, `${t("nav.fans")}: `, term("council"));
  if (run === undefined) {
    section.replaceChildren(heading, controls, h("p", {}, t("map.noRun")));
    return;
  }
  const [national, councils] = await Promise.all([resultRows(run.id, "national"), resultRows(run.id, "council")]);
  const r = run.request;
  const spec = resultFanChart(national, councils, state.names, {
    lang: lang(),
    scale: state.scale,
    caption: t("fan.caption", { replications: r.replications, scenario: r.scenario.id, seed: r.seed }),
    ...(state.fanCouncil !== "" ? { councils: [state.fanCouncil], columns: 2 } : {}),
  });
  const downloads = downloadBar(`fan-${run.id.slice(0, 8)}`, fanChart, [
    { label: t("area.denmark"), url: (format) => resultUrl(run.id, "national", format) },
    { label: t("level.council"), url: (format) => resultUrl(run.id, "council", format) },
  ]);
  section.replaceChildren(heading, controls, downloads, fanBox);
  fanChart.draw(spec);
  fanBox.dataset["panels"] = String((spec.option["grid"] as unknown[]).length);
  fanBox.setAttribute(
    "aria-label",
    `${t("fan.title")}: ${t("fan.caption", { replications: r.replications, scenario: r.scenario.id, seed: r.seed })}`,
  );
}
