import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { PACKAGE_ROOT } from "../src/paths.js";

/**
 * Load on a stored result over loopback, in two cases:
 *  (a) idle: nothing else runs;
 *  (b) loaded: a projection of the full 6.0 M default population runs in the workers meanwhile.
 * The server is a child process (`fordeling serve`, as deployed), so the load generator does
 * not share its event loop. Only 127.0.0.1, bounded durations; the projection is cancelled
 * after the measurement. Settings: FD_BENCH_DURATION (s, default 10), FD_BENCH_CONNECTIONS
 * (default 10), FD_BENCH_THREADS (projection threads, default all cores).
 */
const DURATION_S = Number(process.env["FD_BENCH_DURATION"] ?? 10);
const CONNECTIONS = Number(process.env["FD_BENCH_CONNECTIONS"] ?? 10);
const THREADS = process.env["FD_BENCH_THREADS"];

interface Server {
  base: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

async function startServer(dataDir: string): Promise<Server> {
  const args = [join(PACKAGE_ROOT, "bin", "fordeling.js"), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir];
  if (THREADS !== undefined) args.push("--threads", THREADS);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/u.exec(stderr);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    base,
    child,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function call(base: string, path: string, method = "GET", body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function waitFor(
  base: string,
  id: string,
  done: (run: Record<string, unknown>) => boolean,
  timeoutS: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const run = await call(base, `/v1/runs/${id}`);
    if (done(run)) return run;
    if (run["status"] === "failed") throw new Error(`run failed: ${JSON.stringify(run["error"])}`);
    if (Date.now() > deadline) throw new Error(`run ${id} not ready after ${timeoutS} s: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  errors: number;
}

async function load(url: string): Promise<Measured> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  // A run that answered errors measured nothing worth reporting.
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${url}`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
  };
}

export async function benchApiLoad(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "fordeling-bench-api-"));
  const server = await startServer(dataDir);
  try {
    const { base } = server;
    // A small stored result to serve (the served table has the same shape at any scale).
    const small = await call(base, "/v1/runs", "POST", {
      replications: 8,
      seed: 1,
      population: { kind: "generated", scale: 0.002, seed: 1 },
    });
    await waitFor(base, String(small["id"]), (r) => r["status"] === "succeeded", 300);
    const url = `${base}/v1/runs/${String(small["id"])}/results/council?year=2027`;
    const bytes = (await (await fetch(url)).arrayBuffer()).byteLength;
    console.log(
      `endpoint: GET /v1/runs/:id/results/council?year=2027 (JSON, ${bytes} bytes), ${CONNECTIONS} connections, ${DURATION_S} s each`,
    );

    await load(url); // warm-up: JIT, cache fill
    const idle = await load(url);
    console.log(
      `idle:    ${idle.requestsPerSecond} req/s, p50 ${idle.p50Ms} ms, p99 ${idle.p99Ms} ms, max ${idle.maxMs} ms (${idle.requests} requests)`,
    );

    // The full default population (6.0 M residents); enough replications to outlast the measurement.
    const big = await call(base, "/v1/runs", "POST", { replications: 10_000, seed: 99, population: { kind: "default" } });
    const bigId = String(big["id"]);
    const started = Date.now();
    await waitFor(base, bigId, (r) => (r["progress"] as { phase?: string } | undefined)?.phase === "simulating", 600);
    console.log(
      `projection of 6.0 M residents simulating after ${((Date.now() - started) / 1000).toFixed(1)} s (loading in the run thread)`,
    );
    const before = await call(base, `/v1/runs/${bigId}`);
    const loaded = await load(url);
    const after = await call(base, `/v1/runs/${bigId}`);
    const units = (run: Record<string, unknown>): number =>
      (run["progress"] as { completedUnits?: number } | undefined)?.completedUnits ?? 0;
    if (after["status"] !== "running") throw new Error(`the projection was not running during the measurement: ${String(after["status"])}`);
    console.log(
      `loaded:  ${loaded.requestsPerSecond} req/s, p50 ${loaded.p50Ms} ms, p99 ${loaded.p99Ms} ms, max ${loaded.maxMs} ms ` +
        `(${loaded.requests} requests; ${units(after) - units(before)} replications completed meanwhile)`,
    );
    await call(base, `/v1/runs/${bigId}`, "DELETE");
    console.log(
      `targets: idle >= 5000 req/s ${idle.requestsPerSecond >= 5000 ? "met" : "NOT met"}, idle p99 <= 20 ms ${idle.p99Ms <= 20 ? "met" : "NOT met"}, ` +
        `loaded p99 <= 100 ms ${loaded.p99Ms <= 100 ? "met" : "NOT met"}`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchApiLoad();
}
