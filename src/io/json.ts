import { recordAt, type Table } from "./table.js";

/**
 * A table as a JSON array of records, keys in column order, numbers at full precision, null
 * for an undefined value. One record per line: small diffs, and `jq`/pandas read it as is.
 */
export function toJson(table: Table): string {
  if (table.rowCount === 0) return "[]\n";
  const lines: string[] = [];
  for (let row = 0; row < table.rowCount; row++) lines.push("  " + JSON.stringify(recordAt(table, row)));
  return "[\n" + lines.join(",\n") + "\n]\n";
}
