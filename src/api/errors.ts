import type { ErrorObject } from "ajv";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { FordelingError, isFordelingError } from "../errors.js";
import { validationError } from "./validation.js";

/** The body of every error response (also the OpenAPI `Error` schema). */
export const ERROR_RESPONSE_SCHEMA = {
  type: "object",
  required: ["code", "message", "location"],
  properties: {
    code: { type: "string", description: "a stable FD_ERR_* code (docs/ERRORS.md)" },
    message: { type: "string" },
    location: {
      type: "object",
      properties: { file: { type: "string" }, column: { type: "string" }, row: { type: "integer" }, field: { type: "string" } },
    },
  },
} as const;

/** Fastify's own failures mapped onto the table of codes. */
const FASTIFY_CODES: Record<string, FordelingError["code"]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "FD_ERR_REQUEST_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "FD_ERR_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "FD_ERR_BAD_VALUE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "FD_ERR_BAD_VALUE",
  FST_ERR_CTP_INVALID_JSON_BODY: "FD_ERR_BAD_VALUE",
};

export function toFordelingError(error: FastifyError | Error): FordelingError {
  if (isFordelingError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    return validationError(fastifyError.validation as unknown as ErrorObject[], fastifyError.validationContext);
  }
  const mapped = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (mapped !== undefined) return new FordelingError(mapped, fastifyError.message, { field: "body" });
  // JSON.parse failures arrive as SyntaxError with status 400.
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
    return new FordelingError("FD_ERR_BAD_VALUE", `the body is not valid JSON: ${error.message}`, { field: "body" });
  }
  return new FordelingError("FD_ERR_INTERNAL", "an unexpected error occurred; the server log has the details");
}

/** Every error leaves as `{ code, message, location }` with the code's status. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toFordelingError(error);
    if (mapped.code === "FD_ERR_INTERNAL") request.log.error({ err: error }, "unexpected error");
    if (mapped.code === "FD_ERR_QUEUE_FULL" && !reply.hasHeader("retry-after")) reply.header("retry-after", "30");
    return reply
      .status(mapped.httpStatus)
      .type("application/json; charset=utf-8")
      .send({ code: mapped.code, message: mapped.message, location: mapped.location });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? request.url;
    return reply
      .status(404)
      .send({ code: "FD_ERR_NOT_FOUND", message: `no route ${request.method} ${path} (the API lives under /v1; see /docs)`, location: {} });
  });
}
