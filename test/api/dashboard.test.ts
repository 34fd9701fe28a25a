import { describe, expect, it } from "vitest";
import { useTestApp } from "./helpers.js";

/** The static side of the dashboard (built by `npm run build`); the browser test drives it. */
describe("dashboard files", () => {
  const server = useTestApp();

  it("keeps the coded JSON 404 for paths that are neither a file nor the API", async () => {
    const response = await server.app.inject({ method: "GET", url: "/nothing.js" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: "FD_ERR_NOT_FOUND" });
  });

  it("serves the page at / with its bundled script and style sheet, no outside address", async () => {
    const page = await server.app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/u);
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.body).not.toMatch(/https?:\/\//u);
    const script = await server.app.inject({ method: "GET", url: "/app.js" });
    expect(script.headers["content-type"]).toMatch(/javascript/u);
    expect((await server.app.inject({ method: "GET", url: "/style.css" })).headers["content-type"]).toMatch(/^text\/css/u);
  });
});
