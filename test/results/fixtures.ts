import { Xoshiro128 } from "../../src/population/rng.js";
import type { DrawnParameter, ReplicationArea, ReplicationData } from "../../src/results/replicationData.js";

/**
 * Hand-made per-replication data: `value(column, replication, yearIndex, areaIndex)` gives each
 * outcome, so a test knows every number the methods see.
 */
export function makeReplicationData(opts: {
  replications: number;
  years: number[];
  areas?: ReplicationArea[];
  columns: string[];
  value: (column: string, replication: number, year: number, area: number) => number;
  parameters?: { key: string; value: (replication: number) => number }[];
}): ReplicationData {
  const areas = opts.areas ?? [
    { level: "council", id: "north", name: "Sundhedsråd North" },
    { level: "national", id: "DK", name: "Denmark" },
  ];
  const metrics = new Map<string, Float32Array>();
  for (const column of opts.columns) {
    const values = new Float32Array(opts.replications * opts.years.length * areas.length);
    for (let r = 0; r < opts.replications; r++) {
      for (let y = 0; y < opts.years.length; y++) {
        for (let a = 0; a < areas.length; a++) values[(r * opts.years.length + y) * areas.length + a] = opts.value(column, r, y, a);
      }
    }
    metrics.set(column, values);
  }
  const parameters: DrawnParameter[] = (opts.parameters ?? []).map((p) => ({
    key: p.key,
    values: Float64Array.from({ length: opts.replications }, (_, r) => p.value(r)),
  }));
  return { replications: opts.replications, years: opts.years, areas, metrics, parameters };
}

/** Standard normals from the project's seeded PRNG (Box–Muller), one stream per seed. */
export function normals(seed: number, count: number): Float64Array {
  const rng = new Xoshiro128(seed);
  return Float64Array.from({ length: count }, () => {
    const u = Math.max(1e-12, rng.nextFloat());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  });
}
