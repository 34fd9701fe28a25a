import type { ErrorObject } from "ajv";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import type { Socket } from "node:net";
import { ERROR_CODES, FordelingError, isFordelingError } from "../errors.js";
import { publicErrorBody } from "./serverPaths.js";
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

/** Codes that mean the server's own files failed it: logged, since no client can fix them. */
const SERVER_SIDE: ReadonlySet<FordelingError["code"]> = new Set(["FD_ERR_INTERNAL", "FD_ERR_STORE_CORRUPT", "FD_ERR_OUTPUT"]);

export function toFordelingError(error: FastifyError | Error): FordelingError {
  if (isFordelingError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    return validationError(fastifyError.validation as unknown as ErrorObject[], fastifyError.validationContext);
  }
  const mapped = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (mapped !== undefined) return new FordelingError(mapped, fastifyError.message, { field: "body" });
  // Fastify's other refusals of a request carry a 4xx status; anything else (a SyntaxError from
  // reading a stored file, say) is the server's failure, never the client's.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new FordelingError("FD_ERR_BAD_VALUE", fastifyError.message, { field: "request" });
  }
  return new FordelingError("FD_ERR_INTERNAL", "an unexpected error occurred; the server log has the details");
}

function sendError(reply: FastifyReply, error: FordelingError, dataDirRoot: string): FastifyReply {
  const body = publicErrorBody({ code: error.code, message: error.message, location: error.location }, dataDirRoot);
  return reply.status(error.httpStatus).type("application/json; charset=utf-8").send(body);
}

/** Every error leaves as `{ code, message, location }` with the code's status, and no server path in it. */
export function registerErrorHandling(app: FastifyInstance, dataDirRoot: string): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toFordelingError(error);
    if (SERVER_SIDE.has(mapped.code)) request.log.error({ err: error }, `request failed on the server's side (${mapped.code})`);
    if (mapped.code === "FD_ERR_QUEUE_FULL" && !reply.hasHeader("retry-after")) reply.header("retry-after", "30");
    return sendError(reply, mapped, dataDirRoot);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? request.url;
    return reply
      .status(404)
      .send({ code: "FD_ERR_NOT_FOUND", message: `no route ${request.method} ${path} (the API lives under /v1; see /docs)`, location: {} });
  });
}

/** One raw HTTP error response with the project's body, for failures before Fastify has a request. */
function rawErrorResponse(code: FordelingError["code"], message: string): string {
  const status = ERROR_CODES[code].httpStatus;
  const body = JSON.stringify({ code, message, location: {} });
  return (
    `HTTP/1.1 ${status} ${statusText(status)}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

function statusText(status: number): string {
  return { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" }[status] ?? "Error";
}

/**
 * Server options that route Fastify's framework-level refusals through the same error body:
 * a path that is not valid percent-encoding, an overlong path parameter, and the failures Node's
 * HTTP parser answers itself (header too large, request timeout, malformed request).
 */
export const FRAMEWORK_ERROR_OPTIONS: Pick<FastifyServerOptions, "frameworkErrors" | "clientErrorHandler"> = {
  frameworkErrors: (error, _request, fastifyReply) => {
    const reply = fastifyReply as FastifyReply;
    const code = (error as FastifyError).code;
    const message =
      code === "FST_ERR_BAD_URL"
        ? "the path is not valid percent-encoded UTF-8"
        : code === "FST_ERR_MAX_PARAM_LENGTH"
          ? "a path parameter is longer than allowed"
          : error.message;
    void reply
      .status(400)
      .type("application/json; charset=utf-8")
      .send({ code: "FD_ERR_BAD_VALUE", message, location: { field: "path" } });
  },
  clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const response =
      error.code === "HPE_HEADER_OVERFLOW"
        ? rawErrorResponse("FD_ERR_HEADERS_TOO_LARGE", "the request headers exceed the size limit")
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? rawErrorResponse("FD_ERR_REQUEST_TIMEOUT", "the request was not received in time")
          : rawErrorResponse("FD_ERR_BAD_VALUE", "the request is not valid HTTP");
    if (socket.writable) socket.write(response);
    socket.destroy(error);
  },
};
