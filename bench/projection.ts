import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { defaultGeography } from "../src/geo/geography.js";
import { defaultParameterFile } from "../src/model/parameters.js";
import { baselineScenario } from "../src/model/scenario.js";
import { defaultWeightTable } from "../src/model/weightTable.js";
import { ensureDefaultData } from "../src/population/defaults.js";
import { readPopulationColumns } from "../src/population/read.js";
import { readRegisterCsv } from "../src/register/registerCsv.js";
import { fillProjectionMemory, makeProjectionMemory, planProjectionMemory } from "../src/kernel/step/slots.js";
import { packBasePopulation } from "../src/projection/basePopulation.js";
import { drawParameters } from "../src/projection/draw.js";
import { calibrateResidentRates } from "../src/projection/rates.js";
import { runProjection } from "../src/projection/run.js";
import { girlThreshold16, residentKey } from "../src/projection/simulators.js";
import { instantiateStepKernel } from "../src/kernel/step/kernel.js";
import { allocateStepColumns, copyGroups, sumsLength } from "../src/kernel/step/layout.js";
import { makeStepTableViews, stepYearReference } from "../src/kernel/step/reference.js";
import { encodeStepTables } from "../src/projection/tables.js";

/**
 * The projection benchmark, in one run:
 *  (a) resident-years per second on one core: the WASM step vs the plain-TS reference, on the
 *      full default population (the reference on its first 1 M rows: it is the slow one);
 *  (b) the target run, 1,000 replications × 2 years on 6.0 M residents on all cores: measured
 *      on FD_BENCH_REPLICATIONS replications (default 40) and extrapolated linearly, since
 *      replications are independent and equal in cost; wall time and peak RSS.
 * Results are checked (resident totals) so the work cannot be optimised away.
 */
export async function benchProjection(): Promise<void> {
  const geography = defaultGeography();
  const weightTable = defaultWeightTable();
  const data = await ensureDefaultData();
  const register = readRegisterCsv(data.registerFile, geography);
  const residents = readPopulationColumns(data.populationFile, geography);
  const rows = residents.municipalityCode.length;
  const base = packBasePopulation(residents, rows, geography, register, weightTable);
  const p = drawParameters(defaultParameterFile(), baselineScenario(), 1, 0);
  const rates = calibrateResidentRates(base.profile, geography, p);

  // (a) one core, one year, copy-on-step from the base rows.
  const layout = planProjectionMemory(rows, 1, 1, base.clinicSlots);
  const memory = makeProjectionMemory(layout);
  fillProjectionMemory(memory, layout, base.columns);
  const slot = layout.slots[0]!;
  encodeStepTables(rates, weightTable, makeStepTableViews(memory.buffer, slot.tables));
  const kernel = instantiateStepKernel(memory);
  const girls = girlThreshold16(p.num("births.girlShare"));
  const sums = new Float64Array(memory.buffer, slot.sums, sumsLength(base.clinicSlots));
  let wasmRows = 0;
  const refRows = Math.min(rows, 1_000_000);
  const refTables = makeStepTableViews(new ArrayBuffer(slot.sums - slot.tables));
  encodeStepTables(rates, weightTable, refTables);
  const refScratch = allocateStepColumns(Math.ceil(refRows * 1.2) + 1024);
  copyGroups(base.columns, refScratch, refRows);
  const key = residentKey(1, 0, 1);
  const refSums = new Float64Array(sumsLength(base.clinicSlots));
  let refOut = 0;
  const bench = new Bench({ iterations: 5, warmupIterations: 2, time: 0, warmupTime: 0 });
  bench
    .add("WASM step, 1 core, 6.0 M residents × 1 year", () => {
      sums.fill(0);
      wasmRows = kernel.step(layout.base, rows, slot.columns, slot.tables, slot.sums, base.clinicSlots, key, girls);
    })
    .add("TS reference step, 1 core, 1 M residents × 1 year", () => {
      refSums.fill(0);
      refOut = stepYearReference(
        base.columns,
        refRows,
        refScratch,
        refScratch.age.length,
        refTables,
        refSums,
        base.clinicSlots,
        key,
        girls,
      );
    });
  await bench.run();
  const residentsAfter = sums.subarray(0, 98).reduce((a, b) => a + b, 0);
  if (wasmRows < rows || Math.abs(residentsAfter - rows) > rows * 0.05 || refOut < refRows) throw new Error("step results look wrong");
  const mean = (i: number): number => (bench.tasks[i]?.result as { latency?: { mean?: number } } | undefined)?.latency?.mean ?? Number.NaN;
  const wasmRate = rows / (mean(0) / 1000);
  const refRate = refRows / (mean(1) / 1000);
  console.log(
    `(a) resident-years per second per core: WASM ${(wasmRate / 1e6).toFixed(1)} M (${(1e9 / wasmRate).toFixed(1)} ns each), TS reference ${(refRate / 1e6).toFixed(1)} M; WASM/TS = ${(wasmRate / refRate).toFixed(1)}×`,
  );

  // (b) the target run, scaled down.
  const replications = Number(process.env["FD_BENCH_REPLICATIONS"] ?? 40);
  const started = performance.now();
  let simulatingFrom = started;
  let simulatingTo = started;
  // CPU time of the process (all threads) while simulating: the work itself, whatever else the
  // machine runs (wall time on a shared 2-core machine also counts other processes' turns).
  let cpuFrom = process.cpuUsage();
  let cpuSimulating = cpuFrom;
  const result = await runProjection(
    { scenario: baselineScenario(), replications, seed: 1, horizonYear: 2027, ...data },
    {
      onProgress: (pr) => {
        if (pr.phase === "simulating" && pr.completedUnits === 0) {
          simulatingFrom = performance.now();
          cpuFrom = process.cpuUsage();
        }
        if (pr.phase === "summarising") {
          simulatingTo = performance.now();
          cpuSimulating = process.cpuUsage(cpuFrom);
        }
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const fixedSeconds = seconds - (simulatingTo - simulatingFrom) / 1000;
  const national = result.tables.national.columns.find((c) => c.name === "residents_mean")?.values ?? [];
  if (!(Number(national[2]) > rows * 0.95)) throw new Error("projection results look wrong");
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const perReplication = (simulatingTo - simulatingFrom) / 1000 / replications;
  console.log(
    `(b) ${replications} replications × 2 years × ${(rows / 1e6).toFixed(2)} M residents on ${result.manifest.run.threads} threads: ${seconds.toFixed(1)} s ` +
      `(${fixedSeconds.toFixed(1)} s loading + summarising, ${perReplication.toFixed(3)} s per replication); ` +
      `extrapolated to 1,000 replications: ${(fixedSeconds + perReplication * 1000).toFixed(0)} s ` +
      `(target 60 s, stretch 30 s); peak RSS ${peakRssMiB.toFixed(0)} MiB (target 4,096 MiB)`,
  );
  const cpuPerReplication = (cpuSimulating.user + cpuSimulating.system) / 1e6 / replications;
  console.log(`    resident-years per second while simulating (all threads): ${((2 * rows) / perReplication / 1e6).toFixed(1)} M`);
  const coresBusy = (cpuSimulating.user + cpuSimulating.system) / 1000 / (simulatingTo - simulatingFrom);
  console.log(
    `    CPU time while simulating: ${cpuPerReplication.toFixed(3)} s per replication (${((cpuPerReplication * 1e9) / (2 * rows)).toFixed(1)} ns per resident-year, all included), ` +
      `${coresBusy.toFixed(2)} of ${result.manifest.run.threads} cores busy on average (less: other processes had the rest)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchProjection();
