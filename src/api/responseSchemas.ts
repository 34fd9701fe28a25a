/**
 * Success response schemas, used by the routes (`schema.response`) and so by the OpenAPI
 * document generated from them: client generators get the same shapes the server sends.
 * Objects allow additional properties so that a field added later is sent, not silently
 * dropped by the serialiser; nested documents (a scenario's parameters, a run's identity)
 * are described in their own endpoints and kept open here.
 */

const OPEN_OBJECT = { type: "object", additionalProperties: true } as const;
const LOCATION_HEADER = { type: "string", description: "the URL of the created or found resource" } as const;

export const SCENARIO_RESPONSE = {
  type: "object",
  additionalProperties: true,
  required: ["id", "parameters"],
  properties: {
    id: { type: "string" },
    description: { type: "string" },
    parameters: { ...OPEN_OBJECT, description: "parameter key → value; keys as in GET /v1/model/parameters" },
  },
} as const;

const RUN_PROGRESS = {
  type: "object",
  additionalProperties: true,
  properties: {
    phase: { type: "string" },
    completedUnits: { type: "integer" },
    totalUnits: { type: "integer" },
    fraction: { type: "number", minimum: 0, maximum: 1 },
    etaSeconds: { type: "number" },
  },
} as const;

export const RUN_RESPONSE = {
  type: "object",
  additionalProperties: true,
  required: ["id", "status", "createdAt", "links"],
  properties: {
    id: { type: "string", description: "a hash of everything that determines the result" },
    status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] },
    request: { ...OPEN_OBJECT, description: "the run request as accepted, defaults filled in" },
    identity: { ...OPEN_OBJECT, description: "what the run id hashes: model version, scenario, data fingerprints" },
    createdAt: { type: "string", format: "date-time" },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    progress: RUN_PROGRESS,
    error: { ...OPEN_OBJECT, description: "{ code, message, location } of a failed run" },
    links: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "self, cancel, and results and manifest once succeeded",
    },
  },
} as const;

const SUBMITTED_RUN = {
  ...RUN_RESPONSE,
  required: [...RUN_RESPONSE.required, "outcome"],
  properties: {
    ...RUN_RESPONSE.properties,
    outcome: {
      type: "string",
      enum: ["queued", "in-progress", "stored"],
      description: "new, already queued or running, or stored earlier",
    },
  },
} as const;

export const RUN_SUBMITTED_RESPONSES = {
  200: {
    description: "an identical run has a stored result; nothing is recomputed",
    headers: { Location: LOCATION_HEADER },
    ...SUBMITTED_RUN,
  },
  202: {
    description: "the run is queued (or an identical one is already queued or running)",
    headers: { Location: LOCATION_HEADER },
    ...SUBMITTED_RUN,
  },
} as const;

export const RUN_CANCELLED_RESPONSES = {
  200: { description: "the run has stopped (or had already finished)", ...RUN_RESPONSE },
  202: { description: "cancelling; the run has not stopped yet", ...RUN_RESPONSE },
} as const;

export const SCENARIO_STORED_RESPONSES = {
  200: { description: "the same scenario was already stored", headers: { Location: LOCATION_HEADER }, ...SCENARIO_RESPONSE },
  201: { description: "stored", headers: { Location: LOCATION_HEADER }, ...SCENARIO_RESPONSE },
} as const;

export const SERVICE_RESPONSE = {
  type: "object",
  required: ["service", "modelVersion", "queue"],
  properties: {
    service: { type: "string" },
    modelVersion: { type: "string" },
    queue: {
      type: "object",
      properties: { running: { type: "string", nullable: true }, queued: { type: "integer" } },
    },
    docs: { type: "string" },
    openapi: { type: "string" },
  },
} as const;

export const RESULT_INDEX_RESPONSE = {
  type: "object",
  required: ["runId", "levels", "years", "formats", "links"],
  properties: {
    runId: { type: "string" },
    levels: { type: "array", items: { type: "string" } },
    years: { type: "array", items: { type: "integer" } },
    formats: { type: "array", items: { type: "string" } },
    links: { type: "object", additionalProperties: { type: "string" } },
  },
} as const;

export const MANIFEST_RESPONSE = {
  ...OPEN_OBJECT,
  description: "scenario, seed, replications, years, model and data versions; file paths relative to the data dir or the package",
  properties: { scenario: SCENARIO_RESPONSE, seed: { type: "integer" }, replications: { type: "integer" } },
} as const;

/** Reference lists are serialised once at start-up; these schemas document what they hold. */
export const MUNICIPALITY_RESPONSE = {
  type: "object",
  additionalProperties: true,
  properties: {
    code: { type: "integer" },
    name: { type: "string" },
    council: { type: "string" },
    region2007: { type: "string" },
    region2027: { type: "string" },
    population2025: { type: "integer" },
    population2026: { type: "integer" },
    areaKm2: { type: "number" },
    lat: { type: "number" },
    lon: { type: "number" },
    islandNoBridge: { type: "boolean" },
    lifeExpectancyYears: { type: "number", nullable: true },
  },
} as const;

export const COUNCIL_RESPONSE = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    region2027: { type: "string" },
    municipalityCodes: { type: "array", items: { type: "integer" } },
    population2026: { type: "integer" },
  },
} as const;

export const REGION_RESPONSE = {
  type: "object",
  additionalProperties: true,
  properties: {
    name: { type: "string" },
    period: { type: "string", enum: ["2007-2026", "from-2027"] },
    municipalityCodes: { type: "array", items: { type: "integer" } },
    councils: { type: "array", items: { type: "string" } },
    population2026: { type: "integer" },
  },
} as const;

export const MODEL_DOCUMENT_RESPONSE = { ...OPEN_OBJECT, description: "a JSON document; its shape is described in docs/MODEL.md" } as const;

/** `{ 200: schema }` with a description, as OpenAPI wants one on every response. */
export function ok(schema: object, description: string): { 200: object } {
  return { 200: { description, ...schema } };
}

export function okList(items: object, description: string): { 200: object } {
  return { 200: { description, type: "array", items } };
}
