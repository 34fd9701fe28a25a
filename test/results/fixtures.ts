import { Xoshiro128 } from "../../src/population/rng.js";
import type { ProjectionManifest } from "../../src/projection/run.js";
import type { StoredRun } from "../../src/results/readRun.js";
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

/** A stored run around hand-made data, with a manifest whose fields the comparison reads. */
export function makeStoredRun(label: string, data: ReplicationData, over: Partial<ProjectionManifest> = {}): StoredRun {
  const manifest: ProjectionManifest = {
    formatVersion: 1,
    kind: "fordeling.projection",
    scenario: { id: label, parameters: {} },
    seed: 1,
    replications: data.replications,
    baseYear: data.years[0] ?? 2025,
    horizonYear: data.years[data.years.length - 1] ?? 2025,
    modelVersion: "fordeling-projection/1",
    parametersId: "parameters",
    weightTableId: "weights",
    dataVersions: {
      population: { file: "population.arrow", rows: 1000, sha256: "a".repeat(64) },
      register: { file: "register.csv", gps: 10, clinics: 5, sha256: "b".repeat(64) },
      geography: "data/kommuner.csv",
    },
    calibration: {
      retirement: {
        midAgeYears: 56,
        spreadYears: 0.5,
        ceiling: 0.1,
        exitsPerGp: 0.05,
        share65PlusIn2030: 0.22,
        meanRetirementAgeYears: 65.2,
      },
      populationScale: 1,
    },
    createdAt: "2026-01-01T00:00:00.000Z",
    run: { threads: 1, wallSeconds: 1 },
    ...over,
  };
  return { label, manifest, data };
}
