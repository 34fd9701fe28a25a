import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct } from "apache-arrow";
import { FordelingError } from "../errors.js";
import { makeResidentFileSchema, NO_LOCATION, RESIDENT_COLUMNS, type ResidentColumns } from "./schema.js";

/**
 * Writes resident record batches to an Arrow IPC file (file format, so DuckDB, pyarrow and
 * polars can memory-map it) under a temporary name and renames it into place on `commit`, so a
 * failed or cancelled run never leaves a half-written file behind.
 */
export class ResidentFileWriter {
  private constructor(
    readonly outFile: string,
    private readonly tempFile: string,
    private readonly schema: Schema,
    private readonly writer: RecordBatchFileWriter,
    private readonly done: Promise<void>,
  ) {}

  /** `metadata` is stored in the schema (e.g. seed and scale) next to the format tag. */
  static async open(outFile: string, metadata: Record<string, string> = {}): Promise<ResidentFileWriter> {
    const base = makeResidentFileSchema();
    const schema = new Schema(base.fields, new Map([...base.metadata, ...Object.entries(metadata)]));
    const tempFile = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      await mkdir(dirname(outFile), { recursive: true });
    } catch (cause) {
      throw new FordelingError("FD_ERR_OUTPUT", "cannot create the output directory", { file: outFile }, { cause });
    }
    const writer = new RecordBatchFileWriter();
    const done = pipeline(writer.toNodeStream(), createWriteStream(tempFile));
    // Attach a handler now: a failed write must surface at commit, not as an unhandled rejection.
    done.catch(() => undefined);
    return new ResidentFileWriter(outFile, tempFile, schema, writer, done);
  }

  /**
   * Writes rows [0, rowCount) of `columns` and their location ids (all NO_LOCATION when not
   * given); the arrays must not be reused afterwards.
   */
  async write(columns: ResidentColumns, rowCount: number, locationIds?: Uint16Array): Promise<void> {
    this.writer.write(residentBatch(this.schema, columns, rowCount, locationIds));
    // Let the file stream drain between batches so buffered bytes stay near one batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async commit(): Promise<void> {
    this.writer.close();
    try {
      await this.done;
      await rename(this.tempFile, this.outFile);
    } catch (cause) {
      await rm(this.tempFile, { force: true });
      throw new FordelingError(
        "FD_ERR_OUTPUT",
        `cannot write the population file: ${(cause as Error).message}`,
        { file: this.outFile },
        { cause },
      );
    }
  }

  async abort(): Promise<void> {
    this.writer.close();
    await this.done.catch(() => undefined);
    await rm(this.tempFile, { force: true });
  }
}

/** One record batch in the file schema: the kernel's columns, then location_id. */
export function residentBatch(schema: Schema, columns: ResidentColumns, rowCount: number, locationIds?: Uint16Array): RecordBatch {
  const children = RESIDENT_COLUMNS.map((spec, i) =>
    makeData({ type: schema.fields[i]!.type, length: rowCount, nullCount: 0, data: columns[spec.name].subarray(0, rowCount) }),
  );
  const locations = locationIds?.subarray(0, rowCount) ?? new Uint16Array(rowCount).fill(NO_LOCATION);
  children.push(makeData({ type: schema.fields[RESIDENT_COLUMNS.length]!.type, length: rowCount, nullCount: 0, data: locations }));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rowCount, nullCount: 0, children }));
}
