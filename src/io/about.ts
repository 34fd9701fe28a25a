import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../paths.js";
import type { AboutEntry } from "./xlsx.js";

let cachedVersion: string | undefined;
/** The package version, for the "about" sheet and file names; read once. */
export function fordelingVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return cachedVersion;
}

/**
 * A manifest-like object as key/value rows for the xlsx "about" sheet: nested keys joined by
 * dots (`scenario.parameters.gp.retirementAge`), lists joined by commas, so every parameter a
 * run used stands on its own row where a reader of the workbook can see it.
 */
export function aboutEntries(value: unknown, prefix = ""): AboutEntry[] {
  if (value === null || value === undefined) return prefix === "" ? [] : [[prefix, ""]];
  if (typeof value === "number" || typeof value === "string") return [[prefix, value]];
  if (typeof value === "boolean") return [[prefix, value ? "true" : "false"]];
  if (Array.isArray(value)) {
    return value.every((v) => typeof v !== "object" || v === null)
      ? [[prefix, value.map(String).join(", ")]]
      : value.flatMap((v, i) => aboutEntries(v, `${prefix}[${i}]`));
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => aboutEntries(v, prefix === "" ? key : `${prefix}.${key}`));
}
