import { api, type ReferenceCouncil, type ReferenceMunicipality, type RunRecord } from "./api.js";
import { showCompare } from "./compareView.js";
import { byId } from "./dom.js";
import { showFans } from "./fanView.js";
import { applyLabels, lang, setLanguage } from "./i18n.js";
import { showMap } from "./mapView.js";
import { showRuns } from "./runsView.js";
import { state, succeededRuns } from "./state.js";

type View = "map" | "fans" | "runs" | "compare";
let view: View = "map";

function showError(error: unknown): void {
  const box = byId("error");
  box.hidden = false;
  box.textContent = error instanceof Error ? `${(error as { code?: string }).code ?? "Error"}: ${error.message}` : String(error);
  console.error(error);
}

function openRun(run: RunRecord): void {
  state.runId = run.id;
  void show("map");
}

async function show(next: View): Promise<void> {
  view = next;
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-view]"))
    button.setAttribute("aria-pressed", String(button.dataset["view"] === next));
  for (const panel of document.querySelectorAll<HTMLElement>("[data-view-panel]")) panel.hidden = panel.dataset["viewPanel"] !== next;
  const section = byId(`view-${next}`);
  try {
    byId("error").hidden = true;
    if (next === "map") await showMap(section);
    else if (next === "fans") await showFans(section);
    else if (next === "runs") await showRuns(section, openRun);
    else await showCompare(section);
    section.dataset["ready"] = "true";
  } catch (error) {
    showError(error);
  }
}

async function start(): Promise<void> {
  applyLabels(document);
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-view]")) {
    button.addEventListener("click", () => void show((button.dataset["view"] ?? "map") as View));
  }
  byId("lang-switch").addEventListener("click", () => {
    setLanguage(lang() === "da" ? "en" : "da");
    void show(view);
  });
  const [councils, municipalities, runs] = await Promise.all([
    api<ReferenceCouncil[]>("/v1/reference/councils"),
    api<ReferenceMunicipality[]>("/v1/reference/municipalities"),
    api<RunRecord[]>("/v1/runs"),
  ]);
  state.councils = councils;
  state.municipalities = municipalities;
  state.names = {
    councils: new Map(councils.map((c) => [c.id, c.name])),
    municipalities: new Map(municipalities.map((m) => [String(m.code), m.name])),
  };
  state.runs = runs;
  state.runId = succeededRuns()[0]?.id;
  await show("map");
  document.body.dataset["ready"] = "true";
}

start().catch(showError);
