/** A tiny element builder: tag, attributes (on* are listeners) and children. */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | EventListener | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`no element #${id}`);
  return element as T;
}

/** A labelled select; `options` are [value, text]. */
export function select(
  id: string,
  text: string,
  options: readonly (readonly [string, string])[],
  value: string,
  onChange: (v: string) => void,
): HTMLLabelElement {
  const control = h("select", { id, name: id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) });
  for (const [v, t] of options) control.append(h("option", { value: v, selected: v === value }, t));
  return h("label", { for: id }, text, control);
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
