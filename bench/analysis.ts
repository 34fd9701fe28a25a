import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultGeography } from "../src/geo/geography.js";
import { PARAMETER_KEYS, defaultParameterFile } from "../src/model/parameters.js";
import { Xoshiro128 } from "../src/population/rng.js";
import { compareRuns } from "../src/results/compare.js";
import { decompose } from "../src/results/decomposition.js";
import { readRunSync, type StoredRun } from "../src/results/readRun.js";
import { REPLICATION_FILES, replicationOutcomesToIpc, replicationParametersToIpc } from "../src/results/replicationArrow.js";
import { REPLICATION_METRICS, indexOf, replicationAreas, type ReplicationData } from "../src/results/replicationData.js";
import { sensitivity } from "../src/results/sensitivity.js";

/**
 * Analysis of a 1,000-replication default run (17 councils + the nation, 2025–2027, the 8 drawn
 * parameters): reading its per-replication tables, sensitivity of every area-year, decomposition
 * of every area, and a comparison (target ≤ 2 s each). The run's tables are seeded synthetic
 * values of the real shape and size, built and written outside the timed code; give a result
 * directory (`fordeling project --replications 1000 --out DIR`) as the argument to time a real one.
 * Each step runs 5 times; the median is reported, with its ratio to the 2 s target.
 */
const TARGET_SECONDS = 2;
const REPEATS = 5;

function syntheticRun(replications: number): ReplicationData {
  const geography = defaultGeography();
  const areas = replicationAreas(geography);
  const years = [2025, 2026, 2027];
  const file = defaultParameterFile();
  const keys = PARAMETER_KEYS.filter((k) => file.parameters[k].distribution !== undefined);
  const rng = new Xoshiro128(2026);
  const parameters = keys.map((key) => ({ key, values: Float64Array.from({ length: replications }, () => rng.nextFloat()) }));
  const data: ReplicationData = { replications, years, areas, metrics: new Map(), parameters };
  const metrics = data.metrics as Map<string, Float32Array>;
  for (const spec of REPLICATION_METRICS) metrics.set(spec.column, new Float32Array(replications * years.length * areas.length));
  const at = (column: string): Float32Array => metrics.get(column)!;
  for (let r = 0; r < replications; r++) {
    for (let y = 0; y < years.length; y++) {
      areas.forEach((_, a) => {
        const i = indexOf(data, r, y, a);
        const scale = a === areas.length - 1 ? 17 : 1;
        at("residents")[i] = scale * 350_000 * (1 + 0.004 * y);
        at("need")[i] = scale * 220 * (1 + 0.01 * y + 0.01 * y * (parameters[0]?.values[r] ?? 0)) + rng.nextFloat();
        at("supply")[i] = scale * (225 - 3 * y * (parameters[5]?.values[r] ?? 0)) + Math.floor(3 * rng.nextFloat());
        at("gap")[i] = (at("supply")[i] ?? 0) - (at("need")[i] ?? 0);
        at("gp_entrant_capacities")[i] = y === 0 ? 0 : scale * 5 * rng.nextFloat();
        at("tendered_supply")[i] = scale * rng.nextFloat();
      });
    }
  }
  return data;
}

function median(run: () => unknown): number {
  const times: number[] = [];
  for (let k = 0; k < REPEATS; k++) {
    const started = performance.now();
    run();
    times.push((performance.now() - started) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)] ?? Number.NaN;
}

export function benchAnalysis(resultDir?: string): void {
  let dir = resultDir;
  let temp: string | undefined;
  if (dir === undefined) {
    temp = mkdtempSync(join(tmpdir(), "fordeling-bench-analysis-"));
    dir = temp;
    const data = syntheticRun(1000);
    writeFileSync(join(dir, REPLICATION_FILES.outcomes), replicationOutcomesToIpc(data));
    writeFileSync(join(dir, REPLICATION_FILES.parameters), replicationParametersToIpc(data.replications, data.parameters));
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({
        kind: "fordeling.projection",
        seed: 1,
        replications: 1000,
        baseYear: 2025,
        horizonYear: 2027,
        modelVersion: "bench",
        parametersId: "p",
        weightTableId: "w",
        scenario: { id: "synthetic", parameters: {} },
        dataVersions: {
          population: { file: "", rows: 6025511, sha256: "x" },
          register: { file: "", gps: 0, clinics: 0, sha256: "y" },
          geography: "",
        },
      }),
    );
  }
  try {
    const bytes = statSync(join(dir, REPLICATION_FILES.outcomes)).size;
    let run: StoredRun | undefined;
    const read = median(() => (run = readRunSync(dir)));
    if (run === undefined) throw new Error("no run read");
    const loaded = run;
    let rows = 0;
    const sens = median(() => (rows = sensitivity(loaded.data).rows.length));
    let areas = 0;
    const dec = median(() => (areas = decompose(loaded.data).rows.length));
    const cmp = median(() => compareRuns(loaded, loaded));
    const report = (what: string, seconds: number, extra = ""): void =>
      console.log(
        `${what.padEnd(28)} ${(seconds * 1000).toFixed(1).padStart(8)} ms   ` +
          `${(seconds / TARGET_SECONDS).toFixed(4)} of the 2 s target${extra}`,
      );
    console.log(
      `analysis of ${resultDir ?? "a synthetic 1,000-replication default run"}: ${loaded.data.replications} replications × ` +
        `${loaded.data.years.length} years × ${loaded.data.areas.length} areas, ${loaded.data.parameters.length} parameters; ` +
        `replications.arrow ${(bytes / 2 ** 20).toFixed(2)} MiB`,
    );
    report("read per-replication tables", read);
    report("sensitivity (all area-years)", sens, `  (${rows} rows)`);
    report("decomposition (all areas)", dec, `  (${areas} areas)`);
    report("compare (paired)", cmp);
    report("read + sensitivity", read + sens);
    report("read + decomposition", read + dec);
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchAnalysis(process.argv[2]);
}
