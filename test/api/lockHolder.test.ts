import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDataDir } from "../../src/runs/dataDir.js";
import { lockDataDir } from "../../src/runs/dataDirLock.js";
import { holderRuns } from "../../src/runs/processIdentity.js";
import { makeTempDir } from "./helpers.js";

const hasProc = ((): boolean => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();

function startTimeOf(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ")[19]!;
}

/** A process that stays alive until killed, and its pid. */
async function liveProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  await new Promise((resolve) => child.once("spawn", resolve));
  return child as ChildProcess & { pid: number };
}

describe("the data dir lock tells a live holder from a dead one beyond its process id", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });
  const dataDir = () => {
    const temp = makeTempDir("fordeling-lock-");
    cleanups.push(() => temp.remove());
    return openDataDir(temp.dir);
  };
  const writeLock = (root: string, content: object) => writeFileSync(join(root, "server.lock"), JSON.stringify(content));

  it("takes over a lock naming its own process id when this process does not hold it (PID 1 after kill -9)", () => {
    const dir = dataDir();
    writeLock(dir.root, { pid: process.pid, token: "a-predecessor-with-the-same-pid", since: "2026-01-01T00:00:00.000Z" });
    const lock = lockDataDir(dir);
    cleanups.push(() => lock.release());
    expect(JSON.parse(readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid });
  });

  it("still refuses a second lock on the same dir within this process", () => {
    const dir = dataDir();
    const lock = lockDataDir(dir);
    cleanups.push(() => lock.release());
    expect(() => lockDataDir(dir)).toThrow(expect.objectContaining({ code: "FD_ERR_CONFLICT" }));
  });

  it.runIf(hasProc)("refuses a lock whose holder runs with the recorded start time", async () => {
    const dir = dataDir();
    const child = await liveProcess();
    cleanups.push(() => child.kill("SIGKILL"));
    writeLock(dir.root, { pid: child.pid, token: "t", startTime: startTimeOf(child.pid) });
    expect(() => lockDataDir(dir)).toThrow(expect.objectContaining({ code: "FD_ERR_CONFLICT" }));
  });

  it.runIf(hasProc)("takes over a lock whose process id now belongs to another process (a different start time)", async () => {
    const dir = dataDir();
    const child = await liveProcess();
    cleanups.push(() => child.kill("SIGKILL"));
    writeLock(dir.root, { pid: child.pid, token: "t", startTime: "1" });
    const lock = lockDataDir(dir);
    cleanups.push(() => lock.release());
    expect(JSON.parse(readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid });
  });

  it.runIf(hasProc)("takes over a lock held by a zombie (exited, not yet reaped: kill(pid, 0) still succeeds)", async () => {
    const dir = dataDir();
    // sh starts a short child, prints its pid, then becomes `sleep`, which never reaps it. The child
    // outlives sh's own life by half a second, so sh cannot reap it before the exec.
    const parent = spawn("sh", ["-c", "sleep 0.5 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    cleanups.push(() => parent.kill("SIGKILL"));
    const zombie = await new Promise<number>((resolve) => {
      parent.stdout.once("data", (data: Buffer) => resolve(Number(String(data).trim())));
    });
    await expect.poll(() => readFileSync(`/proc/${zombie}/stat`, "utf8").split(") ")[1]?.[0], { timeout: 10_000 }).toBe("Z");
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(holderRuns(zombie, undefined)).toBe(false);
    writeLock(dir.root, { pid: zombie, token: "t" });
    const lock = lockDataDir(dir);
    cleanups.push(() => lock.release());
    expect(JSON.parse(readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid });
  });
});
