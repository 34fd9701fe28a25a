import type { FastifyInstance } from "fastify";
import secureJson from "secure-json-parse";
import { FordelingError } from "../errors.js";

/**
 * Deepest nesting of arrays and objects a body may have. A scenario nests four levels; the
 * bound keeps a `[[[[…` body under the size limit from overflowing the stack in validation
 * and error reporting (it would otherwise end in a 500).
 */
export const MAX_BODY_DEPTH = 32;

/** The nesting depth of a JSON text, counted without parsing (brackets inside strings do not count). */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Replaces Fastify's JSON body parser: the same parsing (secure-json-parse), plus a depth bound,
 * and errors that say what is wrong with the body instead of calling every refusal invalid
 * JSON (a `__proto__` key is valid JSON, just not accepted).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(new FordelingError("FD_ERR_BAD_VALUE", "the body is empty; send a JSON object", { field: "body" }), undefined);
      return;
    }
    if (jsonDepthExceeds(text, MAX_BODY_DEPTH)) {
      const message = `the body nests arrays or objects deeper than ${MAX_BODY_DEPTH} levels`;
      done(new FordelingError("FD_ERR_BAD_VALUE", message, { field: "body" }), undefined);
      return;
    }
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: "error", constructorAction: "error" }));
    } catch (error) {
      const message = (error as Error).message;
      const forbidden = /prototype property/u.test(message);
      done(
        new FordelingError(
          "FD_ERR_BAD_VALUE",
          forbidden
            ? "the body has a key named '__proto__' or 'constructor.prototype', which is never accepted"
            : `the body is not valid JSON: ${message}`,
          { field: "body" },
        ),
        undefined,
      );
    }
  });
}
