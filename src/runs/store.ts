import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { FordelingError } from "../errors.js";
import type { DataDir } from "./dataDir.js";
import { writeJsonAtomic } from "./files.js";
import type { RunRecord } from "./types.js";

/** A succeeded run's result dir holds this file last (the projection writes it with the tables). */
export const RESULT_MARKER = "manifest.json";
const TEMP_PREFIX = ".tmp-";
const RECORD_ID = /^([a-f0-9]{32})\.json$/u;

/**
 * Run records (DIR/runs/<id>.json) and result dirs (DIR/results/<id>/). Records live in memory
 * and are written through on every status change; progress stays in memory (it changes many
 * times a second and is worthless after a restart).
 *
 * Opening the store is where crashes are accounted for: a run that was queued or running when
 * the previous process stopped becomes `interrupted` (or `succeeded` when its result dir was
 * completely renamed before the stop), and half-written temp result dirs are removed.
 */
export class RunStore {
  private readonly records = new Map<string, RunRecord>();

  private constructor(readonly dir: DataDir) {}

  static async open(dir: DataDir): Promise<RunStore> {
    const store = new RunStore(dir);
    // Hidden entries are temp dirs of writes that never finished (ours and the result writer's).
    for (const entry of await readdir(dir.results)) {
      if (entry.startsWith(".")) await rm(join(dir.results, entry), { recursive: true, force: true });
    }
    for (const entry of await readdir(dir.runs)) {
      const id = RECORD_ID.exec(entry)?.[1];
      if (id === undefined) continue;
      const record = await readRecord(join(dir.runs, entry));
      if (record === undefined || record.id !== id) continue;
      await store.recover(record);
    }
    return store;
  }

  private async recover(record: RunRecord): Promise<void> {
    const finishedAt = new Date().toISOString();
    const { progress: _progress, ...rest } = record;
    let recovered: RunRecord = rest;
    if (record.status === "queued" || record.status === "running") {
      recovered = this.hasResult(record.id)
        ? { ...rest, status: "succeeded", finishedAt }
        : {
            ...rest,
            status: "interrupted",
            finishedAt,
            error: {
              code: "FD_ERR_CANCELLED",
              message: `the server stopped while the run was ${record.status}; submit the same request again to re-run it`,
              location: {},
            },
          };
      await this.save(recovered);
    } else if (record.status === "succeeded" && !this.hasResult(record.id)) {
      recovered = {
        ...rest,
        status: "failed",
        error: { code: "FD_ERR_FILE_NOT_FOUND", message: "the run's result files are missing from the data dir", location: {} },
      };
      await this.save(recovered);
    }
    this.records.set(recovered.id, recovered);
  }

  get(id: string): RunRecord | undefined {
    return this.records.get(id);
  }

  list(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** Persists and remembers a record; progress is not written. */
  async save(record: RunRecord): Promise<void> {
    this.records.set(record.id, record);
    const { progress: _progress, ...persisted } = record;
    await writeJsonAtomic(join(this.dir.runs, `${record.id}.json`), persisted);
  }

  /** Keeps a progress update in memory only. */
  update(record: RunRecord): void {
    this.records.set(record.id, record);
  }

  resultDir(id: string): string {
    return join(this.dir.results, id);
  }

  hasResult(id: string): boolean {
    return existsSync(join(this.resultDir(id), RESULT_MARKER));
  }

  /** A fresh directory path for the executor; it must not exist yet (the writer creates it). */
  async makeTempResultDir(id: string): Promise<string> {
    const temp = join(this.dir.results, `${TEMP_PREFIX}${id}-${randomBytes(4).toString("hex")}`);
    await mkdir(this.dir.results, { recursive: true });
    return temp;
  }

  /** Moves a complete temp result dir into place in one rename. */
  async commitResult(id: string, tempDir: string): Promise<void> {
    if (!existsSync(join(tempDir, RESULT_MARKER))) {
      throw new FordelingError("FD_ERR_OUTPUT", `the run wrote no ${RESULT_MARKER}`, { file: tempDir });
    }
    const target = this.resultDir(id);
    // An earlier result of the same id can only be a leftover of an interrupted commit.
    await rm(target, { recursive: true, force: true });
    await rename(tempDir, target);
  }

  async discardTemp(tempDir: string): Promise<void> {
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function readRecord(file: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as RunRecord;
  } catch {
    // A record that does not parse cannot be reported faithfully; it is skipped, never rewritten.
    return undefined;
  }
}
