import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planShards, SHARD_COUNT, shardBounds, type BatchLayout } from "../../../src/kernel/weigh/shards.js";

function layout(batchRows: number[]): BatchLayout[] {
  let firstRow = 0;
  return batchRows.map((rows) => {
    const batch = { firstRow, rows, columns: [] };
    firstRow += rows;
    return batch;
  });
}

describe("shard plan", () => {
  it("gives an empty population empty shards", () => {
    expect(planShards([], 0)).toEqual(Array.from({ length: SHARD_COUNT }, () => []));
  });

  it("covers every row exactly once, in order, whatever the batch sizes (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 20 }), (batchRows) => {
        const batches = layout(batchRows);
        const total = batchRows.reduce((a, b) => a + b, 0);
        const rows: number[] = [];
        for (const shard of planShards(batches, total)) {
          for (const s of shard) {
            expect(s.rowBegin).toBeLessThan(s.rowEnd);
            rows.push((batches[s.batch]?.firstRow ?? 0) + s.rowBegin, s.rowEnd - s.rowBegin);
          }
        }
        let next = 0;
        for (let i = 0; i < rows.length; i += 2) {
          expect(rows[i]).toBe(next);
          next += rows[i + 1] ?? 0;
        }
        expect(next).toBe(total);
      }),
    );
  });

  it("cuts shards from the row count alone, none more than one row longer than another", () => {
    expect(shardBounds(16)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    const bounds = shardBounds(6_025_511);
    const sizes = bounds.slice(1).map((b, k) => b - (bounds[k] ?? 0));
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(bounds.at(-1)).toBe(6_025_511);
  });
});
