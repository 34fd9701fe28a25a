import { FordelingError } from "../errors.js";
import { METRICS, type Metric } from "../projection/metrics.js";
import type { ReplicationResult } from "../projection/replication.js";

/**
 * Per-replication results as compact, deterministic bytes for the queue: the Float64 values
 * copied bit for bit (so a distributed run sums exactly what a local one sums), little-endian.
 *
 *   header   "FDR2", then uint32: replications, cells per metric, metrics
 *   each     uint32 replication, uint32 0 (alignment), the metrics in METRICS order
 *            (cells float64 each)
 */
const MAGIC = 0x32524446; // "FDR2" read little-endian
const HEADER_BYTES = 16;

export function encodeReplications(results: readonly ReplicationResult[]): Buffer {
  const first = results[0];
  const cells = first === undefined ? 0 : first.values[METRICS[0]].length;
  const perReplication = 8 + 8 * METRICS.length * cells;
  const bytes = Buffer.alloc(HEADER_BYTES + results.length * perReplication);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  [MAGIC, results.length, cells, METRICS.length].forEach((v, i) => view.setUint32(4 * i, v, true));
  let at = HEADER_BYTES;
  for (const r of results) {
    view.setUint32(at, r.replication, true);
    at += 8;
    for (const metric of METRICS) {
      const values = r.values[metric];
      if (values.length !== cells)
        throw new FordelingError("FD_ERR_INTERNAL", `replication ${r.replication}: ${metric} has ${values.length} cells, not ${cells}`);
      for (const v of values) {
        view.setFloat64(at, v, true);
        at += 8;
      }
    }
  }
  return bytes;
}

/** Decodes and checks the shape against what the run expects; FD_ERR_JOB_FAILED naming the job otherwise. */
export function decodeReplications(
  bytes: Buffer,
  expect: { jobId: string; from: number; count: number; cells: number },
): ReplicationResult[] {
  const bad = (what: string): never => {
    throw new FordelingError("FD_ERR_JOB_FAILED", `job ${expect.jobId} returned a malformed result: ${what}`);
  };
  if (bytes.byteLength < HEADER_BYTES) bad("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, count, cells, metrics] = [0, 1, 2, 3].map((i) => view.getUint32(4 * i, true)) as [number, number, number, number];
  if (magic !== MAGIC) bad("not an FDR2 block");
  if (count !== expect.count || cells !== expect.cells || metrics !== METRICS.length) {
    bad(`${count} replications × ${cells} cells × ${metrics} metrics, expected ${expect.count} × ${expect.cells} × ${METRICS.length}`);
  }
  const perReplication = 8 + 8 * metrics * cells;
  if (bytes.byteLength !== HEADER_BYTES + count * perReplication) bad(`${bytes.byteLength} bytes`);
  const results: ReplicationResult[] = [];
  let at = HEADER_BYTES;
  for (let k = 0; k < count; k++) {
    const replication = view.getUint32(at, true);
    if (replication !== expect.from + k) bad(`replication ${replication} where ${expect.from + k} was expected`);
    at += 8;
    const values = {} as Record<Metric, Float64Array>;
    for (const metric of METRICS) {
      const column = new Float64Array(cells);
      for (let c = 0; c < cells; c++) {
        column[c] = view.getFloat64(at, true);
        at += 8;
      }
      values[metric] = column;
    }
    results.push({ replication, values });
  }
  return results;
}
