// Runs the benchmark suites one after another, each in its own process so that every peak-memory
// figure belongs to its own suite (a process's peak RSS never goes down). Within a suite, the
// ratios come from one run. `npm run bench -- kernel projection` runs only the named suites.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SUITES: Record<string, { file: string; what: string }> = {
  generate: { file: "generate.js", what: "synthetic population of 6.0 M residents: wall time, peak memory, weight calibration" },
  kernel: { file: "kernel.js", what: "weighing kernel vs TS reference vs memory floor, 1 vs 2 workers, end-to-end weigh" },
  projection: { file: "projection.js", what: "Monte Carlo step WASM vs TS, replications on all cores" },
  access: { file: "access.js", what: "two GPs within 15 km for the 6.0 M default population, over locations" },
  supply: { file: "supply.js", what: "GP model per replication-year; 1,000 replications to 2027 and 200 to 2040 end to end" },
  analysis: { file: "analysis.js", what: "sensitivity, decomposition and comparison of a 1,000-replication run (target ≤ 2 s each)" },
  api: { file: "api-load.js", what: "stored result over HTTP, idle and during a 6.0 M projection" },
  formats: { file: "formats.js", what: "table writers (CSV, JSON, Arrow, Parquet, xlsx) and compression on a result-sized table" },
  faults: { file: "faults.js", what: "POST burst above the queue limit, kill -9 mid-run, damaged records, full disk: what was lost" },
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  process.stderr.write(`unknown suite(s) ${unknown.join(", ")}; choose from ${Object.keys(SUITES).join(", ")}\n`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(SUITES);
let failed = 0;
for (const name of names) {
  const suite = SUITES[name]!;
  process.stdout.write(`\n== ${name}: ${suite.what}\n`);
  const file = fileURLToPath(new URL(suite.file, import.meta.url));
  const child = spawnSync(process.execPath, ["--expose-gc", file], { stdio: "inherit" });
  if (child.status !== 0) {
    failed++;
    process.stdout.write(`== ${name} failed (exit ${child.status ?? child.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
