import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { makeTempDir, makeTestApp } from "./helpers.js";

const run = promisify(execFile);
const REDOCLY = join(PACKAGE_ROOT, "node_modules", ".bin", "redocly");

interface Operation {
  operationId?: string;
  security?: Record<string, unknown>[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}
type Document = { servers?: unknown[]; paths: Record<string, Record<string, Operation>> };

/** The served /openapi.json, with and without an API key, as a client generator would get it. */
describe.each([
  ["without an API key", undefined],
  ["with an API key", "k3y"],
])("the OpenAPI document %s", (_label, apiKey) => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let doc: Document;
  let file = "";
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir, ...(apiKey !== undefined ? { apiKey } : {}) }));
    const text = (await app.inject({ method: "GET", url: "/openapi.json" })).body;
    doc = JSON.parse(text) as Document;
    file = join(temp.dir, "openapi.json");
    writeFileSync(file, text);
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const operations = (): [string, Operation][] =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
    );

  it("passes `redocly lint` with no errors (offline: telemetry and update checks off)", async () => {
    const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };
    const outcome = await run(REDOCLY, ["lint", file, "--format", "json"], { env, maxBuffer: 16 << 20, timeout: 120_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? "", stderr: error.stderr ?? "" }),
    );
    const report = JSON.parse(outcome.stdout.slice(outcome.stdout.indexOf("{"))) as {
      totals: { errors: number };
      problems: { message: string }[];
    };
    expect(report.problems.filter((p) => (p as { severity?: string }).severity === "error")).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 150_000);

  it("gives every operation an operationId, a success response and a security requirement", () => {
    const ids = new Set<string>();
    for (const [name, op] of operations()) {
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z0-9]+$/u);
      ids.add(op.operationId ?? "");
      expect(
        Object.keys(op.responses).some((code) => /^2\d\d$/u.test(code)),
        name,
      ).toBe(true);
      expect(op.security, name).toBeDefined();
    }
    expect(ids.size).toBe(operations().length);
    expect(doc.servers).toHaveLength(1);
  });

  it("documents the 202 and Location of POST /v1/runs and every result format", () => {
    const start = doc.paths["/v1/runs"]?.["post"];
    expect(Object.keys(start?.responses ?? {})).toEqual(expect.arrayContaining(["200", "202"]));
    expect(start?.responses["202"]?.headers).toHaveProperty("Location");
    const table = doc.paths["/v1/runs/{runId}/results/{level}"]?.["get"];
    expect(Object.keys(table?.responses["200"]?.content ?? {})).toEqual([
      "application/json",
      "text/csv",
      "application/vnd.apache.arrow.file",
      "application/vnd.apache.parquet",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]);
    expect(table?.responses).toHaveProperty("304");
  });

  it("asks for the key (X-API-Key or Bearer) on writes only", () => {
    for (const [name, op] of operations()) {
      const write = name.startsWith("DELETE") || (name.startsWith("POST") && name !== "POST /v1/scenarios/validate");
      if (!write) expect(op.security, name).toEqual([]);
      else expect(op.security, name).toEqual([{ apiKey: [] }, { bearerAuth: [] }, ...(apiKey === undefined ? [{}] : [])]);
    }
  });
});
