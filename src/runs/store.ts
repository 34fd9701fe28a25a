import { randomBytes } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { FordelingError } from "../errors.js";
import { type DataDir, isInside } from "./dataDir.js";
import { writeJsonAtomic } from "./files.js";
import { recordProblem } from "./recordCheck.js";
import type { RunRecord } from "./types.js";

/** A succeeded run's result dir holds this file last (the projection writes it with the tables). */
export const RESULT_MARKER = "manifest.json";
const TEMP_PREFIX = ".tmp-";
const RECORD_ID = /^([a-f0-9]{32})\.json$/u;
/** Damaged records are moved here (DIR/runs/corrupt/), never deleted: an operator may want them. */
export const CORRUPT_RECORDS_DIR = "corrupt";

/** Where the store reports what it could not do (the server's log; a warning at least). */
export type StoreLog = (message: string, details: Record<string, unknown>) => void;

export interface RunStoreOptions {
  log?: StoreLog;
  /** The file-system seam for record writes (tests inject a failing writer). */
  writeJson?: (file: string, value: unknown) => Promise<void>;
}

/**
 * Run records (DIR/runs/<id>.json) and result dirs (DIR/results/<id>/). Records live in memory
 * and are written through on every status change; progress stays in memory (it changes many
 * times a second and is worthless after a restart). The memory copy changes only once the
 * write succeeded, so a failed write leaves no run the disk does not know about.
 *
 * Opening the store is where crashes are accounted for: a run that was queued or running when
 * the previous process stopped becomes `interrupted` (or `succeeded` when its result dir was
 * completely renamed before the stop), half-written temp result dirs are removed, and a record
 * that cannot be read is logged and moved aside so the server still starts.
 */
export class RunStore {
  private readonly records = new Map<string, RunRecord>();
  private readonly log: StoreLog;
  private readonly writeJson: (file: string, value: unknown) => Promise<void>;

  private constructor(
    readonly dir: DataDir,
    options: RunStoreOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.writeJson = options.writeJson ?? writeJsonAtomic;
  }

  static async open(dir: DataDir, options: RunStoreOptions = {}): Promise<RunStore> {
    const store = new RunStore(dir, options);
    // Hidden entries are temp dirs of writes that never finished (ours and the result writer's).
    for (const entry of await readdir(dir.results)) {
      if (entry.startsWith(".")) await rm(join(dir.results, entry), { recursive: true, force: true });
    }
    for (const entry of await readdir(dir.runs)) {
      const id = RECORD_ID.exec(entry)?.[1];
      if (id === undefined) continue;
      const record = await store.readRecord(join(dir.runs, entry), id);
      if (record !== undefined) await store.recover(record);
    }
    return store;
  }

  /** A record, or undefined after logging it and moving it to DIR/runs/corrupt/. */
  private async readRecord(file: string, id: string): Promise<RunRecord | undefined> {
    let problem: string | undefined;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, "utf8"));
      problem = recordProblem(value, id);
    } catch (error) {
      problem = `it cannot be read: ${(error as Error).message}`;
    }
    if (problem === undefined) return value as RunRecord;
    const aside = join(this.dir.runs, CORRUPT_RECORDS_DIR, `${id}.${Date.now()}.json`);
    let moved = true;
    try {
      await mkdir(join(this.dir.runs, CORRUPT_RECORDS_DIR), { recursive: true });
      await rename(file, aside);
    } catch {
      moved = false;
    }
    this.log(`run record ${file} is damaged (${problem}); ${moved ? `moved to ${aside}` : "left in place"} and not served`, {
      file,
      ...(moved ? { movedTo: aside } : {}),
      ...(this.hasResult(id)
        ? { orphanedResult: this.resultDir(id), note: "an identical request re-runs it and replaces the result" }
        : {}),
    });
    return undefined;
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
    } else if (record.status === "succeeded" && !this.hasResult(record.id)) {
      recovered = {
        ...rest,
        status: "failed",
        error: { code: "FD_ERR_FILE_NOT_FOUND", message: "the run's result files are missing from the data dir", location: {} },
      };
    }
    // A record that cannot be rewritten (full disk) is still served as recovered; the next start retries.
    if (recovered !== rest) await this.saveOrRemember(recovered);
    else this.records.set(recovered.id, recovered);
  }

  get(id: string): RunRecord | undefined {
    return this.records.get(id);
  }

  list(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** Persists a record, then remembers it; progress is not written. A failed write changes nothing. */
  async save(record: RunRecord): Promise<void> {
    const { progress: _progress, ...persisted } = record;
    await this.writeJson(join(this.dir.runs, `${record.id}.json`), persisted);
    this.records.set(record.id, record);
  }

  /**
   * Persists a record when possible; when the write fails (full disk) it is kept in memory
   * only, logged, and the caller goes on: the disk still holds the previous status, which the
   * next start reports as interrupted.
   */
  async saveOrRemember(record: RunRecord): Promise<boolean> {
    try {
      await this.save(record);
      return true;
    } catch (error) {
      this.records.set(record.id, record);
      this.log(`cannot write the record of run ${record.id} (${record.status}); it is kept in memory only`, {
        runId: record.id,
        error: (error as Error).message,
      });
      return false;
    }
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

  /**
   * The result dir when it lies inside the data dir with symlinks followed (the same rule as
   * for populations); a result dir that leads elsewhere is never served.
   */
  containedResultDir(id: string): string {
    const dir = this.resultDir(id);
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (cause) {
      throw new FordelingError("FD_ERR_STORE_CORRUPT", `the result of run '${id}' cannot be opened`, { file: `results/${id}` }, { cause });
    }
    if (!isInside(this.dir.root, real)) {
      throw new FordelingError("FD_ERR_STORE_CORRUPT", `the result of run '${id}' leads outside the data dir and is not served`, {
        file: `results/${id}`,
      });
    }
    return dir;
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

  /** Removes a temp result dir; never throws (it is cleanup after a failure already reported). */
  async discardTemp(tempDir: string): Promise<void> {
    await rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
