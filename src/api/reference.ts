import type { FastifyInstance } from "fastify";
import { FordelingError } from "../errors.js";
import { defaultGeography } from "../geo/geography.js";
import { defaultParameterFile } from "../model/parameters.js";
import { defaultWeightTable } from "../model/weightTable.js";
import { SCENARIO_JSON_SCHEMA } from "../model/scenario.js";
import { COUNCIL_RESPONSE, MODEL_DOCUMENT_RESPONSE, MUNICIPALITY_RESPONSE, ok, okList, REGION_RESPONSE } from "./responseSchemas.js";

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * Reference areas and the model's tables. They never change while the server runs, so each is
 * serialised once at start-up and sent as text (serialising per request is what caps
 * throughput: docs/API.md, "Performance").
 */
export function referenceRoutes(app: FastifyInstance): void {
  const geography = defaultGeography();
  const councilOf = (index: number) => geography.councils[index]?.id ?? "";
  const municipalities = geography.municipalities.map((m) => ({
    code: m.code,
    name: m.name,
    council: councilOf(m.councilIndex),
    region2007: m.region2007,
    region2027: m.region2027,
    population2025: m.population2025,
    population2026: m.population2026,
    areaKm2: m.areaKm2,
    lat: m.lat,
    lon: m.lon,
    islandNoBridge: m.islandNoBridge,
    lifeExpectancyYears: m.lifeExpectancyYears ?? null,
  }));
  const councils = geography.councils.map((c) => {
    const members = c.municipalityIndices.map((i) => geography.municipalities[i]).filter((m) => m !== undefined);
    return {
      id: c.id,
      name: c.name,
      region2027: members[0]?.region2027 ?? "",
      municipalityCodes: members.map((m) => m.code),
      population2026: members.reduce((s, m) => s + m.population2026, 0),
    };
  });
  const regions = (["region2007", "region2027"] as const).flatMap((key) => {
    const names = [...new Set(geography.municipalities.map((m) => m[key]))].sort((a, b) => a.localeCompare(b, "da"));
    return names.map((name) => {
      const members = geography.municipalities.filter((m) => m[key] === name);
      return {
        name,
        period: key === "region2007" ? "2007-2026" : "from-2027",
        municipalityCodes: members.map((m) => m.code),
        councils: key === "region2027" ? [...new Set(members.map((m) => councilOf(m.councilIndex)))] : [],
        population2026: members.reduce((s, m) => s + m.population2026, 0),
      };
    });
  });

  const serialised = {
    municipalities: JSON.stringify(municipalities),
    councils: JSON.stringify(councils),
    regions: JSON.stringify(regions),
    weightTable: JSON.stringify(defaultWeightTable()),
    parameters: JSON.stringify(defaultParameterFile()),
    scenarioSchema: JSON.stringify(SCENARIO_JSON_SCHEMA),
  };
  const byCode = new Map(municipalities.map((m) => [m.code, JSON.stringify(m)]));
  const byCouncil = new Map(councils.map((c) => [c.id, JSON.stringify(c)]));

  const list = (url: string, operationId: string, summary: string, body: string, response: object, tags = ["reference"]): void => {
    app.get(url, { schema: { summary, tags, operationId, response } }, async (_request, reply) => reply.type(JSON_TYPE).send(body));
  };
  const model = (description: string) => ok(MODEL_DOCUMENT_RESPONSE, description);
  list(
    "/v1/reference/municipalities",
    "listMunicipalities",
    "The 98 municipalities with their council, regions and populations",
    serialised.municipalities,
    okList(MUNICIPALITY_RESPONSE, "the municipalities, by code"),
  );
  list(
    "/v1/reference/councils",
    "listCouncils",
    "The 17 health councils (sundhedsråd) and their municipalities",
    serialised.councils,
    okList(COUNCIL_RESPONSE, "the health councils"),
  );
  list(
    "/v1/reference/regions",
    "listRegions",
    "The 5 regions of 2007-2026 and the 4 regions from 2027",
    serialised.regions,
    okList(REGION_RESPONSE, "the regions of both periods"),
  );
  list(
    "/v1/model/weight-table",
    "getWeightTable",
    "The default disease-weight table (illustrative; replaceable by a file)",
    serialised.weightTable,
    model("the weight table"),
    ["model"],
  );
  list(
    "/v1/model/parameters",
    "getParameters",
    "The baseline projection parameters with sources and distributions",
    serialised.parameters,
    model("the parameter file"),
    ["model"],
  );
  list(
    "/v1/model/scenario-schema",
    "getScenarioSchema",
    "The JSON schema every scenario is validated against",
    serialised.scenarioSchema,
    model("a JSON schema"),
    ["model"],
  );

  app.get<{ Params: { code: number } }>(
    "/v1/reference/municipalities/:code",
    {
      schema: {
        summary: "One municipality by its 3-digit code",
        tags: ["reference"],
        operationId: "getMunicipality",
        response: ok(MUNICIPALITY_RESPONSE, "the municipality"),
        params: { type: "object", required: ["code"], properties: { code: { type: "integer", minimum: 100, maximum: 999 } } },
      },
    },
    async (request, reply) => {
      const body = byCode.get(request.params.code);
      if (body === undefined) {
        throw new FordelingError("FD_ERR_NOT_FOUND", `no municipality with code ${request.params.code}`, { field: "params.code" });
      }
      return reply.type(JSON_TYPE).send(body);
    },
  );
  app.get<{ Params: { councilId: string } }>(
    "/v1/reference/councils/:councilId",
    {
      schema: {
        summary: "One health council by its id (e.g. amager-og-vestegnen)",
        tags: ["reference"],
        operationId: "getCouncil",
        response: ok(COUNCIL_RESPONSE, "the health council"),
        params: { type: "object", required: ["councilId"], properties: { councilId: { type: "string", pattern: "^[a-z0-9-]{1,64}$" } } },
      },
    },
    async (request, reply) => {
      const body = byCouncil.get(request.params.councilId);
      if (body === undefined) {
        const known = councils.map((c) => c.id).join(", ");
        throw new FordelingError("FD_ERR_NOT_FOUND", `no council '${request.params.councilId}' (known: ${known})`, {
          field: "params.councilId",
        });
      }
      return reply.type(JSON_TYPE).send(body);
    },
  );
}
