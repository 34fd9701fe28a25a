import type { StepColumns } from "./layout.js";

/**
 * Reclaiming the rows of residents who died or moved out. The step marks such rows gone
 * (age 255) and appends births and in-movers after the last row, so without reclaiming, the
 * rows of a replication grow by about the appended share every year (≈ 8 %) and a long horizon
 * outgrows any scratch sized up front. Compaction drops gone rows in place and keeps the order
 * of the rest: still a pure function of the replication's draws, so results stay identical for
 * any thread count, and the WASM and reference simulators (which both call it, on the same
 * condition) stay bit for bit equal.
 */
export const GONE_AGE = 255;

/** Drops gone rows of 0…rows−1 in place, keeping the order of the others; returns the live rows. */
export function compactRows(c: StepColumns, rows: number): number {
  const { age, code, muni, clinic } = c;
  let w = 0;
  for (let i = 0; i < rows; i++) {
    const a = age[i]!;
    if (a === GONE_AGE) continue;
    if (w !== i) {
      age[w] = a;
      code[w] = code[i]!;
      muni[w] = muni[i]!;
      clinic[w] = clinic[i]!;
    }
    w++;
  }
  return w;
}

/**
 * Whether to compact before stepping the next year: when the next year's appends might not fit
 * (a replication's rates do not change between years, so a year appends about what the last one
 * did, ≈ 5.6 % of the rows: we allow 25 % more, 0.5 % of the live rows and 1,024 rows, many
 * binomial standard deviations at any scale), or when gone rows make up more than a quarter of
 * the rows (they still cost the step a lane each). A 2-year horizon's slot is sized to need no
 * compaction at all.
 */
export function shouldCompact(rows: number, liveRows: number, appendedLastYear: number, capacity: number): boolean {
  const room = 1.25 * appendedLastYear + 0.005 * liveRows + 1024;
  return rows + room > capacity || rows - liveRows > 0.25 * rows;
}
