import { Ajv } from "ajv";
import { FordelingError } from "../errors.js";
import { scenarioFromJson, type Scenario } from "../model/scenario.js";
import { MAX_HORIZON_YEAR, MAX_REPLICATIONS } from "../projection/run.js";
import { BASE_YEAR } from "../projection/replication.js";

/**
 * One job on the queue: which run (everything that determines its replications) and which
 * range of replications. The worker trusts nothing in it: the shape is checked by a JSON
 * schema, the scenario by the scenario schema, and the data files are named by their SHA-256
 * only, so no file path from a payload reaches the worker's file system (it stores fetched
 * data under its cache dir as `<sha256>`).
 */
export const JOB_PAYLOAD_VERSION = 1;

/** Replications in one job at most: bounds a job's result (≈ 47 kB per replication to 2027, ≈ 250 kB to 2040). */
export const MAX_JOB_REPLICATIONS = 200;

/** A data file at most (the national population is ≈ 150 MB); a bigger declared size is refused. */
export const MAX_DATA_BYTES = 4 * 1024 ** 3;

export interface DataRef {
  sha256: string;
  bytes: number;
  /** Where the coordinator serves the file (http or https); the worker checks what it fetches against sha256. */
  url: string;
}

export interface JobPayload {
  version: typeof JOB_PAYLOAD_VERSION;
  runId: string;
  scenario: Scenario;
  seed: number;
  horizonYear: number;
  replications: number;
  population: DataRef;
  register: DataRef;
  /** First replication of the range and how many. */
  from: number;
  count: number;
}

const dataRef = {
  type: "object",
  additionalProperties: false,
  required: ["sha256", "bytes", "url"],
  properties: {
    sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
    bytes: { type: "integer", minimum: 1, maximum: MAX_DATA_BYTES },
    url: { type: "string", pattern: "^https?://", maxLength: 2048 },
  },
};

const PAYLOAD_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["version", "runId", "scenario", "seed", "horizonYear", "replications", "population", "register", "from", "count"],
  properties: {
    version: { const: JOB_PAYLOAD_VERSION },
    runId: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
    scenario: { type: "object" },
    seed: { type: "integer", minimum: 0, maximum: 0xffffffff },
    horizonYear: { type: "integer", minimum: BASE_YEAR + 1, maximum: MAX_HORIZON_YEAR },
    replications: { type: "integer", minimum: 1, maximum: MAX_REPLICATIONS },
    population: dataRef,
    register: dataRef,
    from: { type: "integer", minimum: 0, maximum: MAX_REPLICATIONS - 1 },
    count: { type: "integer", minimum: 1, maximum: MAX_JOB_REPLICATIONS },
  },
} as const;

let validator: ReturnType<Ajv["compile"]> | undefined;

/** The payload, checked; FD_ERR_JOB_PAYLOAD naming the first problem otherwise. */
export function checkJobPayload(value: unknown, jobId: string): JobPayload {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(PAYLOAD_SCHEMA);
  const fail = (field: string, message: string): never => {
    throw new FordelingError("FD_ERR_JOB_PAYLOAD", `job ${jobId}: ${message}`, { field });
  };
  if (!validator(value)) {
    const e = validator.errors?.[0];
    const field =
      e?.instancePath.split("/").slice(1).join(".") ||
      String(e?.params["missingProperty"] ?? e?.params["additionalProperty"] ?? "(top level)");
    fail(field, e?.instancePath === "" ? `the payload ${e.message ?? "is invalid"}` : `${field} ${e?.message ?? "is invalid"}`);
  }
  const payload = value as JobPayload;
  if (payload.from + payload.count > payload.replications) {
    fail("count", `replications ${payload.from}…${payload.from + payload.count - 1} lie outside the run's ${payload.replications}`);
  }
  const scenario = scenarioFromJson(payload.scenario, `<job ${jobId}>`);
  const table = scenario.parameters["model.weightTableFile"];
  // A file path would reach the worker's file system: distributed runs use the built-in table.
  if (typeof table === "string" && table !== "")
    fail("scenario.parameters.model.weightTableFile", "a weight table file cannot be used in a distributed run");
  return { ...payload, scenario };
}
