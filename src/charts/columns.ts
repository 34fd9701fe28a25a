/**
 * Result rows read defensively by column name: the snake_case name first, then its camelCase
 * form, so charts keep working while the tables' names move. A missing or non-numeric cell is
 * null, never a made-up zero.
 */
export type Row = Readonly<Record<string, unknown>>;

const camel = (name: string): string => name.replace(/_([a-z0-9])/gu, (_, c: string) => c.toUpperCase());

export function cell(row: Row, ...names: string[]): unknown {
  for (const name of names) {
    if (name in row) return row[name];
    const alt = camel(name);
    if (alt in row) return row[alt];
  }
  return undefined;
}

export function numberCell(row: Row, ...names: string[]): number | null {
  const value = cell(row, ...names);
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The first column of the rows whose name matches, e.g. a 15 km measure named by another issue. */
export function findColumn(rows: readonly Row[], pattern: RegExp): string | undefined {
  const first = rows[0];
  return first === undefined ? undefined : Object.keys(first).find((k) => pattern.test(k));
}

export const yearOf = (row: Row): number | null => numberCell(row, "year");
export const councilIdOf = (row: Row): string => String(cell(row, "council_id") ?? "");
export const municipalityCodeOf = (row: Row): string => String(cell(row, "municipality_code", "kommunekode") ?? "");
