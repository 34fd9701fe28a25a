import type { CeilingPopulation } from "../capacity/report.js";
import type { Geography } from "../geo/geography.js";
import type { Table } from "../io/table.js";
import { baselineScenario } from "../model/scenario.js";
import { BASE_YEAR } from "./replication.js";
import { runProjection } from "./run.js";

/**
 * The population a later ceiling counts, from the engine's own projection of the weighed
 * population (src/capacity/ceilings.ts: the ordinance fixes the end-2026 ceiling from a
 * projected population). The mean over replications of the baseline scenario, per
 * municipality: residents and Σ weight before the correction, which the report then corrects.
 */
export interface CeilingProjectionRequest {
  populationFile: string;
  registerFile: string;
  /** The ceiling's population year (> BASE_YEAR). */
  populationYear: number;
  /** The weight table file, when not the default. */
  weightTableFile?: string;
  replications: number;
  seed: number;
  threads?: number;
}

export async function projectCeilingPopulation(req: CeilingProjectionRequest, geography: Geography): Promise<CeilingPopulation> {
  const base = baselineScenario();
  const scenario =
    req.weightTableFile === undefined
      ? base
      : { ...base, parameters: { ...base.parameters, "model.weightTableFile": req.weightTableFile } };
  const result = await runProjection({
    scenario,
    replications: req.replications,
    seed: req.seed,
    horizonYear: req.populationYear,
    populationFile: req.populationFile,
    registerFile: req.registerFile,
    ...(req.threads === undefined ? {} : { threads: req.threads }),
  });
  const residents = new Float64Array(geography.municipalities.length);
  const weightSum = new Float64Array(geography.municipalities.length);
  const residentsYearBefore = new Float64Array(geography.municipalities.length);
  const table = result.tables.municipality;
  const column = (name: string): Table["columns"][number] => {
    const found = table.columns.find((c) => c.name === name);
    if (found === undefined) throw new Error(`projection table lacks ${name}`);
    return found;
  };
  const year = column("year");
  const code = column("municipality_code");
  const people = column("residents_mean");
  const weight = column("weighted_residents_mean");
  for (let row = 0; row < table.rowCount; row++) {
    const index = geography.municipalityIndexByCode[Number(code.values[row])] ?? -1;
    if (index < 0) continue;
    if (year.values[row] === req.populationYear - 1) residentsYearBefore[index] = Number(people.values[row] ?? 0);
    if (year.values[row] !== req.populationYear) continue;
    residents[index] = Number(people.values[row] ?? 0);
    weightSum[index] = Number(weight.values[row] ?? 0);
  }
  return {
    populationYear: req.populationYear,
    residents,
    weightSum,
    // Year BASE_YEAR's rows are the weighed population itself, so the growth into the first
    // projected year is the simulated one, as the projection's own decisions read it.
    residentsYearBefore,
    label:
      `population projected from the weighed one (end ${BASE_YEAR}) to end ${req.populationYear}, ` +
      `mean of ${req.replications} replications, seed ${req.seed}`,
  };
}
