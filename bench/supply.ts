import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { capacityPolicyFromParameters } from "../src/capacity/policy.js";
import { defaultGeography } from "../src/geo/geography.js";
import { defaultParameterFile } from "../src/model/parameters.js";
import { baselineScenario } from "../src/model/scenario.js";
import { ensureDefaultData } from "../src/population/defaults.js";
import { readRegisterCsv } from "../src/register/registerCsv.js";
import { drawParameters } from "../src/projection/draw.js";
import { flowTotal, makeGpWorld, stepGps } from "../src/projection/gps.js";
import { runProjection } from "../src/projection/run.js";
import { expectedAccessGrid } from "../src/projection/accessGrid.js";
import { resolveLevers } from "../src/projection/supply/levers.js";
import { placeFeatures } from "../src/projection/supply/places.js";

/**
 * The GP supply side and the long horizon, in one run:
 *  (a) one year of the GP model on the default register (≈ 3,350 GPs) on one core, against one
 *      year of the resident step it runs beside (taken from the same run's end-to-end timing);
 *  (b) the two targets end to end on the default population, all cores: `--replications 1000`
 *      to 2027 (target ≤ 60 s) and `--replications 200 --horizon 2040` (target ≤ 90 s), each
 *      on FD_BENCH_SUPPLY_REPLICATIONS_PERCENT % of the replications (default 100) and
 *      extrapolated linearly when less; wall time and the process's peak RSS (target 4 GiB).
 * Results are checked (GPs, residents) so the work cannot be optimised away.
 */
export async function benchSupply(): Promise<void> {
  const geography = defaultGeography();
  const data = await ensureDefaultData();
  const register = readRegisterCsv(data.registerFile, geography);
  const p = drawParameters(defaultParameterFile(), baselineScenario(), 1, 0);
  const rules = {
    seed: 1,
    replication: 0,
    retirement: { midAgeYears: 56, spreadYears: 0.5, ceiling: 0.1 }, // the default register's fit (docs/PROJECTION.md)
    populationScale: 1,
    geography,
    features: placeFeatures(geography),
    levers: resolveLevers(undefined, geography, p),
    p,
    access: expectedAccessGrid(geography, register),
  };
  const lists = Float64Array.from({ length: register.clinics.length + 1 }, () => 1700);
  const needMunicipality = Float64Array.from(geography.municipalities, (m) => m.population2026 / 1600);
  const policy = capacityPolicyFromParameters(p);
  let retired = 0;
  const bench = new Bench({ iterations: 20, warmupIterations: 3, time: 0, warmupTime: 0 });
  bench.add("GP model, 15 years on the default register", () => {
    const world = makeGpWorld(register, rules.access);
    for (let year = 1; year <= 15; year++) {
      const flows = stepGps(world, rules, {
        year,
        calendarYear: 2025 + year,
        rawResidents: lists,
        rawWeight: lists,
        needMunicipality,
        ceilingMunicipality: needMunicipality,
        growthMunicipality: new Float64Array(98),
        target: 1600,
        asOf: `${2025 + year}-01-01`,
        policy,
      });
      retired += flowTotal(flows.retirements);
    }
  });
  await bench.run();
  if (!(retired > 0)) throw new Error("GP model results look wrong");
  const gpYearMs = ((bench.tasks[0]?.result as { latency?: { mean?: number } } | undefined)?.latency?.mean ?? Number.NaN) / 15;
  console.log(`(a) GP model: ${gpYearMs.toFixed(1)} ms per replication-year on one core`);

  const percent = Number(process.env["FD_BENCH_SUPPLY_REPLICATIONS_PERCENT"] ?? 100);
  for (const target of [
    { replications: 1000, horizonYear: 2027, seconds: 60 },
    { replications: 200, horizonYear: 2040, seconds: 90 },
  ]) {
    const replications = Math.max(2, Math.round((target.replications * percent) / 100));
    const started = performance.now();
    let simulatingFrom = started;
    let simulatingTo = started;
    const result = await runProjection(
      { scenario: baselineScenario(), replications, seed: 1, horizonYear: target.horizonYear, ...data },
      {
        onProgress: (pr) => {
          if (pr.phase === "simulating" && pr.completedUnits === 0) simulatingFrom = performance.now();
          if (pr.phase === "summarising") simulatingTo = performance.now();
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const simulating = (simulatingTo - simulatingFrom) / 1000;
    const gps = result.tables.national.columns.find((c) => c.name === "gps_mean")?.values ?? [];
    if (!(Number(gps.at(-1)) > 1000)) throw new Error("projection results look wrong");
    const extrapolated = seconds - simulating + (simulating * target.replications) / replications;
    const years = target.horizonYear - 2025;
    const gpSeconds = (gpYearMs * years * target.replications) / 1000 / result.manifest.run.threads;
    console.log(
      `(b) ${replications} replications × ${years} years on ${result.manifest.run.threads} threads: ${seconds.toFixed(1)} s` +
        (replications < target.replications ? `, extrapolated to ${target.replications}: ${extrapolated.toFixed(0)} s` : "") +
        ` (target ${target.seconds} s); GP model ≈ ${gpSeconds.toFixed(1)} s of it; ` +
        `peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (target 4,096 MiB)`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchSupply();
