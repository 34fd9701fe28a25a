import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiKeyFromEnv } from "../../src/cli/serve.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { makeTempDir } from "./helpers.js";

const BIN = join(PACKAGE_ROOT, "bin", "fordeling.js");

function startServer(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BIN, "serve", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const address = new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving on (http:\/\/[^\s]+)/u.exec(stderr);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, address, exited, stderr: () => stderr };
}

describe("fordeling serve", () => {
  it("reads the API key from the named environment variable and refuses an empty one", () => {
    expect(apiKeyFromEnv(undefined)).toBeUndefined();
    expect(apiKeyFromEnv("FD_KEY", { FD_KEY: " k1 " })).toBe("k1");
    expect(() => apiKeyFromEnv("FD_KEY", {})).toThrow(/FD_KEY is not set/u);
    expect(() => apiKeyFromEnv("not a name", {})).toThrow(/not an environment variable name/u);
  });

  it("exits with the argument error code when the key variable is missing", async () => {
    const temp = makeTempDir();
    try {
      const server = startServer(["--port", "0", "--data-dir", temp.dir, "--api-key-env", "FD_TEST_MISSING_KEY"]);
      server.address.catch(() => undefined);
      expect(await server.exited).toBe(2);
      expect(server.stderr()).toContain("FD_ERR_ARGUMENT");
    } finally {
      temp.remove();
    }
  });

  it("serves on loopback, requires the key for writes, and stops cleanly on SIGTERM", async () => {
    const temp = makeTempDir();
    const server = startServer(["--port", "0", "--data-dir", temp.dir, "--api-key-env", "FD_TEST_KEY"], { FD_TEST_KEY: "abc" });
    try {
      const base = await server.address;
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
      const status = (await (await fetch(`${base}/v1`)).json()) as { service: string };
      expect(status.service).toBe("fordeling");
      const denied = await fetch(`${base}/v1/scenarios`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"id":"a"}',
      });
      expect(denied.status).toBe(401);
      const allowed = await fetch(`${base}/v1/scenarios`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "abc" },
        body: '{"id":"a"}',
      });
      expect(allowed.status).toBe(201);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toContain("stopped");
    } finally {
      server.child.kill("SIGKILL");
      temp.remove();
    }
  });
});
