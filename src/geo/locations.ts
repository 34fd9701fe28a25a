import { createHash } from "node:crypto";
import { FordelingError } from "../errors.js";
import { CsvColumns, readCsv } from "../io/csv.js";
import { dataFile } from "../paths.js";
import { boundariesFor, polygonContains, type MunicipalityBoundaries } from "./boundaries.js";
import { haversineKm } from "./distance.js";
import { defaultGeography, type Geography } from "./geography.js";
import { loadIslands, MAINLAND, type Island } from "./islands.js";
import { defaultGeoParameters, type GeoParameters } from "./parameters.js";
import { AREAS_FILE, loadPostalAreas } from "./postalAreas.js";

/** Location id meaning "not known": the access measure spreads such residents over their municipality. */
export const NO_LOCATION = 0xffff;

/**
 * The locations table: the places residents live and clinics stand, about 4,400 points. A
 * resident carries a 2-byte location id instead of coordinates (docs/GEOGRAPHY.md).
 *
 * Built deterministically from data/geo (no seed): per municipality
 * - each small non-bridged island is one location holding its published population;
 * - OSM towns with a population tag hold the mainland residents in proportion to their tags
 *   (tags are weights, not counts: data/geo/SOURCES.md), at most 1 − minimumRuralShare of them;
 * - the rest (the rural remainder) spreads over the postal-area pieces by land area.
 * Points on a small island's polygon belong to that island; in the five island municipalities
 * every point belongs to the municipality's island.
 */

export const TOWNS_FILE = dataFile("geo/towns_osm.csv");

export type LocationKind = "island" | "town" | "area";

export interface Location {
  /** 0…n−1, dense, in municipality order. */
  id: number;
  municipalityIndex: number;
  municipalityCode: number;
  lat: number;
  lon: number;
  /** MAINLAND (0) or an Island id. */
  islandId: number;
  kind: LocationKind;
  /** Town name, postal area (`8500 Grenaa`) or island name. */
  name: string;
  /** Postal code of an area piece ("1000-1499" for Copenhagen's grouped codes); "" otherwise. */
  postalCode: string;
  /** Expected share of the municipality's residents living here; shares sum to 1 per municipality. */
  residentShare: number;
  /**
   * Relative weight for placing a clinic here: a town's (or small island's) expected residents,
   * 0 for a town node in the water and for postal areas, which host clinics only in a
   * municipality without a tagged town on land (ten around Copenhagen), there by residents.
   */
  clinicWeight: number;
}

export interface LocationTable {
  locations: Location[];
  islands: Island[];
  /** Per municipality index: its location ids. */
  byMunicipality: number[][];
  /** Short content hash: a population file records it, so ids are never read against another table. */
  version: string;
  boundaries: MunicipalityBoundaries;
}

interface Point {
  municipalityIndex: number;
  lat: number;
  lon: number;
  name: string;
  postalCode: string;
  /** Population tag (towns) or land area in km² (areas). */
  size: number;
  onLand: boolean;
}

export function buildLocationTable(geography: Geography, params: GeoParameters = defaultGeoParameters()): LocationTable {
  const boundaries = boundariesFor(geography);
  const islands = loadIslands(geography, boundaries);
  const towns = readTowns(geography, boundaries);
  const areas = readAreas(geography);
  const islandOf = (p: Point): number => islandIdOf(p, islands, geography, params);

  const locations: Location[] = [];
  const byMunicipality: number[][] = geography.municipalities.map(() => []);
  const add = (l: Omit<Location, "id" | "municipalityCode">): void => {
    const id = locations.length;
    locations.push({ ...l, id, municipalityCode: geography.municipalities[l.municipalityIndex]!.code });
    byMunicipality[l.municipalityIndex]!.push(id);
  };

  for (const m of geography.municipalities) {
    const total = m.population2026;
    const small = islands.filter((i) => i.kind === "small" && i.municipalityIndex === m.index);
    const mainIsland = islands.find((i) => i.kind === "municipality" && i.municipalityIndex === m.index)?.id ?? MAINLAND;
    const onSmall = (p: Point): boolean => small.some((i) => i.id === islandOf(p));
    const islandResidents = small.reduce((s, i) => s + i.populationPublished, 0);
    const mainResidents = Math.max(0, total - islandResidents);
    const mTowns = towns.filter((t) => t.municipalityIndex === m.index && !onSmall(t));
    const mAreas = areas.filter((a) => a.municipalityIndex === m.index && !onSmall(a));
    const tagged = mTowns.reduce((s, t) => s + t.size, 0);
    const inTowns = Math.min(tagged, (1 - params.minimumRuralShare) * mainResidents);
    const rural = mainResidents - inTowns;
    const landKm2 = mAreas.reduce((s, a) => s + a.size, 0);
    if (total <= 0 || (rural > 0 && landKm2 <= 0)) {
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `municipality ${m.code} ${m.name} has residents but no postal area to place them`, {
        file: AREAS_FILE,
      });
    }
    for (const island of small) {
      const share = island.populationPublished / total;
      add({
        municipalityIndex: m.index,
        lat: island.lat,
        lon: island.lon,
        islandId: island.id,
        kind: "island",
        name: island.name,
        postalCode: "",
        residentShare: share,
        clinicWeight: island.populationPublished,
      });
    }
    for (const t of mTowns) {
      add({
        municipalityIndex: m.index,
        lat: t.lat,
        lon: t.lon,
        islandId: mainIsland,
        kind: "town",
        name: t.name,
        postalCode: "",
        residentShare: (inTowns * (t.size / tagged)) / total,
        // "Never on the water": a town point outside the detailed polygon (a coastal OSM node) hosts no clinic.
        clinicWeight: t.onLand ? inTowns * (t.size / tagged) : 0,
      });
    }
    const townOnLand = mTowns.some((t) => t.onLand);
    for (const a of mAreas) {
      const residents = rural * (a.size / landKm2);
      add({
        municipalityIndex: m.index,
        lat: a.lat,
        lon: a.lon,
        islandId: mainIsland,
        kind: "area",
        name: a.name,
        postalCode: a.postalCode,
        residentShare: residents / total,
        clinicWeight: townOnLand ? 0 : residents,
      });
    }
  }
  if (locations.length >= NO_LOCATION)
    throw new FordelingError("FD_ERR_REFERENCE_DATA", `${locations.length} locations do not fit a 2-byte id`);
  return { locations, islands, byMunicipality, version: tableVersion(locations), boundaries };
}

function islandIdOf(p: Point, islands: Island[], geography: Geography, params: GeoParameters): number {
  for (const island of islands) {
    if (island.kind !== "small" || island.municipalityIndex !== p.municipalityIndex) continue;
    const on =
      island.polygon !== undefined
        ? polygonContains(island.polygon, p.lat, p.lon)
        : haversineKm(p.lat, p.lon, island.lat, island.lon) <= params.islandWithoutPolygonRadiusKm;
    if (on) return island.id;
  }
  return geography.municipalities[p.municipalityIndex]!.islandNoBridge
    ? islands.find((i) => i.municipalityIndex === p.municipalityIndex)!.id
    : MAINLAND;
}

function readTowns(geography: Geography, boundaries: MunicipalityBoundaries): Point[] {
  const table = readCsv(TOWNS_FILE);
  const col = new CsvColumns(table, ["name", "place_type", "kommunekode", "lat", "lon", "population_osm_tag"]);
  const points: Point[] = [];
  for (let r = 0; r < col.rowCount; r++) {
    // Suburb tags are inconsistent (some equal a whole municipality) and overlap their city's tag.
    if (col.text(r, "place_type") === "suburb" || col.text(r, "population_osm_tag") === "") continue;
    const size = col.number(r, "population_osm_tag", { min: 0 });
    if (size <= 0) continue;
    const municipalityIndex = municipalityIndexAt(geography, col.number(r, "kommunekode", { integer: true }), TOWNS_FILE, r);
    const lat = col.number(r, "lat", { min: 54, max: 58 });
    const lon = col.number(r, "lon", { min: 7, max: 16 });
    const onLand = boundaries.polygons[municipalityIndex]!.some((p) => polygonContains(p, lat, lon));
    points.push({ municipalityIndex, lat, lon, name: col.text(r, "name"), postalCode: "", size, onLand });
  }
  return points;
}

function readAreas(geography: Geography): Point[] {
  // areas.csv gives a point inside the piece where the centroid falls in a bay: all on land.
  return loadPostalAreas(geography).areas.map((a) => ({
    municipalityIndex: a.municipalityIndex,
    lat: a.lat,
    lon: a.lon,
    name: `${a.postalCode} ${a.name}`,
    postalCode: a.postalCode,
    size: a.areaKm2,
    onLand: true,
  }));
}

function municipalityIndexAt(geography: Geography, code: number, file: string, r: number): number {
  const index = geography.municipalityIndexByCode[code] ?? -1;
  if (index < 0)
    throw new FordelingError("FD_ERR_REFERENCE_DATA", `${code} is not one of the 98 municipality codes`, {
      file,
      row: r + 2,
      column: "kommunekode",
    });
  return index;
}

function tableVersion(locations: Location[]): string {
  const hash = createHash("sha256");
  for (const l of locations) hash.update(`${l.municipalityCode},${l.lat},${l.lon},${l.islandId},${l.residentShare}\n`);
  return `locations/${locations.length}/${hash.digest("hex").slice(0, 12)}`;
}

let cached: LocationTable | undefined;
/** The built-in locations table, built once per process (about 0.2 s). */
export function defaultLocationTable(): LocationTable {
  cached ??= buildLocationTable(defaultGeography());
  return cached;
}

/** The locations table that goes with a geography: the cached built-in one for the default. */
export function locationTableFor(geography: Geography): LocationTable {
  return geography === defaultGeography() ? defaultLocationTable() : buildLocationTable(geography);
}
