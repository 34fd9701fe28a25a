import { open, type FileHandle } from "node:fs/promises";
import { DataType, RecordBatchReader, type Data, type Schema } from "apache-arrow";
import { FordelingError } from "../../errors.js";
import { RESIDENT_COLUMNS } from "../../population/schema.js";
import type { SharedArena } from "../memory.js";
import type { BatchLayout } from "./shards.js";

/**
 * Arrow IPC population files into the kernel arena without per-row JavaScript work: the file's
 * bytes are read straight into the shared memory, Arrow parses only the metadata, and each
 * column of each record batch is used where it lies (Arrow aligns buffers to 8 bytes, and the
 * reader hands out views into the bytes it was given). Both the file and the stream format load.
 */

/** Smallest body a row can have (two 2-byte and eight 1-byte columns): bounds the row count by the file size. */
export const MIN_BYTES_PER_ROW = 12;

export async function openPopulationFile(file: string): Promise<{ handle: FileHandle; byteLength: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new FordelingError(
      "FD_ERR_FILE_NOT_FOUND",
      missing ? "the population file does not exist" : `cannot open the population file: ${(cause as Error).message}`,
      { file },
      { cause },
    );
  }
  const { size } = await handle.stat();
  return { handle, byteLength: size };
}

/** Reads the whole file into arena bytes [address, address + byteLength). */
export async function readIntoArena(
  handle: FileHandle,
  file: string,
  arena: SharedArena,
  address: number,
  byteLength: number,
): Promise<void> {
  const target = arena.subarray(address, byteLength);
  let done = 0;
  while (done < byteLength) {
    const { bytesRead } = await handle.read(target, done, byteLength - done, done);
    if (bytesRead === 0)
      throw new FordelingError("FD_ERR_ARROW_MALFORMED", `the file ended after ${done} of ${byteLength} bytes while reading`, { file });
    done += bytesRead;
  }
}

function isUnsignedInt(type: DataType, bits: 8 | 16): boolean {
  return DataType.isInt(type) && type.bitWidth === bits && !type.isSigned;
}

/** Field index of every resident column, by name; wrong types and missing columns are named. */
export function residentFieldIndices(schema: Schema, file: string): number[] {
  return RESIDENT_COLUMNS.map((spec) => {
    const index = schema.fields.findIndex((f) => f.name === spec.name);
    const field = schema.fields[index];
    if (field === undefined) {
      const found = schema.fields.map((f) => f.name).join(", ") || "none";
      throw new FordelingError(
        "FD_ERR_SCHEMA_MISMATCH",
        `the column is missing (the file has: ${found}); docs/POPULATION.md lists the resident columns`,
        { file, column: spec.name },
      );
    }
    if (!isUnsignedInt(field.type, spec.arrowType === "Uint8" ? 8 : 16)) {
      throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", `has type ${String(field.type)}, expected ${spec.arrowType}`, {
        file,
        column: spec.name,
      });
    }
    return index;
  });
}

function firstNullRow(data: Data): number {
  for (let i = 0; i < data.length; i++) if (!data.getValid(i)) return i;
  return -1;
}

/** Parses the Arrow bytes already in the arena and locates every column of every batch. */
export function locateBatches(
  arena: SharedArena,
  address: number,
  byteLength: number,
  file: string,
): { batches: BatchLayout[]; totalRows: number } {
  const malformed = (detail: string, cause?: unknown): FordelingError =>
    new FordelingError("FD_ERR_ARROW_MALFORMED", `not a readable Arrow IPC file (${detail})`, { file }, { cause });
  const batches: BatchLayout[] = [];
  let totalRows = 0;
  let fields: number[] | undefined;
  try {
    const reader = RecordBatchReader.from(arena.subarray(address, byteLength));
    reader.open();
    if (reader.schema === undefined || reader.schema === null) throw malformed("no schema: empty or truncated");
    fields = residentFieldIndices(reader.schema, file);
    for (const batch of reader) {
      // An empty batch has no buffers to point at (Arrow hands out fresh empty arrays) and no rows to weigh.
      if (batch.numRows === 0) continue;
      const columns = fields.map((fieldIndex, c) => {
        const spec = RESIDENT_COLUMNS[c]!;
        const data = batch.data.children[fieldIndex];
        if (data === undefined || data.length !== batch.numRows)
          throw malformed(`column '${spec.name}' of batch ${batches.length} has the wrong length`);
        if (data.nullCount > 0) {
          throw new FordelingError("FD_ERR_BAD_VALUE", `a value is missing (null); every resident needs one`, {
            file,
            column: spec.name,
            row: totalRows + firstNullRow(data),
          });
        }
        const values = data.values as Uint8Array | Uint16Array;
        // Zero copy or nothing: a column outside the arena would need a copy the arena has no room for.
        if (values.buffer !== arena.bytes.buffer)
          throw malformed(`column '${spec.name}' is compressed or its buffers are not 8-byte aligned`);
        return values.byteOffset + data.offset * values.BYTES_PER_ELEMENT;
      });
      batches.push({ firstRow: totalRows, rows: batch.numRows, columns });
      totalRows += batch.numRows;
    }
  } catch (error) {
    if (error instanceof FordelingError) throw error;
    // Arrow's own messages describe its internals ("reading 'fieldsLength'"); say where it broke.
    const where = batches.length === 0 ? "before the first record batch" : `after batch ${batches.length} (row ${totalRows})`;
    throw malformed(`truncated or corrupt ${where}: ${(error as Error).message}`, error);
  }
  return { batches, totalRows };
}
