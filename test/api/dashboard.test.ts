import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { makeTempDir, makeTestApp } from "./helpers.js";

/** The static side of the dashboard (built by `npm run build`); the browser test drives it. */
describe("dashboard files", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });

  it("keeps the coded JSON 404 for paths that are neither a file nor the API", async () => {
    const response = await app.inject({ method: "GET", url: "/nothing.js" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND" });
  });

  it("serves the page at / with its bundled script and style sheet, no outside address", async () => {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/u);
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.body).not.toMatch(/https?:\/\//u);
    const script = await app.inject({ method: "GET", url: "/app.js" });
    expect(script.headers["content-type"]).toMatch(/javascript/u);
    expect((await app.inject({ method: "GET", url: "/style.css" })).headers["content-type"]).toMatch(/^text\/css/u);
  });
});
