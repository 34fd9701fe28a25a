import { tableFromIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { decodeReplications, encodeReplications } from "../../src/distributed/resultCodec.js";
import type { FordelingError } from "../../src/errors.js";
import { METRICS, type Metric } from "../../src/projection/metrics.js";
import type { ReplicationResult } from "../../src/projection/replication.js";

const CELLS = 6;
const replication = (r: number): ReplicationResult => ({
  replication: r,
  values: Object.fromEntries(
    METRICS.map((m, k) => [m, Float64Array.from({ length: CELLS }, (_, c) => (c === 0 ? Number.NaN : c === 1 ? -0 : r + k / 7 + c))]),
  ) as Record<Metric, Float64Array>,
});

describe("job results as Arrow IPC", () => {
  it("refuses bytes that are truncated, of another shape, or for other replications, naming the job", () => {
    const bytes = encodeReplications([replication(4), replication(5)]);
    const expect4 = { jobId: "run-4", from: 4, count: 2, cells: CELLS };
    const codeOf = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        return `${(error as FordelingError).code} ${(error as FordelingError).message}`;
      }
      return "accepted";
    };
    expect(codeOf(() => decodeReplications(bytes.subarray(0, bytes.length - 64), expect4))).toMatch(
      /^FD_ERR_JOB_FAILED job run-4 returned a malformed result/u,
    );
    expect(codeOf(() => decodeReplications(bytes, { ...expect4, cells: CELLS + 1 }))).toMatch(/expected 2 replications × 7 cells/u);
    expect(codeOf(() => decodeReplications(bytes, { ...expect4, from: 3 }))).toMatch(/replication 4 where 3 was expected/u);
    expect(codeOf(() => decodeReplications(Buffer.from("not a result at all"), expect4))).toMatch(
      /not an Arrow IPC stream|rows, expected/u,
    );
  });

  it("round-trips values bit for bit (NaN, -0, fractions) in a file any Arrow reader opens", () => {
    const results = [replication(4), replication(5)];
    const decoded = decodeReplications(encodeReplications(results), { jobId: "j", from: 4, count: 2, cells: CELLS });
    expect(decoded).toEqual(results);
    expect(Object.is(decoded[0]!.values.need[1], -0)).toBe(true);
    expect(Number.isNaN(decoded[1]!.values.gap[0])).toBe(true);
    const table = tableFromIPC(encodeReplications(results));
    expect(table.numRows).toBe(2 * CELLS);
    expect(table.getChild("replication")?.get(CELLS)).toBe(5);
  });
});
