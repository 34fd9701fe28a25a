import { Ajv, type ErrorObject } from "ajv";
import type { FastifySchemaCompiler } from "fastify";
import { FordelingError } from "../errors.js";

/**
 * Two ajv instances behind Fastify's validation. Bodies are JSON and validated strictly: no
 * type coercion, and unknown keys are errors (Fastify's default would silently remove them,
 * which turns a misspelt scenario parameter into a baseline run). Query strings and path
 * parameters arrive as text, so that instance coerces "10" to 10.
 */
function makeAjv(coerceTypes: boolean | "array"): Ajv {
  return new Ajv({
    allErrors: false,
    coerceTypes,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    discriminator: true,
    // Errors carry their schema so messages can list what is allowed.
    verbose: true,
  });
}

export function makeValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const body = makeAjv(false);
  const text = makeAjv("array");
  return ({ schema, httpPart }) => (httpPart === "body" ? body : text).compile(schema as object);
}

const CONTEXT_NAMES: Record<string, string> = { querystring: "query", params: "params", body: "body", headers: "headers" };

/** Fastify's validation failure → FD_ERR_BAD_VALUE naming the field and what is allowed. */
export function validationError(errors: readonly ErrorObject[], context: string | undefined): FordelingError {
  const first = errors[0];
  const prefix = CONTEXT_NAMES[context ?? "body"] ?? context ?? "body";
  if (first === undefined) return new FordelingError("FD_ERR_BAD_VALUE", `the ${prefix} is invalid`, { field: prefix });
  const { field, text } = describe(first, prefix);
  return new FordelingError("FD_ERR_BAD_VALUE", text, { field });
}

function describe(error: ErrorObject, prefix: string): { field: string; text: string } {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/gu, "/").replace(/~0/gu, "~"));
  const at = (extra?: string): string => [prefix, ...path, ...(extra === undefined ? [] : [extra])].join(".");
  const params = error.params as Record<string, unknown>;
  const got = error.data === undefined ? "" : ` (got ${shortJson(error.data)})`;
  switch (error.keyword) {
    case "required": {
      const field = at(String(params["missingProperty"]));
      return { field, text: `'${field}' is required` };
    }
    case "additionalProperties": {
      const field = at(String(params["additionalProperty"]));
      const allowed = Object.keys((error.parentSchema?.["properties"] as object | undefined) ?? {});
      return { field, text: `'${field}' is not an allowed key (allowed: ${allowed.join(", ") || "none"})` };
    }
    case "enum": {
      const field = at();
      const allowed = (params["allowedValues"] as unknown[]).map(String).join(", ");
      return { field, text: `'${field}' must be one of ${allowed}${got}` };
    }
    case "discriminator": {
      const field = at(String(params["tag"]));
      const variants = Object.values((error.parentSchema?.["oneOf"] as { properties?: { [k: string]: { const?: unknown } } }[]) ?? [])
        .map((v) => v.properties?.[String(params["tag"])]?.const)
        .filter((v) => v !== undefined)
        .map(String);
      return { field, text: `'${field}' must be one of ${variants.join(", ")}` };
    }
    case "type":
      return { field: at(), text: `'${at()}' must be ${String(params["type"])}${got}` };
    case "pattern":
      return { field: at(), text: `'${at()}' must match ${String(params["pattern"])}${got}` };
    default:
      return { field: at(), text: `'${at()}' ${error.message ?? "is invalid"}${got}` };
  }
}

/** The offending value for a message: at most 120 characters, and never a throw (huge or cyclic data). */
function shortJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? "an array" : typeof value;
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
