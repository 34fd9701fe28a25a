import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { FordelingError } from "../errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A route that creates, changes or starts something: needs the API key when one is configured. */
    write?: boolean;
  }
}

/** Where clients put the key: `X-API-Key: KEY` or `Authorization: Bearer KEY`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers["x-api-key"];
  if (typeof header === "string") return header;
  const authorization = request.headers.authorization;
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/iu.exec(authorization);
  return match?.[1];
}

/**
 * Requires the key on every route marked `config: { write: true }` when `apiKey` is set.
 * Keys are compared as SHA-256 digests with timingSafeEqual: equal lengths, constant time.
 */
export function registerApiKey(app: FastifyInstance, apiKey: string | undefined): void {
  if (apiKey === undefined || apiKey === "") return;
  const expected = createHash("sha256").update(apiKey).digest();
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config.write !== true) return;
    const key = presentedKey(request);
    const given = createHash("sha256")
      .update(key ?? "")
      .digest();
    if (key === undefined || !timingSafeEqual(given, expected)) {
      throw new FordelingError(
        "FD_ERR_UNAUTHORIZED",
        key === undefined
          ? "this endpoint changes data and needs an API key (header 'X-API-Key' or 'Authorization: Bearer …')"
          : "the API key is not valid",
        { field: "headers.x-api-key" },
      );
    }
  });
}
