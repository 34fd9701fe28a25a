import { dirname, isAbsolute, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { FordelingError } from "../errors.js";
import { defaultGeography } from "../geo/geography.js";
import { readDataFile } from "../io/readDataFile.js";
import { LEVERS_JSON_SCHEMA, checkLeverCouncils, type ScenarioLevers } from "./levers.js";
import { PARAMETER_KEYS, checkValue, defaultParameterFile, describeRange, type ParameterFile, type ParameterKey } from "./parameters.js";

/**
 * A scenario: a small set of overrides on the baseline parameters (data/model/parameters.json).
 * An overridden parameter takes the given value in every replication (its distribution, if any,
 * no longer applies): a scenario states a policy, not an uncertainty.
 * Format: data/model/scenario.schema.json, generated from the parameter file (a test keeps
 * the two equal), so every parameter is overridable and every range is the parameter's own.
 */
export interface Scenario {
  id: string;
  description?: string;
  parameters: Partial<Record<ParameterKey, number | string>>;
  /** Regional levers per council (src/model/levers.ts); absent = none. */
  levers?: ScenarioLevers;
}

/**
 * A scenario id is also a file name (`<id>.json` in the data dir), so it must be one the file
 * name rule accepts: no `..` anywhere and no trailing `.` (which would make `<id>..json`).
 */
export const SCENARIO_ID_PATTERN = "^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?<!\\.)$";
const ID_PATTERN = SCENARIO_ID_PATTERN;

export function makeScenarioSchema(file: ParameterFile): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of PARAMETER_KEYS) {
    const spec = file.parameters[key];
    const property: Record<string, unknown> = { description: spec.source };
    if (spec.type === "number" || spec.type === "integer") {
      property["type"] = spec.type;
      if (typeof spec.min === "number") property["minimum"] = spec.min;
      if (typeof spec.max === "number") property["maximum"] = spec.max;
    } else {
      property["type"] = "string";
      if (spec.type === "date") property["pattern"] = "^\\d{4}-\\d{2}-\\d{2}$";
    }
    properties[key] = property;
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://fordeling.example/scenario.schema.json",
    title: "fordeling scenario: overrides on the baseline projection parameters",
    type: "object",
    additionalProperties: false,
    required: ["id"],
    properties: {
      $schema: { type: "string" },
      id: { type: "string", pattern: ID_PATTERN, description: "short name used in result manifests" },
      description: { type: "string" },
      parameters: { type: "object", additionalProperties: false, properties },
      levers: LEVERS_JSON_SCHEMA,
    },
  };
}

export const SCENARIO_JSON_SCHEMA: Readonly<Record<string, unknown>> = makeScenarioSchema(defaultParameterFile());

let validator: ReturnType<Ajv["compile"]> | undefined;
function scenarioValidator(): ReturnType<Ajv["compile"]> {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(SCENARIO_JSON_SCHEMA);
  return validator;
}

/** One readable sentence per schema violation, naming the key and what is allowed. */
function describeError(error: ErrorObject, value: unknown): { field: string; text: string } {
  const parts = error.instancePath.split("/").slice(1);
  if (error.keyword === "additionalProperties") {
    const extra = String(error.params["additionalProperty"]);
    const inParameters = parts[0] === "parameters";
    const allowed = inParameters
      ? "a parameter of data/model/parameters.json (see docs/PROJECTION.md)"
      : parts[0] === "levers"
        ? "the lever's fields in data/model/scenario.schema.json"
        : "id, description, parameters, levers";
    return { field: [...parts, extra].join("."), text: `unknown key '${extra}' (allowed: ${allowed})` };
  }
  if (parts[0] === "parameters" && parts[1] !== undefined) {
    const key = parts[1] as ParameterKey;
    const spec = defaultParameterFile().parameters[key];
    const given = (value as { parameters?: Record<string, unknown> }).parameters?.[key];
    return {
      field: `parameters.${key}`,
      text: `'${key}' = ${JSON.stringify(given)} ${checkValue(spec, given) ?? `is invalid (allowed: ${describeRange(spec)})`}`,
    };
  }
  const field = parts.join(".") || "(top level)";
  if (error.keyword === "pattern" && parts[0] === "id") {
    return { field, text: "'id' must be 1-64 letters, digits, '.', '_' or '-'" };
  }
  return { field, text: `'${field}' ${error.message ?? "is invalid"}` };
}

/** Validates a parsed scenario (JSON or YAML); `source` labels errors and resolves relative files. */
export function scenarioFromJson(value: unknown, source = "<scenario>"): Scenario {
  const validate = scenarioValidator();
  if (!validate(value)) {
    const described = (validate.errors ?? []).map((e) => describeError(e, value));
    const unique = [...new Map(described.map((d) => [d.text, d])).values()];
    throw new FordelingError("FD_ERR_SCENARIO", unique.map((d) => d.text).join("; "), {
      file: source,
      field: unique[0]?.field ?? "(top level)",
    });
  }
  const raw = value as Scenario;
  const parameters: Partial<Record<ParameterKey, number | string>> = { ...(raw.parameters ?? {}) };
  // Dates and ranges the schema cannot express (date bounds) are checked against the spec.
  for (const [key, v] of Object.entries(parameters) as [ParameterKey, number | string][]) {
    const problem = checkValue(defaultParameterFile().parameters[key], v);
    if (problem !== undefined) {
      throw new FordelingError("FD_ERR_SCENARIO", `'${key}' = ${JSON.stringify(v)} ${problem}`, {
        file: source,
        field: `parameters.${key}`,
      });
    }
  }
  const table = parameters["model.weightTableFile"];
  if (typeof table === "string" && table !== "" && !isAbsolute(table) && !source.startsWith("<")) {
    parameters["model.weightTableFile"] = resolve(dirname(source), table);
  }
  if (raw.levers !== undefined) checkLeverCouncils(raw.levers, defaultGeography(), source);
  return {
    id: raw.id,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    parameters,
    ...(raw.levers !== undefined ? { levers: raw.levers } : {}),
  };
}

/** Reads a scenario file: YAML for .yaml/.yml, JSON otherwise. */
export function loadScenario(file: string): Scenario {
  return scenarioFromJson(readDataFile(file, "the scenario file", "FD_ERR_SCENARIO"), resolve(file));
}

/** The baseline: no overrides. */
export function baselineScenario(): Scenario {
  return { id: "baseline", description: "the baseline parameters, no overrides", parameters: {} };
}
