/**
 * Fixed shard boundaries. The population is cut into SHARD_COUNT row ranges that depend only on
 * the file (never on the thread count); each shard sums into its own block and the host adds
 * the blocks in shard order, so every bit of the result is the same for 1, 2 or 4 threads.
 * Eight shards keep two workers evenly loaded; more would cost a sums block each (10.5 MB of
 * address space, of which a pass touches a few hundred kilobytes).
 */
export const SHARD_COUNT = 8;

/** Where one record batch's rows and columns sit. */
export interface BatchLayout {
  /** Global index of the batch's first row. */
  firstRow: number;
  rows: number;
  /** Byte address of each column's values in RESIDENT_COLUMNS order. */
  columns: number[];
}

/** A shard's slice of one batch: batch rows [rowBegin, rowEnd). */
export interface Segment {
  batch: number;
  rowBegin: number;
  rowEnd: number;
}

/** Row ranges [bounds[k], bounds[k+1]) for each shard. */
export function shardBounds(totalRows: number, shards = SHARD_COUNT): number[] {
  return Array.from({ length: shards + 1 }, (_, k) => Math.floor((k * totalRows) / shards));
}

/** The batch slices of each shard, in row order. */
export function planShards(batches: readonly BatchLayout[], totalRows: number, shards = SHARD_COUNT): Segment[][] {
  const bounds = shardBounds(totalRows, shards);
  return Array.from({ length: shards }, (_, k) => {
    const begin = bounds[k] ?? 0;
    const end = bounds[k + 1] ?? 0;
    const segments: Segment[] = [];
    batches.forEach((b, index) => {
      const from = Math.max(begin, b.firstRow);
      const to = Math.min(end, b.firstRow + b.rows);
      if (from < to) segments.push({ batch: index, rowBegin: from - b.firstRow, rowEnd: to - b.firstRow });
    });
    return segments;
  });
}
