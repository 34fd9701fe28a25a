import { FordelingError } from "../errors.js";

/** How a parameter's `value` is read: one number, or a non-empty list of numbers. */
export type ParameterKind = "number" | "list";

interface Entry {
  value?: unknown;
  min?: unknown;
  max?: unknown;
  source?: unknown;
}

/** Throws FD_ERR_REFERENCE_DATA naming the file and, where known, the parameter. */
export type ParameterFailure = (message: string, field?: string) => never;

export function parameterFailure(file: string): ParameterFailure {
  return (message, field) => {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", message, field === undefined ? { file } : { file, field });
  };
}

/**
 * Reads a data file of the form `{ parameters: { key: { value, min?, max?, source } } }` (the
 * register's and the geography's parameter files under data/model/): exactly the listed keys,
 * each with a source (or "assumption") and every number finite and inside its range.
 */
export function readSourcedParameters<K extends string>(
  json: unknown,
  kinds: Readonly<Record<K, ParameterKind>>,
  fail: ParameterFailure,
): Map<K, number | number[]> {
  const entries = (json as { parameters?: unknown } | null)?.parameters;
  if (typeof entries !== "object" || entries === null) return fail("expected an object with a 'parameters' object");
  const table = entries as Record<string, Entry>;
  for (const key of Object.keys(table)) if (!(key in kinds)) fail(`unknown parameter (allowed: ${Object.keys(kinds).join(", ")})`, key);
  const values = new Map<K, number | number[]>();
  for (const [key, kind] of Object.entries(kinds) as [K, ParameterKind][]) {
    const entry = table[key];
    if (entry === undefined) return fail("parameter is missing", key);
    if (typeof entry.source !== "string" || entry.source === "") fail("every parameter needs a 'source' (or 'assumption')", key);
    const min = typeof entry.min === "number" ? entry.min : -Infinity;
    const max = typeof entry.max === "number" ? entry.max : Infinity;
    const list = kind === "list" ? entry.value : [entry.value];
    if (!Array.isArray(list) || list.length === 0)
      return fail(`value must be a ${kind === "list" ? "non-empty list of numbers" : "number"}`, key);
    for (const v of list) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
        fail(`value ${JSON.stringify(v)} is not a number from ${min} to ${max}`, key);
      }
    }
    values.set(key, kind === "list" ? (list as number[]) : (list[0] as number));
  }
  return values;
}
