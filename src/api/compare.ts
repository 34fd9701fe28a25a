import { FordelingError } from "../errors.js";
import { makeTable, type Table, type TableColumn } from "../io/table.js";

/**
 * Two result tables side by side, joined on their key columns (area, year): for every numeric
 * column both have, the value in run a, in run b and the difference b − a. Percentile columns
 * come along like any other, so each side's uncertainty band stays next to the difference.
 * A row present in only one run gets nulls on the other side, never a made-up zero. Label
 * columns (names) appear once.
 */
export function compareTables(a: Table, b: Table, keyColumns: readonly string[]): Table {
  const keysOf = (table: Table): TableColumn[] =>
    keyColumns.map((name) => {
      const column = table.columns.find((c) => c.name === name);
      if (column === undefined) throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `the stored result lacks key column '${name}'`, { column: name });
      return column;
    });
  const keysA = keysOf(a);
  const keysB = keysOf(b);
  const keyAt = (columns: TableColumn[], row: number): string => columns.map((c) => String(c.values[row])).join("\u0000");
  const rowOfB = new Map<string, number>();
  for (let row = 0; row < b.rowCount; row++) rowOfB.set(keyAt(keysB, row), row);

  // Rows of a in order, then rows only b has.
  const pairs: [number | undefined, number | undefined][] = [];
  const seen = new Set<string>();
  for (let row = 0; row < a.rowCount; row++) {
    const key = keyAt(keysA, row);
    seen.add(key);
    pairs.push([row, rowOfB.get(key)]);
  }
  for (let row = 0; row < b.rowCount; row++) if (!seen.has(keyAt(keysB, row))) pairs.push([undefined, row]);

  const columns: TableColumn[] = keysA.map((column, k) => {
    const other = keysB[k];
    const values = pairs.map(([ra, rb]) => (ra !== undefined ? column.values[ra] : rb !== undefined ? other?.values[rb] : null) ?? null);
    return { ...column, values } as TableColumn;
  });
  // Labels (names, the council of a municipality) are the same in both runs: shown once.
  for (const columnA of a.columns) {
    if (keyColumns.includes(columnA.name) || columnA.type !== "string") continue;
    const columnB = b.columns.find((c) => c.name === columnA.name);
    const values = pairs.map(([ra, rb]) => (ra !== undefined ? columnA.values[ra] : rb !== undefined ? columnB?.values[rb] : null) ?? null);
    columns.push({ ...columnA, nullable: true, values } as TableColumn);
  }
  for (const columnA of a.columns) {
    if (keyColumns.includes(columnA.name) || columnA.type === "string") continue;
    const columnB = b.columns.find((c) => c.name === columnA.name && c.type !== "string");
    if (columnB === undefined) continue;
    const va = pairs.map(([ra]) => (ra === undefined ? null : ((columnA.values[ra] as number | null) ?? null)));
    const vb = pairs.map(([, rb]) => (rb === undefined ? null : ((columnB.values[rb] as number | null) ?? null)));
    const diff = va.map((x, i) => {
      const y = vb[i];
      return x === null || y === null || y === undefined ? null : y - x;
    });
    const type = columnA.type === "int" && columnB.type === "int" ? "int" : "float";
    columns.push({ name: `${columnA.name}_a`, type, nullable: true, values: va });
    columns.push({ name: `${columnA.name}_b`, type, nullable: true, values: vb });
    columns.push({ name: `${columnA.name}_diff`, type, nullable: true, values: diff });
  }
  return makeTable(`${a.name}-comparison`, columns);
}
