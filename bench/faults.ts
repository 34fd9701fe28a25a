import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../src/paths.js";
import { fillDisk, mountSmallDisk } from "./smallDisk.js";

/**
 * Faults and load against `fordeling serve` as deployed (a child process on 127.0.0.1, the real
 * projection at a small scale): a burst of POSTs above the queue limit, kill -9 and restart
 * during a run, damaged run records, and a full disk during the result write (on a tmpfs, where
 * the machine allows mounting one). Prints what was tried and what was lost; exits 1 on any
 * loss. A loss is an accepted run that never ends in a truthful final status, a stored result
 * that is no longer served byte for byte, a queue limit not held, or a server that dies or does
 * not restart. Settings: FD_FAULTS_BURST (POSTs in the burst, default 24).
 */
const BURST = Number(process.env["FD_FAULTS_BURST"] ?? 24);
const MAX_QUEUE = 2;
const POPULATION = { kind: "generated", scale: 0.002, seed: 1 } as const;

interface Server {
  base: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The server's own process (under unshare, the child that is PID 1 in its namespace). */
  pid: () => number;
}

/** Whether servers can run as PID 1 of a fresh PID namespace, as in a container (needs root). */
const CAN_RUN_AS_PID_1 =
  spawnSync("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, "-e", "process.exit(process.pid === 1 ? 0 : 1)"], {
    stdio: "ignore",
  }).status === 0;

interface Outcome {
  fault: string;
  tried: string;
  lost: string[];
}

async function startServer(dataDir: string, asPid1 = false): Promise<Server> {
  const args = [join(PACKAGE_ROOT, "bin", "fordeling.js"), "serve", "--port", "0", "--data-dir", dataDir];
  args.push("--max-queue", String(MAX_QUEUE), "--threads", "1");
  const child = asPid1
    ? spawn("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, ...args], { stdio: ["ignore", "ignore", "pipe"] })
    : spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/u.exec(stderr);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`the server exited with ${code}: ${stderr.trim()}`)));
  });
  const pid = (): number => {
    if (!asPid1) return child.pid ?? 0;
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(" ");
    return Number(children[0]);
  };
  return { base, child, exited, pid };
}

async function stopServer(server: Server, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) process.kill(server.pid(), signal);
  await server.exited;
}

type Json = Record<string, unknown>;

async function call(base: string, path: string, method = "GET", body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until(base: string, id: string, done: (run: Json) => boolean, timeoutS: number): Promise<Json> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const run = (await call(base, `/v1/runs/${id}`)).body;
    if (done(run)) return run;
    if (Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finished = (run: Json): boolean => !["queued", "running"].includes(String(run["status"]));
const phase = (run: Json): string | undefined => (run["progress"] as { phase?: string } | undefined)?.phase;

async function councilCsv(base: string, id: string): Promise<string> {
  const response = await fetch(`${base}/v1/runs/${id}/results/council?format=csv`);
  return response.status === 200 ? await response.text() : `HTTP ${response.status}`;
}

/** What every earlier succeeded run serves, to be compared after each fault. */
async function snapshot(base: string, ids: readonly string[]): Promise<Map<string, string>> {
  const results = new Map<string, string>();
  for (const id of ids) results.set(id, await councilCsv(base, id));
  return results;
}

async function lostResults(base: string, before: Map<string, string>): Promise<string[]> {
  const lost: string[] = [];
  for (const [id, csv] of before) {
    if ((await councilCsv(base, id)) !== csv) lost.push(`stored result ${id.slice(0, 8)} no longer served as before`);
  }
  return lost;
}

async function burst(server: Server, succeeded: string[]): Promise<Outcome> {
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      call(server.base, "/v1/runs", "POST", { replications: 2, seed: 1000 + i, population: POPULATION }),
    ),
  );
  const accepted = answers.filter((a) => a.status === 202).map((a) => String(a.body["id"]));
  const refused = answers.filter((a) => a.status === 429).length;
  const lost: string[] = [];
  if (accepted.length > MAX_QUEUE + 1) lost.push(`queue limit not held: ${accepted.length} accepted with --max-queue ${MAX_QUEUE}`);
  const other = answers.filter((a) => a.status !== 202 && a.status !== 429);
  if (other.length > 0) lost.push(`${other.length} answers neither 202 nor 429 (${other.map((a) => a.status).join(", ")})`);
  for (const id of accepted) {
    const run = await until(server.base, id, finished, 600);
    if (run["status"] === "succeeded") succeeded.push(id);
    else lost.push(`accepted run ${id.slice(0, 8)} ended ${String(run["status"])}`);
  }
  const tried = `${BURST} concurrent POSTs, --max-queue ${MAX_QUEUE}: ${accepted.length} accepted, ${refused} refused 429`;
  return { fault: "POST burst", tried, lost };
}

/**
 * kill -9 mid-run, then a restart on the same data dir. Where the machine allows, both servers
 * run as PID 1 of their own PID namespace: the successor has the dead holder's PID, as after an
 * OOM kill in a container.
 */
async function killDuringRun(dataDir: string, first: Server, succeeded: string[]): Promise<{ outcome: Outcome; server: Server }> {
  const before = await snapshot(first.base, succeeded);
  let server = first;
  if (CAN_RUN_AS_PID_1) {
    await stopServer(first);
    server = await startServer(dataDir, true);
  }
  const how = CAN_RUN_AS_PID_1 ? " (both servers PID 1 of a PID namespace, as in a container)" : "";
  const posted = await call(server.base, "/v1/runs", "POST", { replications: 400, seed: 2000, population: POPULATION });
  const id = String(posted.body["id"]);
  const lost: string[] = [];
  // Killed mid-simulation: workers busy, the record says running, no result yet.
  const running = await until(server.base, id, (r) => phase(r) === "simulating" || finished(r), 300);
  const when = `${String(running["status"])}${phase(running) !== undefined ? `, ${phase(running)}` : ""}`;
  await stopServer(server, "SIGKILL");
  let restarted: Server;
  try {
    restarted = await startServer(dataDir, CAN_RUN_AS_PID_1);
  } catch (error) {
    lost.push(`no restart after kill -9: ${(error as Error).message}`);
    return { outcome: { fault: "kill -9 during a run", tried: `killed while ${when}${how}`, lost }, server };
  }
  const after = (await call(restarted.base, `/v1/runs/${id}`)).body;
  if (after["status"] !== "interrupted") lost.push(`the killed run is ${String(after["status"] ?? "missing")}, not interrupted`);
  lost.push(...(await lostResults(restarted.base, before)));
  const again = await call(restarted.base, "/v1/runs", "POST", { replications: 20, seed: 2001, population: POPULATION });
  const rerun = await until(restarted.base, String(again.body["id"]), finished, 600);
  if (rerun["status"] === "succeeded") succeeded.push(String(again.body["id"]));
  else lost.push(`a run after the restart ended ${String(rerun["status"])}`);
  const tried = `killed while ${when}; restarted on the same data dir${how}`;
  return { outcome: { fault: "kill -9 during a run", tried, lost }, server: restarted };
}

async function corruptRecords(dataDir: string, server: Server, succeeded: string[]): Promise<{ outcome: Outcome; server: Server }> {
  const before = await snapshot(server.base, succeeded);
  await stopServer(server);
  writeFileSync(join(dataDir, "runs", `${"c".repeat(32)}.json`), "null");
  writeFileSync(join(dataDir, "runs", `${"d".repeat(32)}.json`), '{"id": "truncated');
  writeFileSync(join(dataDir, "runs", `${"e".repeat(32)}.json`), JSON.stringify({ id: "e".repeat(32), status: "weird" }));
  const lost: string[] = [];
  let restarted: Server;
  try {
    restarted = await startServer(dataDir);
  } catch (error) {
    lost.push(`no start with damaged records: ${(error as Error).message}`);
    return { outcome: { fault: "damaged run records", tried: "null, truncated and unknown-status records", lost }, server };
  }
  lost.push(...(await lostResults(restarted.base, before)));
  const listed = (await (await fetch(`${restarted.base}/v1/runs?limit=1000`)).json()) as { id: string }[];
  const missing = succeeded.filter((id) => !listed.some((r) => r.id === id));
  if (missing.length > 0) lost.push(`${missing.length} good runs no longer listed`);
  const asideDir = join(dataDir, "runs", "corrupt");
  const aside = existsSync(asideDir) ? readdirSync(asideDir).length : 0;
  return {
    outcome: {
      fault: "damaged run records",
      tried: `null, truncated and unknown-status records; ${aside} moved to runs/corrupt/, server started`,
      lost,
    },
    server: restarted,
  };
}

async function fullDisk(): Promise<Outcome> {
  const disk = mountSmallDisk(64 * 1024);
  if (disk === undefined) return { fault: "full disk", tried: "skipped: this machine does not allow mounting a tmpfs", lost: [] };
  const lost: string[] = [];
  let server: Server | undefined;
  const filler = join(disk.dir, "filler.bin");
  try {
    server = await startServer(disk.dir);
    const warm = await call(server.base, "/v1/runs", "POST", { replications: 2, seed: 3000, population: POPULATION });
    const warmId = String(warm.body["id"]);
    if ((await until(server.base, warmId, finished, 600))["status"] !== "succeeded") lost.push("the run before the fault did not succeed");
    const before = await snapshot(server.base, [warmId]);
    const posted = await call(server.base, "/v1/runs", "POST", { replications: 200, seed: 3001, population: POPULATION });
    const id = String(posted.body["id"]);
    const waiting = await call(server.base, "/v1/runs", "POST", { replications: 2, seed: 3002, population: POPULATION });
    await until(server.base, id, (r) => phase(r) === "simulating" || finished(r), 120);
    fillDisk(filler);
    const run = await until(server.base, id, finished, 600);
    const error = run["error"] as { code?: string; message?: string } | undefined;
    const filledInTime = run["status"] !== "succeeded";
    if (filledInTime && (run["status"] !== "failed" || error?.code !== "FD_ERR_OUTPUT")) {
      lost.push(`the run ended ${String(run["status"])} ${error?.code ?? ""}, not failed with FD_ERR_OUTPUT`);
    }
    if (JSON.stringify(run).includes(disk.dir)) lost.push("the error names a server path");
    if ((await call(server.base, "/v1")).status !== 200) lost.push("the server stopped answering");
    // While the disk stays full the waiting run must wait (queued), not fail or vanish.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const whileFull = String((await call(server.base, `/v1/runs/${String(waiting.body["id"])}`)).body["status"]);
    if (filledInTime && whileFull !== "queued") lost.push(`the run waiting behind it is ${whileFull} while the disk is full, not queued`);
    rmSync(filler, { force: true });
    const queued = await until(server.base, String(waiting.body["id"]), finished, 600);
    if (queued["status"] !== "succeeded") lost.push(`the run waiting behind it ended ${String(queued["status"])} once space was free`);
    lost.push(...(await lostResults(server.base, before)));
    const again = await call(server.base, "/v1/runs", "POST", { replications: 2, seed: 3003, population: POPULATION });
    const next = await until(server.base, String(again.body["id"]), finished, 600);
    if (next["status"] !== "succeeded") lost.push("no run succeeds once space is free");
    const tried =
      `64 MiB tmpfs filled while simulating: the run ended ${String(run["status"])}${error?.code !== undefined ? ` ${error.code}` : ""}` +
      `${filledInTime ? "" : " (finished before the disk filled)"}; the run waiting behind it was ${whileFull} ` +
      `while the disk was full and ${String(queued["status"])} once space was freed`;
    return { fault: "full disk", tried, lost };
  } catch (error) {
    lost.push(`the fault run broke off: ${(error as Error).message}`);
    return { fault: "full disk", tried: "64 MiB tmpfs filled during a run", lost };
  } finally {
    rmSync(filler, { force: true });
    if (server !== undefined) await stopServer(server);
    disk.remove();
  }
}

export async function benchFaults(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "fordeling-bench-faults-"));
  const outcomes: Outcome[] = [];
  const succeeded: string[] = [];
  let server = await startServer(dataDir);
  try {
    outcomes.push(await burst(server, succeeded));
    const killed = await killDuringRun(dataDir, server, succeeded);
    outcomes.push(killed.outcome);
    server = killed.server;
    const corrupt = await corruptRecords(dataDir, server, succeeded);
    outcomes.push(corrupt.outcome);
    server = corrupt.server;
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  outcomes.push(await fullDisk());
  let losses = 0;
  for (const outcome of outcomes) {
    losses += outcome.lost.length;
    console.log(`${outcome.fault}: ${outcome.tried}`);
    console.log(`  lost: ${outcome.lost.length === 0 ? "nothing" : outcome.lost.join("; ")}`);
  }
  console.log(losses === 0 ? "faults: nothing lost" : `faults: ${losses} losses`);
  return losses;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = (await benchFaults()) === 0 ? 0 : 1;
}
