import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { ABOUT_SHEET } from "../../src/io/xlsx.js";
import { PACKAGE_ROOT } from "../../src/paths.js";

/** A free loopback port: bound to 0, read, released. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `child` writes a line matching `pattern` on stdout or stderr. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${seen}`));
    });
  });
}

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** A real redis-server on a free loopback port, without persistence, in its own temp dir. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "fd-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForOutput(child, /Ready to accept connections/u, "redis-server");
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stopChild(child, "SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  await exited;
}

export interface TestWorker {
  child: ChildProcess;
  cacheDir: string;
  /** Everything the worker wrote to stderr so far. */
  log(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A real `fordeling worker` process (bin/fordeling.js, compiled dist) with its own cache dir. */
export async function startWorker(redisUrl: string, extra: string[] = []): Promise<TestWorker> {
  const cacheDir = mkdtempSync(join(tmpdir(), "fd-worker-"));
  const child = spawn(
    process.execPath,
    [
      join(PACKAGE_ROOT, "bin", "fordeling.js"),
      "worker",
      "--redis",
      redisUrl,
      "--threads",
      "1",
      "--cache-dir",
      cacheDir,
      "--lock-ms",
      "2000",
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await waitForOutput(child, /taking jobs/u, "fordeling worker");
  return {
    child,
    cacheDir,
    log: () => log,
    async stop(signal = "SIGTERM") {
      await stopChild(child, signal);
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every file of a result dir but the manifest, name → bytes. The workbook carries the manifest
 * (its "about" sheet, with createdAt), so it is compared by its table sheets' cell values; the SVG
 * charts are left out (their class names depend on the process, see below).
 */
export async function resultBytes(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)
    .filter((n) => !n.startsWith("manifest"))
    .sort()) {
    const bytes = readFileSync(join(dir, name));
    // ECharts' SSR (zrender) names its CSS classes from a process-wide counter: a chart drawn
    // second in a process differs from the same chart drawn first, so charts are left out here.
    if (name.endsWith(".svg")) continue;
    if (!name.endsWith(".xlsx")) {
      files.set(name, bytes);
      continue;
    }
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    for (const sheet of book.worksheets.filter((s) => s.name !== ABOUT_SHEET)) {
      const rows: unknown[] = [];
      sheet.eachRow((row) => rows.push(row.values));
      files.set(`${name}#${sheet.name}`, Buffer.from(JSON.stringify(rows)));
    }
  }
  return files;
}

/** Names whose bytes differ (or exist on one side only): [] when two result dirs are identical. */
export function differingFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.filter((name) => !(a.get(name)?.equals(b.get(name) ?? Buffer.alloc(0)) ?? false));
}
