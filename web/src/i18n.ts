import { isLabelKey, label, type LabelKey, type Language } from "../../src/charts/dictionary.js";

/** The page's language: every label comes from the one dictionary of src/charts/dictionary.ts. */
let current: Language = readStoredLanguage();

function readStoredLanguage(): Language {
  try {
    const stored = localStorage.getItem("fordeling.lang");
    if (stored === "da" || stored === "en") return stored;
  } catch {
    // Storage may be off (private windows); English then.
  }
  return navigator.language.toLowerCase().startsWith("da") ? "da" : "en";
}

export const lang = (): Language => current;
export const t = (key: LabelKey, values?: Record<string, string | number>): string => label(current, key, values);

export function setLanguage(next: Language): void {
  current = next;
  try {
    localStorage.setItem("fordeling.lang", next);
  } catch {
    // Not kept across visits then.
  }
  applyLabels(document);
}

/** Fills every [data-i18n] element's text and the page language. */
export function applyLabels(root: ParentNode): void {
  document.documentElement.lang = current;
  for (const element of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const key = element.dataset["i18n"] ?? "";
    if (isLabelKey(key)) element.textContent = t(key);
  }
  const switcher = document.getElementById("lang-switch");
  if (switcher !== null) {
    switcher.textContent = t("app.switchTo");
    switcher.setAttribute("lang", current === "da" ? "en" : "da");
    switcher.setAttribute("aria-label", `${t("app.language")}: ${t("app.switchTo")}`);
  }
}

/** A Danish domain term with its explanation on hover and keyboard focus. */
export function term(kind: "council" | "municipality"): HTMLElement {
  const element = document.createElement("dfn");
  element.textContent = t(kind === "council" ? "term.council" : "term.municipality");
  element.title = t(kind === "council" ? "explain.council" : "explain.municipality");
  element.tabIndex = 0;
  return element;
}
