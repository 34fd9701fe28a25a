import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from "geojson";
import { FordelingError } from "../errors.js";
import { readDataFile } from "../io/readDataFile.js";
import { dataFile } from "../paths.js";
import { haversineKm } from "./distance.js";
import { defaultGeography, type Geography } from "./geography.js";

/**
 * The detailed municipality polygons (data/geo/municipalities_detailed.geojson, full 1:500,000
 * resolution) for point-in-polygon work: which municipality or island a coordinate lies on.
 * Each polygon keeps its bounding box, so most tests end at four comparisons.
 */

export const DETAILED_MUNICIPALITIES_FILE = dataFile("geo/municipalities_detailed.geojson");

export interface BoundedPolygon {
  /** GeoJSON rings, [lon, lat]. */
  rings: Position[][];
  /** west, south, east, north in degrees. */
  bbox: [number, number, number, number];
  areaKm2: number;
}

export interface MunicipalityBoundaries {
  /** Per Geography municipality index: its polygons (islands are separate polygons). */
  polygons: BoundedPolygon[][];
}

export function loadMunicipalityBoundaries(geography: Geography, file = DETAILED_MUNICIPALITIES_FILE): MunicipalityBoundaries {
  const json = readDataFile(file, "the municipality boundaries", "FD_ERR_REFERENCE_DATA") as FeatureCollection;
  const polygons: BoundedPolygon[][] = geography.municipalities.map(() => []);
  for (const feature of json.features ?? []) {
    const code = Number((feature.properties as { kommunekode?: unknown } | null)?.kommunekode);
    const index = geography.municipalityIndexByCode[code] ?? -1;
    const geometry = feature.geometry as Polygon | MultiPolygon | null;
    if (index < 0 || geometry === null || (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")) {
      throw new FordelingError(
        "FD_ERR_REFERENCE_DATA",
        `feature with kommunekode '${String(code)}' is not a polygon of one of the 98 municipalities`,
        { file },
      );
    }
    const parts = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of parts) polygons[index]!.push(boundedPolygon(rings));
  }
  const missing = geography.municipalities.find((m) => polygons[m.index]!.length === 0);
  if (missing !== undefined)
    throw new FordelingError("FD_ERR_REFERENCE_DATA", `municipality ${missing.code} ${missing.name} has no polygon`, { file });
  return { polygons };
}

function boundedPolygon(rings: Position[][]): BoundedPolygon {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of rings[0] ?? []) {
    west = Math.min(west, lon!);
    east = Math.max(east, lon!);
    south = Math.min(south, lat!);
    north = Math.max(north, lat!);
  }
  return {
    rings,
    bbox: [west, south, east, north],
    areaKm2: ringAreaKm2(rings[0] ?? []) - rings.slice(1).reduce((s, r) => s + ringAreaKm2(r), 0),
  };
}

/** Planar shoelace area on an equirectangular projection at the ring's latitude: good to ~1 % at Danish sizes. */
function ringAreaKm2(ring: Position[]): number {
  const kmPerDegLat = 111.195;
  const meanLat = ring.reduce((s, p) => s + p[1]!, 0) / Math.max(1, ring.length);
  const kmPerDegLon = kmPerDegLat * Math.cos((meanLat * Math.PI) / 180);
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twice += ring[j]![0]! * kmPerDegLon * ring[i]![1]! * kmPerDegLat - ring[i]![0]! * kmPerDegLon * ring[j]![1]! * kmPerDegLat;
  }
  return Math.abs(twice) / 2;
}

export function polygonContains(polygon: BoundedPolygon, lat: number, lon: number): boolean {
  const [west, south, east, north] = polygon.bbox;
  if (lon < west || lon > east || lat < south || lat > north) return false;
  const feature: Feature<Polygon> = { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: polygon.rings } };
  return booleanPointInPolygon([lon, lat], feature);
}

/** The polygon of the municipality that holds the point, or undefined (water, or another municipality). */
export function containingPolygon(
  boundaries: MunicipalityBoundaries,
  municipalityIndex: number,
  lat: number,
  lon: number,
): BoundedPolygon | undefined {
  return boundaries.polygons[municipalityIndex]?.find((p) => polygonContains(p, lat, lon));
}

/** The municipality index whose polygon holds the point, or −1 (sea, abroad). */
export function municipalityAt(boundaries: MunicipalityBoundaries, lat: number, lon: number): number {
  return boundaries.polygons.findIndex((parts) => parts.some((p) => polygonContains(p, lat, lon)));
}

/**
 * Inside one of the municipality's polygons, or within `toleranceKm` of one of its vertices: the
 * 1:500,000 coastline cuts off harbours and beaches, so points just outside still belong to it.
 */
export function withinMunicipality(
  boundaries: MunicipalityBoundaries,
  municipalityIndex: number,
  lat: number,
  lon: number,
  toleranceKm: number,
): boolean {
  const parts = boundaries.polygons[municipalityIndex] ?? [];
  if (parts.some((p) => polygonContains(p, lat, lon))) return true;
  const margin = toleranceKm / 55; // degrees: 1° of longitude is at least 55 km in Denmark
  for (const p of parts) {
    const [west, south, east, north] = p.bbox;
    if (lon < west - margin || lon > east + margin || lat < south - margin || lat > north + margin) continue;
    for (const ring of p.rings) for (const [x, y] of ring) if (haversineKm(lat, lon, y!, x!) <= toleranceKm) return true;
  }
  return false;
}

let cached: MunicipalityBoundaries | undefined;
/** The built-in boundaries, loaded once per process. */
export function boundariesFor(geography: Geography): MunicipalityBoundaries {
  if (geography !== defaultGeography()) return loadMunicipalityBoundaries(geography);
  cached ??= loadMunicipalityBoundaries(geography);
  return cached;
}
