import { FordelingError, type ErrorLocation } from "../errors.js";
import { polygonContains } from "./boundaries.js";
import { haversineKm } from "./distance.js";
import type { LocationTable } from "./locations.js";
import { defaultGeoParameters } from "./parameters.js";

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

export function makePlaceResolver(table: LocationTable, toleranceKm = defaultGeoParameters().coordinateToleranceKm): PlaceResolver {
  // Postal code → area locations (one per municipality the code reaches); ranges are expanded.
  const areasByCode = new Map<number, number[]>();
  for (const l of table.locations) {
    if (l.kind !== "area") continue;
    const [from, to] = l.postalCode.split("-").map(Number);
    for (let code = from!; code <= (to ?? from!); code++) areasByCode.set(code, [...(areasByCode.get(code) ?? []), l.id]);
  }
  const smallIslands = table.islands.filter((i) => i.kind === "small");

  return {
    byPostalCode(municipalityIndex, postalCode, where) {
      const code = /^\d{4}$/u.test(postalCode) ? Number(postalCode) : Number.NaN;
      const ids = areasByCode.get(code);
      if (ids === undefined) {
        throw new FordelingError("FD_ERR_UNKNOWN_POSTAL_CODE", `'${postalCode}' is not a Danish postal code (four digits, data/geo/areas.csv)`, where);
      }
      const id = ids.find((i) => table.locations[i]!.municipalityIndex === municipalityIndex);
      if (id === undefined) {
        const reaches = [...new Set(ids.map((i) => table.locations[i]!.municipalityCode))].join(", ");
        throw new FordelingError("FD_ERR_UNKNOWN_POSTAL_CODE", `postal code ${postalCode} does not reach this row's municipality (it lies in ${reaches})`, where);
      }
      return id;
    },
    byCoordinates(municipalityIndex, lat, lon, where) {
      if (!(Number.isFinite(lat) && Number.isFinite(lon) && lat >= 54 && lat <= 58 && lon >= 7 && lon <= 16)) {
        throw new FordelingError("FD_ERR_BAD_VALUE", `${lat}, ${lon} is not a position in Denmark (WGS84 degrees, lat 54–58, lon 7–16)`, where);
      }
      // A point on a small island's polygon resolves to that island, never across the water.
      const island = smallIslands.find((i) => i.municipalityIndex === municipalityIndex && i.polygon !== undefined && polygonContains(i.polygon, lat, lon));
      let best = -1;
      let bestKm = Infinity;
      for (const id of table.byMunicipality[municipalityIndex] ?? []) {
        const l = table.locations[id]!;
        if (island !== undefined && l.islandId !== island.id) continue;
        const km = haversineKm(lat, lon, l.lat, l.lon);
        if (km < bestKm) [best, bestKm] = [id, km];
      }
      const inside = bestKm <= toleranceKm || (table.boundaries.polygons[municipalityIndex] ?? []).some((p) => polygonContains(p, lat, lon));
      if (best < 0 || !inside) {
        const code = table.locations[table.byMunicipality[municipalityIndex]?.[0] ?? 0]?.municipalityCode;
        throw new FordelingError("FD_ERR_OUTSIDE_MUNICIPALITY", `${lat}, ${lon} lies outside municipality ${code ?? "?"} (more than ${toleranceKm} km from it)`, where);
      }
      return best;
    },
  };
}
