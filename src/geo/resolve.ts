import { FordelingError, type ErrorLocation } from "../errors.js";
import { polygonContains, withinMunicipality } from "./boundaries.js";
import { haversineKm } from "./distance.js";
import type { Geography } from "./geography.js";
import type { LocationTable } from "./locations.js";
import { defaultGeoParameters } from "./parameters.js";
import { loadPostalAreas, type PostalAreas } from "./postalAreas.js";

/**
 * Turns what a user's file says about a place (a postal code, or coordinates) into a location
 * id of the table, inside the municipality the row names. Unknown codes and coordinates outside
 * the municipality are coded errors that name the file, row and column.
 */
export interface PlaceResolver {
  /** `postalCode` as written, e.g. "8500" or "1050" (inside Copenhagen's grouped 1000-1499). */
  byPostalCode(municipalityIndex: number, postalCode: string, where: ErrorLocation): number;
  byCoordinates(municipalityIndex: number, lat: number, lon: number, where: ErrorLocation): number;
}

export function makePlaceResolver(
  table: LocationTable,
  geography: Geography,
  toleranceKm = defaultGeoParameters().coordinateToleranceKm,
): PlaceResolver {
  let postal: PostalAreas | undefined;
  // (municipality, postal code) → its area location; a piece on a small island resolves to the island.
  const areaLocation = new Map<string, number>();
  for (const l of table.locations) if (l.kind === "area") areaLocation.set(`${l.municipalityIndex}:${l.postalCode}`, l.id);
  const smallIslands = table.islands.filter((i) => i.kind === "small");

  const resolver: PlaceResolver = {
    byPostalCode(municipalityIndex, postalCode, where) {
      postal ??= loadPostalAreas(geography);
      const area = postal.find(municipalityIndex, postalCode, where);
      // A piece on a small island is no location of its own: its point resolves to the island.
      return (
        areaLocation.get(`${municipalityIndex}:${area.postalCode}`) ?? resolver.byCoordinates(municipalityIndex, area.lat, area.lon, where)
      );
    },
    byCoordinates(municipalityIndex, lat, lon, where) {
      if (!(Number.isFinite(lat) && Number.isFinite(lon) && lat >= 54 && lat <= 58 && lon >= 7 && lon <= 16)) {
        throw new FordelingError(
          "FD_ERR_BAD_VALUE",
          `${lat}, ${lon} is not a position in Denmark (WGS84 degrees, lat 54–58, lon 7–16)`,
          where,
        );
      }
      // A point on a small island's polygon resolves to that island, never across the water.
      const island = smallIslands.find(
        (i) => i.municipalityIndex === municipalityIndex && i.polygon !== undefined && polygonContains(i.polygon, lat, lon),
      );
      const { id: best, km: bestKm } = nearest(municipalityIndex, lat, lon, island?.id);
      const inside = bestKm <= toleranceKm || withinMunicipality(table.boundaries, municipalityIndex, lat, lon, toleranceKm);
      if (best < 0 || !inside) {
        const code = table.locations[table.byMunicipality[municipalityIndex]?.[0] ?? 0]?.municipalityCode;
        throw new FordelingError(
          "FD_ERR_OUTSIDE_MUNICIPALITY",
          `${lat}, ${lon} lies outside municipality ${code ?? "?"} (more than ${toleranceKm} km from it)`,
          where,
        );
      }
      return best;
    },
  };
  return resolver;

  /** The municipality's nearest location (on `islandId` when given). */
  function nearest(municipalityIndex: number, lat: number, lon: number, islandId?: number): { id: number; km: number } {
    let best = { id: -1, km: Infinity };
    for (const id of table.byMunicipality[municipalityIndex] ?? []) {
      const l = table.locations[id]!;
      if (islandId !== undefined && l.islandId !== islandId) continue;
      const km = haversineKm(lat, lon, l.lat, l.lon);
      if (km < best.km) best = { id, km };
    }
    return best;
  }
}
