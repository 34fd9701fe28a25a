import type { Table, TableColumn } from "./table.js";

/**
 * A table for people at a terminal: columns aligned (text left, numbers right), thousands
 * separators, floats rounded to the column's `decimals`, and a dash for an undefined value.
 * Files never use this form; they keep full precision (see csv.ts, json.ts, arrow.ts).
 */

export const DEFAULT_DECIMALS = 2;
const MISSING = "–";
const GAP = "  ";

const formatters = new Map<number, Intl.NumberFormat>();
function numberFormat(decimals: number): Intl.NumberFormat {
  let format = formatters.get(decimals);
  if (format === undefined) {
    // en-US grouping (1,600.25) matches the figures in the law's own English summaries;
    // "negative" keeps a value that rounds to zero from printing as "-0.00".
    format = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: "negative",
    });
    formatters.set(decimals, format);
  }
  return format;
}

export function formatCell(column: TableColumn, row: number): string {
  const value = column.values[row] ?? null;
  if (value === null) return MISSING;
  // A line break inside a name would tear the row apart; files keep it, the terminal shows a space.
  if (column.type === "string") return (value as string).replace(/[\r\n\t]+/gu, " ");
  const decimals = column.type === "int" ? 0 : (column.decimals ?? DEFAULT_DECIMALS);
  return numberFormat(decimals).format(value as number);
}

/** Ends with a newline; an empty table still shows its header and says so. */
export function formatTable(table: Table, options: { title?: string } = {}): string {
  const cells = table.columns.map((column) => {
    const body: string[] = [];
    for (let row = 0; row < table.rowCount; row++) body.push(formatCell(column, row));
    return body;
  });
  const widths = table.columns.map((column, c) => Math.max(displayWidth(column.name), ...(cells[c] ?? []).map(displayWidth)));
  const align = (text: string, c: number): string => {
    const pad = " ".repeat(Math.max(0, (widths[c] ?? 0) - displayWidth(text)));
    return table.columns[c]?.type === "string" ? text + pad : pad + text;
  };
  const line = (texts: string[]): string => texts.map(align).join(GAP).trimEnd();

  const out: string[] = [];
  if (options.title !== undefined) out.push(options.title, "");
  out.push(line(table.columns.map((c) => c.name)));
  out.push(widths.map((w) => "-".repeat(w)).join(GAP));
  for (let row = 0; row < table.rowCount; row++) out.push(line(cells.map((column) => column[row] ?? "")));
  if (table.rowCount === 0) out.push("(no rows)");
  return out.join("\n") + "\n";
}

/**
 * Characters as a terminal shows them: Danish names are precomposed (one code point per
 * letter), but a name typed with combining marks must not push its row out of line.
 */
function displayWidth(text: string): number {
  return [...text.normalize("NFC")].filter((ch) => !/\p{M}/u.test(ch)).length;
}
