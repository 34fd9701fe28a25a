import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Field, Float64, makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct } from "apache-arrow";
import { FordelingError } from "../../errors.js";
import { temporaryNameFor } from "../../io/atomic.js";
import type { SharedArena } from "../memory.js";
import type { BatchLayout } from "./shards.js";

/**
 * The per-resident weight column as an Arrow IPC file: one non-null float64 column `weight`,
 * one record batch per input batch, so row i of the output is row i of the population file.
 * Written under a temporary name and renamed into place.
 */
export async function writeResidentWeightsFile(
  file: string,
  arena: SharedArena,
  weights: number,
  batches: readonly BatchLayout[],
  metadata: Record<string, string>,
): Promise<void> {
  const field = new Field("weight", new Float64(), false, new Map([["unit", "disease weight (1 = average resident)"]]));
  const schema = new Schema([field], new Map([["fordeling.schema", "resident-weights/1"], ...Object.entries(metadata)]));
  const temp = temporaryNameFor(file);
  const writer = new RecordBatchFileWriter();
  const done = pipeline(writer.toNodeStream(), createWriteStream(temp, { flags: "wx" }));
  done.catch(() => undefined);
  try {
    writer.reset(undefined, schema);
    for (const batch of batches) {
      const values = arena.float64(weights + batch.firstRow * 8, batch.rows);
      const child = makeData({ type: field.type, length: batch.rows, nullCount: 0, data: values });
      writer.write(new RecordBatch(schema, makeData({ type: new Struct([field]), length: batch.rows, nullCount: 0, children: [child] })));
    }
    writer.close();
    await done;
    await rename(temp, file);
  } catch (cause) {
    writer.abort();
    await done.catch(() => undefined);
    await rm(temp, { force: true });
    throw new FordelingError("FD_ERR_OUTPUT", `cannot write the resident weights: ${(cause as Error).message}`, { file }, { cause });
  }
}
