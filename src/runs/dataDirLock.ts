import { randomUUID } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FordelingError } from "../errors.js";
import type { DataDir } from "./dataDir.js";
import { holderRuns, ownStartTime } from "./processIdentity.js";

const LOCK_FILE = "server.lock";

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Tokens of the locks this process holds now: the only way a lock naming our own PID is ours. */
const heldTokens = new Set<string>();

interface LockContent {
  pid?: number;
  token?: string;
  startTime?: string;
}

function readLock(file: string): LockContent {
  try {
    const { pid, token, startTime } = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    return {
      ...(typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? { pid } : {}),
      ...(typeof token === "string" ? { token } : {}),
      ...(typeof startTime === "string" ? { startTime } : {}),
    };
  } catch {
    return {};
  }
}

/** Whether the lock's writer still holds it. */
function lockIsHeld(lock: LockContent): boolean {
  if (lock.pid === undefined) return false;
  // Our own PID: held only by a lock this process took (a server opened twice in one process).
  // Otherwise it is a predecessor's that had the same PID, e.g. PID 1 in a container after kill -9.
  if (lock.pid === process.pid) return lock.token !== undefined && heldTokens.has(lock.token);
  return holderRuns(lock.pid, lock.startTime);
}

/**
 * One server per data dir: two would run the same queued runs twice and mark each other's
 * running runs interrupted on start. The lock is a file created exclusively, naming the holder
 * by process id, process start time and a random token; a lock whose holder no longer runs (a
 * server killed without shutting down, whose id may now belong to another process or to the
 * successor itself) is taken over.
 *
 * Why not proper-lockfile: it decides staleness by an mtime its holder refreshes on a timer, so
 * a successor after kill -9 must wait out the stale period (seconds) before it may start, and a
 * holder whose event loop stalls beyond it loses the lock to a second server. The start time
 * identifies a dead holder at once and without a timer.
 */
export function lockDataDir(dir: DataDir): DataDirLock {
  const file = join(dir.root, LOCK_FILE);
  const token = randomUUID();
  const startTime = ownStartTime();
  const content =
    JSON.stringify({ pid: process.pid, token, ...(startTime !== undefined ? { startTime } : {}), since: new Date().toISOString() }) + "\n";
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, content, { flag: "wx" });
      heldTokens.add(token);
      return {
        file,
        release: () => {
          heldTokens.delete(token);
          if (readLock(file).token === token) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new FordelingError("FD_ERR_OUTPUT", "cannot create the data dir's lock file", { file }, { cause: error });
      }
    }
    const holder = readLock(file);
    if (lockIsHeld(holder)) {
      const who = holder.pid === process.pid ? ", this one" : "";
      throw new FordelingError(
        "FD_ERR_CONFLICT",
        `another server (process ${holder.pid}${who}) uses this data dir; stop it or choose another data dir`,
        { file },
      );
    }
    rmSync(file, { force: true });
  }
  throw new FordelingError("FD_ERR_CONFLICT", "another server took the data dir's lock at the same moment", { file });
}
