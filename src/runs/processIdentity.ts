import { readFileSync } from "node:fs";

/**
 * Telling a live lock holder from a dead one. A process id alone cannot: after a kill -9 the
 * successor in a container is PID 1 again (the same id as the dead holder), a finished process
 * whose parent has not reaped it (a zombie) still answers kill(pid, 0), and ids are reused. The
 * holder is therefore identified by its id and its start time, read from /proc on Linux; where
 * /proc is missing the id alone is checked, as before.
 */

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot; field 3: the state. */
function procStat(pid: number): { state: string; startTime: string } | null | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT with /proc mounted: no such process. Without /proc at all: unknown.
    return code === "ENOENT" && procAvailable() ? null : undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTime = fields[19];
  if (state === undefined || startTime === undefined) return undefined;
  return { state, startTime };
}

function procAvailable(): boolean {
  try {
    readFileSync("/proc/self/stat", "utf8");
    return true;
  } catch {
    return false;
  }
}

/** This process's start time as /proc gives it, or undefined where there is no /proc. */
export function ownStartTime(): string | undefined {
  return procStat(process.pid)?.startTime;
}

/**
 * Whether the process that wrote a lock (pid, and start time when known) still runs: false for
 * no such process, a zombie, or a process with that id but a different start time (the id was
 * reused).
 */
export function holderRuns(pid: number, startTime: string | undefined): boolean {
  const stat = procStat(pid);
  if (stat === null) return false;
  if (stat !== undefined) {
    if (stat.state === "Z" || stat.state === "X") return false;
    return startTime === undefined || stat.startTime === startTime;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
