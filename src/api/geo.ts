import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fresh from "fresh";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { FordelingError } from "../errors.js";
import { dataFile } from "../paths.js";

/** The boundary layers served to maps; files and their sources: data/geo/SOURCES.md. */
export const GEO_LAYERS = {
  municipalities: {
    file: "geo/municipalities.geojson",
    summary: "Boundaries of the 98 municipalities (GeoJSON, WGS84, simplified for maps)",
  },
  councils: {
    file: "geo/councils.geojson",
    summary: "Boundaries of the 17 health councils (GeoJSON, WGS84, unions of their municipalities)",
  },
} as const;
export type GeoLayer = keyof typeof GEO_LAYERS;

export const GEO_MEDIA_TYPE = "application/geo+json";
/** The attribution the boundary source asks for (data/geo/SOURCES.md). */
export const GEO_ATTRIBUTION = "Contains data from Geodatastyrelsen (DAGI/FOT, 2014)";

export interface GeoBody {
  body: Buffer;
  etag: string;
}

/** A layer's bytes as shipped, with a strong ETag over them. */
export function readGeoLayer(layer: GeoLayer): GeoBody {
  const file = dataFile(GEO_LAYERS[layer].file);
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (cause) {
    throw new FordelingError("FD_ERR_INTERNAL", `the boundary file is missing: ${(cause as Error).message}`, { file }, { cause });
  }
  return { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

/**
 * The boundary layers, read once at start-up and sent as the shipped bytes, so a client's
 * cached copy stays valid until the data files change: 304 on a matching If-None-Match.
 */
export function geoRoutes(app: FastifyInstance): void {
  for (const layer of Object.keys(GEO_LAYERS) as GeoLayer[]) {
    const geo = readGeoLayer(layer);
    app.get(
      `/v1/reference/geo/${layer}`,
      {
        schema: {
          summary: GEO_LAYERS[layer].summary,
          description: `A GeoJSON FeatureCollection as shipped in data/${GEO_LAYERS[layer].file}. Attribution: ${GEO_ATTRIBUTION}.`,
          tags: ["reference"],
          operationId: layer === "municipalities" ? "getMunicipalityBoundaries" : "getCouncilBoundaries",
          response: {
            200: {
              description: "the layer, with an ETag",
              content: { [GEO_MEDIA_TYPE]: { schema: { type: "object", additionalProperties: true } } },
            },
            304: { description: "not modified: the If-None-Match ETag is current", type: "null" },
          },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        reply.header("etag", geo.etag).header("cache-control", "public, max-age=3600, must-revalidate");
        if (fresh(request.headers, { etag: geo.etag })) return reply.status(304).send();
        return reply.type(GEO_MEDIA_TYPE).send(geo.body);
      },
    );
  }
}
