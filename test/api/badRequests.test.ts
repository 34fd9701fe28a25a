import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp } from "./helpers.js";

interface ErrorBody {
  code: string;
  message: string;
  location: { field?: string };
}

/** Writes raw bytes to the server and collects everything it answers until it closes the connection. */
function rawExchange(base: string, request: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let text = "";
    socket.on("data", (data) => (text += String(data)));
    socket.on("close", () => resolve(text));
    socket.on("error", (error) => (text === "" ? reject(error) : resolve(text)));
    socket.write(request);
  });
}

/** Bad requests over a real socket: every refusal has the project's `{ code, message, location }` body. */
describe("bad requests get the project's error body", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const send = async (path: string, init?: RequestInit): Promise<{ status: number; body: ErrorBody }> => {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: (await response.json()) as ErrorBody };
  };
  const postJson = (path: string, body: string) => send(path, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("refuses JSON nested 100,000 deep (under the size limit) with 400, not a stack overflow's 500", async () => {
    const deep = await postJson("/v1/runs", "[".repeat(100_000));
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "body" } });
    expect(deep.body.message).toMatch(/deeper than \d+ levels/u);
    const deepValue = `${"[".repeat(40)}1${"]".repeat(40)}`;
    const nestedValue = `{"scenario":{"id":"x","parameters":{"capacity.targetWeightedResidentsPerCapacity":${deepValue}}}}`;
    expect((await postJson("/v1/runs", nestedValue)).status).toBe(400);
  });

  it("reports a '__proto__' key as a refused key, not as invalid JSON", async () => {
    const answer = await postJson("/v1/runs", '{"seed": 1, "__proto__": {"replications": 5}}');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("FD_ERR_BAD_VALUE");
    expect(answer.body.message).toContain("__proto__");
    expect(answer.body.message).not.toContain("not valid JSON");
  });

  it("answers a path that is not valid percent-encoding with 400 and the project's body", async () => {
    const answer = await send("/v1/runs/%C3%28");
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "path" } });
  });

  it("answers headers beyond the size limit with 431 and the project's body", async () => {
    const raw = await rawExchange(base, `GET /v1 HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(40_000)}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 431 /u);
    const body = JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)) as ErrorBody;
    expect(body).toMatchObject({ code: "FD_ERR_HEADERS_TOO_LARGE", location: {} });
  });

  it("names the query field once when a compared run does not exist", async () => {
    const answer = await send(`/v1/compare?a=${"a".repeat(32)}&b=${"b".repeat(32)}`);
    expect(answer.status).toBe(404);
    expect(answer.body.location.field).toBe("query.a");
    expect(answer.body.message.match(/field '/gu)).toHaveLength(1);
    expect(answer.body.message).not.toContain("params.runId");
  });

  it("refuses scenario ids that cannot be file names ('a.', 'a..b') in the schema, naming body.id", async () => {
    const baseline = JSON.parse(readFileSync(join(import.meta.dirname, "../../scenarios/baseline.json"), "utf8")) as object;
    for (const id of ["a.", "a..b"]) {
      const answer = await postJson("/v1/scenarios", JSON.stringify({ ...baseline, id }));
      expect({ id, status: answer.status }).toEqual({ id, status: 400 });
      expect(answer.body).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { field: "body.id" } });
      // The schema's own refusal, not a later one about a file name the client never chose.
      expect(answer.body.message).toMatch(/must match/u);
      const checked = await postJson("/v1/scenarios/validate", JSON.stringify({ ...baseline, id }));
      expect(checked.body).toMatchObject({ valid: false });
    }
    expect((await postJson("/v1/scenarios", JSON.stringify({ ...baseline, id: "a.b" }))).status).toBe(201);
  });
});

describe("a client that stalls mid-request", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir, requestTimeoutMs: 300 }));
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });

  it("gets 408 with the project's body once the request timeout passes, and the connection is closed", async () => {
    // Headers never finished: the server must not wait for them forever.
    const raw = await rawExchange(base, "POST /v1/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n");
    expect(raw).toMatch(/^HTTP\/1\.1 408 /u);
    const body = JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)) as ErrorBody;
    expect(body).toMatchObject({ code: "FD_ERR_REQUEST_TIMEOUT", location: {} });
  });

  it("still answers a client that sends its request in time", async () => {
    expect((await fetch(`${base}/v1`)).status).toBe(200);
  });
});
