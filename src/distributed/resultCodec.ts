import { tableFromArrays, tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import { FordelingError } from "../errors.js";
import { METRICS, type Metric } from "../projection/metrics.js";
import type { ReplicationResult } from "../projection/replication.js";

/**
 * Per-replication results as an Arrow IPC stream for the queue: one row per replication × cell
 * (`replication`, `cell` as uint32), one float64 column per metric in METRICS order. Arrow keeps
 * the Float64 values bit for bit, so a distributed run sums exactly what a local one sums, and
 * any Arrow reader can inspect a job's result.
 */
const KEY_COLUMNS = ["replication", "cell"] as const;

export function encodeReplications(results: readonly ReplicationResult[]): Buffer {
  const cells = results[0]?.values[METRICS[0]].length ?? 0;
  const rows = results.length * cells;
  const replication = new Uint32Array(rows);
  const cell = new Uint32Array(rows);
  const columns = Object.fromEntries(METRICS.map((m) => [m, new Float64Array(rows)])) as Record<Metric, Float64Array>;
  results.forEach((r, k) => {
    for (const metric of METRICS) {
      const values = r.values[metric];
      if (values.length !== cells)
        throw new FordelingError("FD_ERR_INTERNAL", `replication ${r.replication}: ${metric} has ${values.length} cells, not ${cells}`);
      columns[metric].set(values, k * cells);
    }
    replication.fill(r.replication, k * cells, (k + 1) * cells);
    for (let c = 0; c < cells; c++) cell[k * cells + c] = c;
  });
  return Buffer.from(tableToIPC(tableFromArrays({ replication, cell, ...columns }), "stream"));
}

/** Decodes and checks the shape against what the run expects; FD_ERR_JOB_FAILED naming the job otherwise. */
export function decodeReplications(
  bytes: Buffer,
  expect: { jobId: string; from: number; count: number; cells: number },
): ReplicationResult[] {
  const bad = (what: string): never => {
    throw new FordelingError("FD_ERR_JOB_FAILED", `job ${expect.jobId} returned a malformed result: ${what}`);
  };
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    return bad(`not an Arrow IPC stream (${(error as Error).message})`);
  }
  const names = table.schema.fields.map((f) => f.name);
  const wanted = [...KEY_COLUMNS, ...METRICS];
  if (names.join() !== wanted.join()) bad(`columns ${names.join(", ")}, expected ${wanted.join(", ")}`);
  if (table.numRows !== expect.count * expect.cells) {
    bad(`${table.numRows} rows, expected ${expect.count} replications × ${expect.cells} cells`);
  }
  const column = (name: string): ArrayLike<number> => table.getChild(name)?.toArray() as ArrayLike<number>;
  const replicationIds = column("replication");
  const values = Object.fromEntries(METRICS.map((m) => [m, column(m)])) as Record<Metric, ArrayLike<number>>;
  const results: ReplicationResult[] = [];
  for (let k = 0; k < expect.count; k++) {
    const replication = replicationIds[k * expect.cells] ?? -1;
    if (replication !== expect.from + k) bad(`replication ${replication} where ${expect.from + k} was expected`);
    const start = k * expect.cells;
    const own = {} as Record<Metric, Float64Array>;
    for (const metric of METRICS) own[metric] = Float64Array.from({ length: expect.cells }, (_, c) => values[metric][start + c] ?? NaN);
    results.push({ replication, values: own });
  }
  return results;
}
