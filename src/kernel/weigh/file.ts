import { availableParallelism } from "node:os";
import { FordelingError } from "../../errors.js";
import type { Geography } from "../../geo/geography.js";
import type { WeightTable } from "../../model/weightTable.js";
import { SharedArena } from "../memory.js";
import { locateBatches, MIN_BYTES_PER_ROW, openPopulationFile, readIntoArena } from "./ingest.js";
import { makeKernelPool } from "../pool.js";
import type { WeighSums } from "./types.js";
import { planWeighing, reduceWeighing, runWeighing, weighArenaCapacity, WEIGH_WORKER_FILE } from "./plan.js";
import { writeResidentWeightsFile } from "./weightsFile.js";
import { sumClinicWeightsByMunicipality } from "./clinicMunicipality.js";

export { WEIGH_WORKER_FILE } from "./plan.js";

export interface WeighOptions {
  populationFile: string;
  weightTable: WeightTable;
  geography: Geography;
  /** Worker threads; default: available cores. Results are bit-identical for any count. */
  threads?: number;
  /** Optional Arrow IPC file of per-resident weights, row for row with the population file. */
  residentWeightsOut?: string;
  /**
   * Also split each clinic's weighted list by the patients' municipality of residence (the
   * life-expectancy correction scales each patient by their own municipality's factor). Keeps the
   * per-resident weights in memory for one more pass.
   */
  clinicWeightsByMunicipality?: boolean;
  /** Called as shards finish. */
  onProgress?: (doneRows: number, totalRows: number) => void;
}

/**
 * Weighs every resident of an Arrow IPC population file and sums per municipality, council and
 * clinic. One shared memory is sized up front from the file size (file bytes, tables, a sums
 * block per shard, and the weight column when asked for: at most one row per 12 bytes); the
 * file is read straight into it, the shards run on a Piscina pool that is always closed
 * afterwards, and the host adds their sums in shard order.
 */
export async function weighPopulationFile(opts: WeighOptions): Promise<WeighSums> {
  const file = opts.populationFile;
  const threads = opts.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new FordelingError("FD_ERR_ARGUMENT", `threads must be a whole number ≥ 1, got ${String(opts.threads)}`, { field: "threads" });
  }
  const withWeights = opts.residentWeightsOut !== undefined || opts.clinicWeightsByMunicipality === true;
  const { handle, byteLength } = await openPopulationFile(file);
  let arena: SharedArena;
  let fileAddress: number;
  try {
    arena = new SharedArena(weighArenaCapacity(byteLength, withWeights ? Math.floor(byteLength / MIN_BYTES_PER_ROW) : 0));
    fileAddress = arena.reserve(byteLength);
    await readIntoArena(handle, file, arena, fileAddress, byteLength);
  } finally {
    await handle.close();
  }
  const { batches, totalRows } = locateBatches(arena, fileAddress, byteLength, file);
  const plan = planWeighing(arena, batches, totalRows, opts.weightTable, opts.geography, { weights: withWeights });

  const pool = makeKernelPool({ filename: WEIGH_WORKER_FILE, memory: arena.memory, threads });
  let failure: FordelingError | undefined;
  try {
    failure = await runWeighing(pool, plan, file, opts.onProgress);
  } finally {
    await pool.close();
  }
  if (failure !== undefined) throw failure;

  const sums = reduceWeighing(plan, opts.geography);
  if (opts.clinicWeightsByMunicipality === true) {
    sums.clinicByMunicipality = sumClinicWeightsByMunicipality(arena, plan.weights, batches, opts.geography);
  }
  if (opts.residentWeightsOut !== undefined) {
    await writeResidentWeightsFile(opts.residentWeightsOut, arena, plan.weights, batches, {
      "fordeling.weightTable": opts.weightTable.id,
      "fordeling.population": file,
    });
  }
  return sums;
}
