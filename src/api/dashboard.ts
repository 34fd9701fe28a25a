import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { FordelingError } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";

/** Where `npm run build` puts the dashboard (web/build.mjs). */
export const DASHBOARD_DIR = join(PACKAGE_ROOT, "dist", "web");

/**
 * The dashboard at `/`: static files only (page, bundled script, style sheet). Everything it
 * shows comes from the public API under /v1, like any other client.
 */
export async function registerDashboard(app: FastifyInstance): Promise<void> {
  if (!existsSync(join(DASHBOARD_DIR, "index.html"))) {
    app.get("/", { schema: { hide: true } }, async () => {
      throw new FordelingError("FD_ERR_NOT_FOUND", "the dashboard is not built; run `npm run build` (the API is under /v1, docs at /docs)");
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: DASHBOARD_DIR,
    prefix: "/",
    // Only the files that exist at start-up get routes; any other path reaches the API's 404.
    wildcard: false,
    index: ["index.html"],
    // @fastify/swagger-ui registers this plugin too; one reply decorator is enough.
    decorateReply: false,
    cacheControl: true,
    maxAge: 0,
    etag: true,
    schemaHide: true,
  });
}
