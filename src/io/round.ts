import type { Table, TableColumn } from "./table.js";
import { DEFAULT_DECIMALS } from "./terminal.js";

/**
 * The same table with every float rounded to the decimals its column declares (what the
 * terminal shows: need to 0.1 capacity, weights to 0.001, shares to 0.01). Files keep full
 * precision by default; this is the opt-in `--round` / `?round=true` for people who paste
 * figures into a report and do not want 2.8489659685863877 capacities.
 */
export function roundTable(table: Table): Table {
  const columns = table.columns.map((column): TableColumn => {
    if (column.type !== "float") return column;
    const factor = 10 ** (column.decimals ?? DEFAULT_DECIMALS);
    // Rounding half away from zero, as Excel's ROUND does; `+ 0` turns -0 into 0.
    const round = (v: number): number => (Math.sign(v) * Math.round(Math.abs(v) * factor)) / factor + 0;
    return { ...column, values: column.values.map((v) => (v === null ? null : round(v))) };
  });
  return { ...table, columns };
}
