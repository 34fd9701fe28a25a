import { randomUUID } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FordelingError } from "../errors.js";
import type { DataDir } from "./dataDir.js";

const LOCK_FILE = "server.lock";

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Whether a process with this id runs (EPERM: it runs under another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): { pid?: number; token?: string } {
  try {
    const { pid, token } = JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown; token?: unknown };
    return {
      ...(typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? { pid } : {}),
      ...(typeof token === "string" ? { token } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * One server per data dir: two would run the same queued runs twice and mark each other's
 * running runs interrupted on start. The lock is a file created exclusively with the holder's
 * process id; a lock whose process no longer runs (a server killed without shutting down) is
 * taken over. Within one process a second server on the same dir is refused as well.
 */
export function lockDataDir(dir: DataDir): DataDirLock {
  const file = join(dir.root, LOCK_FILE);
  // The token tells this lock from a later one of the same process (a server reopened in-process).
  const token = randomUUID();
  const content = JSON.stringify({ pid: process.pid, token, since: new Date().toISOString() }) + "\n";
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, content, { flag: "wx" });
      return {
        file,
        release: () => {
          if (readLock(file).token === token) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new FordelingError("FD_ERR_OUTPUT", "cannot create the data dir's lock file", { file }, { cause: error });
      }
    }
    const holder = readLock(file).pid;
    if (holder !== undefined && processRuns(holder)) {
      throw new FordelingError(
        "FD_ERR_CONFLICT",
        `another server (process ${holder}${holder === process.pid ? ", this one" : ""}) uses this data dir; stop it or choose another data dir`,
        { file },
      );
    }
    rmSync(file, { force: true });
  }
  throw new FordelingError("FD_ERR_CONFLICT", "another server took the data dir's lock at the same moment", { file });
}
