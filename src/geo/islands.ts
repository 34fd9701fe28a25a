import { CsvColumns, readCsv } from "../io/csv.js";
import { dataFile } from "../paths.js";
import { containingPolygon, type BoundedPolygon, type MunicipalityBoundaries } from "./boundaries.js";
import type { Geography } from "./geography.js";

/**
 * Every non-bridged island: the five municipalities that are whole islands (island_no_bridge in
 * data/kommuner.csv) and the small islands of data/geo/small_islands.csv (members of the small
 * islands' association: inhabited, no bridge, inside a mainland municipality). The island
 * exception of the law covers them all; a resident there reaches only GPs on the same island.
 */

export const SMALL_ISLANDS_FILE = dataFile("geo/small_islands.csv");

/** Island id 0: the mainland and every bridged island (Zealand, Funen, Lolland, Als, Mors…). */
export const MAINLAND = 0;

export interface Island {
  /** 1…n; residents' and clinics' locations carry it. */
  id: number;
  name: string;
  kind: "municipality" | "small";
  municipalityIndex: number;
  municipalityCode: number;
  lat: number;
  lon: number;
  /** Residents as published (1 Jan 2026 for island municipalities, the latest SaDS figure for small islands). */
  populationPublished: number;
  populationYear: number;
  /** The island's own polygon in the municipality's geometry; undefined where the layer has none (Mandø). */
  polygon: BoundedPolygon | undefined;
}

/** Island municipalities first (ascending code), then small islands in file order. */
export function loadIslands(geography: Geography, boundaries: MunicipalityBoundaries, file = SMALL_ISLANDS_FILE): Island[] {
  const islands: Island[] = geography.municipalities
    .filter((m) => m.islandNoBridge)
    .map((m, i) => ({
      id: i + 1,
      name: m.name,
      kind: "municipality",
      municipalityIndex: m.index,
      municipalityCode: m.code,
      lat: m.lat,
      lon: m.lon,
      populationPublished: m.population2026,
      populationYear: 2026,
      polygon: undefined,
    }));
  const table = readCsv(file);
  const col = new CsvColumns(table, [
    "island",
    "kommunekode",
    "lat",
    "lon",
    "bridged",
    "population_2006",
    "population_recent",
    "population_recent_year",
  ]);
  for (let r = 0; r < col.rowCount; r++) {
    // Thurø (bridged, a control row) and Christiansø (no municipality) are not islands of the exception here.
    if (col.text(r, "bridged") !== "no" || col.text(r, "kommunekode") === "") continue;
    const code = col.number(r, "kommunekode", { integer: true });
    const municipalityIndex = geography.municipalityIndexByCode[code] ?? -1;
    const lat = col.number(r, "lat", { min: 54, max: 58 });
    const lon = col.number(r, "lon", { min: 7, max: 16 });
    const recent = col.optionalNumber(r, "population_recent");
    const polygon = containingPolygon(boundaries, municipalityIndex, lat, lon);
    const largest = Math.max(...(boundaries.polygons[municipalityIndex] ?? []).map((p) => p.areaKm2));
    islands.push({
      id: islands.length + 1,
      name: col.text(r, "island"),
      kind: "small",
      municipalityIndex,
      municipalityCode: code,
      lat,
      lon,
      populationPublished: recent ?? col.number(r, "population_2006", { min: 0, integer: true }),
      populationYear: recent === undefined ? 2006 : col.number(r, "population_recent_year", { integer: true }),
      // The municipality's main polygon holds the point when the island is no polygon of its own.
      polygon: polygon !== undefined && polygon.areaKm2 < largest ? polygon : undefined,
    });
  }
  return islands;
}
