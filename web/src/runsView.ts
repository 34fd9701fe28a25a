import type { LabelKey } from "../../src/charts/dictionary.js";
import { api, ApiError, postJson, type RunRecord } from "./api.js";
import { h } from "./dom.js";
import { lang, t } from "./i18n.js";
import { state } from "./state.js";

interface ParameterInfo {
  type: "number" | "integer" | "date" | "file" | string;
  value: unknown;
  min?: number | string;
  max?: number | string;
  unit?: string;
  source?: string;
}
interface JsonSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
}
interface FormModel {
  parameters: Record<string, ParameterInfo>;
  scenario: JsonSchema;
  run: Record<string, JsonSchema>;
}

let model: Promise<FormModel> | undefined;
/** The form is built from the API's own descriptions: parameters, scenario schema, run request schema. */
function formModel(): Promise<FormModel> {
  model ??= Promise.all([
    api<{ parameters: Record<string, ParameterInfo> }>("/v1/model/parameters"),
    api<JsonSchema>("/v1/model/scenario-schema"),
    api<{ paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } }> }>("/openapi.json"),
  ]).then(([parameters, scenario, openapi]) => ({
    parameters: parameters.parameters,
    scenario,
    run: openapi.paths["/v1/runs"]?.post?.requestBody?.content?.["application/json"]?.schema?.properties ?? {},
  }));
  return model;
}

const rangeText = (min: unknown, max: unknown, unit?: string): string =>
  min === undefined && max === undefined
    ? ""
    : `${t("form.range")} ${String(min ?? "…")}–${String(max ?? "…")}${unit !== undefined ? ` ${unit}` : ""}`;

/** A labelled input with its range, unit and source beside it, and a slot for the API's message. */
function field(id: string, apiField: string, text: string, input: HTMLInputElement | HTMLSelectElement, hint: string): HTMLElement {
  input.id = id;
  input.name = id;
  input.dataset["field"] = apiField;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  input.setAttribute("aria-describedby", `${hintId} ${errorId}`);
  return h(
    "label",
    { for: id },
    text,
    input,
    h("span", { class: "hint", id: hintId }, hint),
    h("span", { class: "field-error", id: errorId }),
  );
}

function numberInput(schema: JsonSchema | undefined, value: unknown, integer: boolean): HTMLInputElement {
  return h("input", {
    type: "number",
    inputmode: integer ? "numeric" : "decimal",
    step: integer ? 1 : "any",
    min: schema?.minimum,
    max: schema?.maximum,
    value: value === undefined ? undefined : String(value),
  });
}

export async function showRuns(section: HTMLElement, onFinished: (run: RunRecord) => void): Promise<void> {
  state.runs = await api<RunRecord[]>("/v1/runs");
  const form = await runForm(section, onFinished);
  section.replaceChildren(h("h2", {}, t("runs.title")), runsTable(section, onFinished), form);
}

function runsTable(section: HTMLElement, onFinished: (run: RunRecord) => void): HTMLElement {
  const refresh = h("button", { type: "button", id: "runs-refresh", onclick: () => void showRuns(section, onFinished) }, t("runs.refresh"));
  if (state.runs.length === 0) return h("div", {}, h("p", {}, t("runs.empty")), refresh);
  const dateFormat = new Intl.DateTimeFormat(lang() === "da" ? "da-DK" : "en-GB", { dateStyle: "short", timeStyle: "short" });
  const table = h(
    "table",
    { id: "runs-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...(
          ["runs.id", "runs.scenario", "form.replications", "form.horizon", "runs.status", "runs.created", "runs.open"] as LabelKey[]
        ).map((k) => h("th", { scope: "col" }, t(k))),
      ),
    ),
    h(
      "tbody",
      {},
      ...state.runs.map((run) =>
        h(
          "tr",
          { "data-run": run.id },
          h("td", {}, h("code", {}, run.id.slice(0, 12))),
          h("td", {}, run.request.scenario.id),
          h("td", {}, String(run.request.replications)),
          h("td", {}, String(run.request.horizonYear)),
          h("td", { class: `status-${run.status}` }, t(`status.${run.status}` as LabelKey)),
          h("td", {}, dateFormat.format(new Date(run.createdAt))),
          h("td", {}, run.status === "succeeded" ? h("button", { type: "button", onclick: () => onFinished(run) }, t("runs.open")) : ""),
        ),
      ),
    ),
  );
  return h("div", {}, table, refresh);
}

async function runForm(section: HTMLElement, onFinished: (run: RunRecord) => void): Promise<HTMLElement> {
  const m = await formModel();
  const run = m.run;
  // OpenAPI 3.0 writes a JSON-schema `const` as a one-value `enum`.
  const kindOf = (o: JsonSchema): unknown => {
    const kind = o.properties?.["kind"] as { const?: string; enum?: string[] } | undefined;
    return kind?.const ?? kind?.enum?.[0];
  };
  const generated = run["population"]?.oneOf?.find((o) => kindOf(o) === "generated");
  const scaleSchema = generated?.properties?.["scale"];
  const inputs = {
    scenarioId: h("input", { type: "text", value: "dashboard", pattern: m.scenario.properties?.["id"]?.pattern }),
    replications: numberInput(run["replications"], run["replications"]?.default ?? 200, true),
    seed: numberInput(run["seed"], run["seed"]?.default ?? 1, true),
    horizonYear: numberInput(run["horizonYear"], run["horizonYear"]?.default ?? 2027, true),
    population: h(
      "select",
      {},
      h("option", { value: "default" }, t("form.populationDefault")),
      h("option", { value: "generated" }, t("form.populationGenerated")),
    ),
    scale: numberInput(scaleSchema, 0.01, false),
    populationSeed: numberInput(generated?.properties?.["seed"], 1, true),
  };
  const runFields = h(
    "fieldset",
    {},
    h("legend", {}, t("form.runSettings")),
    h(
      "div",
      { class: "params" },
      field("run-scenario", "body.scenario.id", t("form.scenarioId"), inputs.scenarioId, m.scenario.properties?.["id"]?.description ?? ""),
      field(
        "run-replications",
        "body.replications",
        t("form.replications"),
        inputs.replications,
        rangeText(run["replications"]?.minimum, run["replications"]?.maximum),
      ),
      field("run-seed", "body.seed", t("form.seed"), inputs.seed, rangeText(run["seed"]?.minimum, run["seed"]?.maximum)),
      field(
        "run-horizon",
        "body.horizonYear",
        t("form.horizon"),
        inputs.horizonYear,
        rangeText(run["horizonYear"]?.minimum, run["horizonYear"]?.maximum),
      ),
      field("run-population", "body.population", t("form.population"), inputs.population, run["population"]?.description ?? ""),
      field(
        "run-scale",
        "body.population.scale",
        t("form.scale"),
        inputs.scale,
        `${rangeText(scaleSchema?.minimum, scaleSchema?.maximum)} · ${scaleSchema?.description ?? ""}`,
      ),
      field(
        "run-population-seed",
        "body.population.seed",
        t("form.populationSeed"),
        inputs.populationSeed,
        rangeText(generated?.properties?.["seed"]?.minimum, generated?.properties?.["seed"]?.maximum),
      ),
    ),
  );
  const parameterInputs = new Map<string, HTMLInputElement>();
  const parameterFields = Object.entries(m.parameters).map(([name, info]) => {
    const schema = m.scenario.properties?.["parameters"]?.properties?.[name];
    const numeric = info.type === "number" || info.type === "integer";
    const input = numeric
      ? numberInput(schema, undefined, info.type === "integer")
      : h("input", { type: "text", pattern: schema?.pattern });
    input.placeholder = String(info.value ?? "");
    parameterInputs.set(name, input);
    const hint = [
      `${t("form.baseline")} ${String(info.value === "" ? "–" : info.value)}`,
      rangeText(info.min, info.max, info.unit),
      `${t("form.source")}: ${info.source ?? ""}`,
    ]
      .filter((s) => s !== "")
      .join(" · ");
    return field(`param-${name.replace(/[^A-Za-z0-9]/gu, "-")}`, `body.scenario.parameters.${name}`, name, input, hint);
  });
  const parameters = h("details", {}, h("summary", {}, t("form.parameters")), h("div", { class: "params" }, ...parameterFields));
  const message = h("p", { class: "field-error", id: "run-form-error", role: "alert" });
  const progress = h("div", { class: "progress", id: "run-progress", hidden: true });
  const form = h(
    "form",
    { id: "run-form", novalidate: true },
    h("h2", {}, t("form.title")),
    runFields,
    parameters,
    message,
    h("button", { type: "submit", class: "primary", id: "run-submit" }, t("form.submit")),
    progress,
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const element of form.querySelectorAll<HTMLElement>(".field-error")) element.textContent = "";
    for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    const overrides: Record<string, string | number> = {};
    for (const [name, input] of parameterInputs) {
      if (input.value.trim() === "") continue;
      overrides[name] = input.type === "number" ? Number(input.value) : input.value;
    }
    const number = (input: HTMLInputElement): number | string => (input.value.trim() === "" ? input.value : Number(input.value));
    const body: Record<string, unknown> = {
      replications: number(inputs.replications),
      seed: number(inputs.seed),
      horizonYear: number(inputs.horizonYear),
      population:
        inputs.population.value === "generated"
          ? { kind: "generated", scale: number(inputs.scale), seed: number(inputs.populationSeed) }
          : { kind: "default" },
    };
    if (Object.keys(overrides).length > 0 || inputs.scenarioId.value !== "dashboard") {
      body["scenario"] = { id: inputs.scenarioId.value, parameters: overrides };
    }
    void postJson<RunRecord & { outcome?: string }>("/v1/runs", body)
      .then((record) => {
        message.textContent = "";
        return follow(record, progress, section, onFinished);
      })
      .catch((error: unknown) => showFormError(form, message, error));
  });
  return form;
}

function showFormError(form: HTMLElement, message: HTMLElement, error: unknown): void {
  if (!(error instanceof ApiError)) {
    message.textContent = String(error);
    return;
  }
  message.textContent = `${error.code}: ${error.message}`;
  const inputs = [...form.querySelectorAll<HTMLInputElement>("[data-field]")];
  const target = inputs
    .filter((i) => error.field?.startsWith(i.dataset["field"] ?? "\u0000"))
    .sort((a, b) => (b.dataset["field"] ?? "").length - (a.dataset["field"] ?? "").length)[0];
  if (target === undefined) return;
  target.setAttribute("aria-invalid", "true");
  const slot = document.getElementById(`${target.id}-error`);
  if (slot !== null) slot.textContent = error.message;
  target.closest("details")?.setAttribute("open", "");
  target.focus();
}

/** Polls the run and shows its progress and ETA until it ends. */
async function follow(record: RunRecord, box: HTMLElement, section: HTMLElement, onFinished: (run: RunRecord) => void): Promise<void> {
  box.hidden = false;
  const bar = h("progress", { max: 1, value: 0, id: "run-progress-bar", "aria-label": t("progress.label") });
  const text = h("span", { id: "run-progress-text", "aria-live": "polite" });
  box.replaceChildren(
    h("p", {}, t(record.status === "succeeded" ? "form.stored" : "form.started", { id: record.id.slice(0, 12) })),
    bar,
    " ",
    text,
  );
  let current = record;
  while (current.status === "queued" || current.status === "running") {
    const p = current.progress;
    bar.value = p?.fraction ?? 0;
    const eta = p?.etaSeconds === undefined ? "" : ` · ${t("progress.eta", { seconds: Math.ceil(p.etaSeconds) })}`;
    const share = p === undefined ? "" : ` · ${p.phase} · ${Math.round(p.fraction * 100)} %`;
    text.textContent = `${t(`status.${current.status}` as LabelKey)}${share}${eta}`;
    await new Promise((resolve) => setTimeout(resolve, 250));
    current = await api<RunRecord>(`/v1/runs/${record.id}`);
  }
  bar.value = current.status === "succeeded" ? 1 : bar.value;
  text.textContent =
    current.status === "succeeded" ? t("progress.done") : `${t("progress.failed")}: ${current.error?.message ?? current.status}`;
  box.dataset["status"] = current.status;
  state.runs = await api<RunRecord[]>("/v1/runs");
  if (current.status === "succeeded") onFinished(current);
  else void showRuns(section, onFinished);
}
