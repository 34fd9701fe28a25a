import { FordelingError, type ErrorLocation } from "../errors.js";
import { CsvColumns, readCsv } from "../io/csv.js";
import { dataFile } from "../paths.js";
import type { Geography } from "./geography.js";

/**
 * The postal-code pieces of data/geo/areas.csv: one per postal code × municipality, with a point
 * inside the piece and its land area. Looked up by a four-digit code; Copenhagen's grouped
 * codes (1000-1499, 1500-1799, 1800-1999) answer for every code in their range.
 */
export const AREAS_FILE = dataFile("geo/areas.csv");

export interface PostalArea {
  /** As in the file: "8500", or a range "1000-1499". */
  postalCode: string;
  name: string;
  municipalityIndex: number;
  lat: number;
  lon: number;
  areaKm2: number;
}

export interface PostalAreas {
  areas: PostalArea[];
  /** The piece of `postalCode` in the municipality; coded errors for unknown codes or another municipality. */
  find(municipalityIndex: number, postalCode: string, where: ErrorLocation): PostalArea;
}

export function loadPostalAreas(geography: Geography, file = AREAS_FILE): PostalAreas {
  const col = new CsvColumns(readCsv(file), ["postnr", "area_name", "kommunekode", "lat", "lon", "area_km2"]);
  const areas: PostalArea[] = [];
  for (let r = 0; r < col.rowCount; r++) {
    const code = col.number(r, "kommunekode", { integer: true });
    const municipalityIndex = geography.municipalityIndexByCode[code] ?? -1;
    if (municipalityIndex < 0)
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `${code} is not one of the 98 municipality codes`, {
        file,
        row: r + 2,
        column: "kommunekode",
      });
    areas.push({
      postalCode: col.text(r, "postnr"),
      name: col.text(r, "area_name"),
      municipalityIndex,
      lat: col.number(r, "lat", { min: 54, max: 58 }),
      lon: col.number(r, "lon", { min: 7, max: 16 }),
      areaKm2: col.number(r, "area_km2", { min: 0 }),
    });
  }
  const byCode = new Map<number, PostalArea[]>();
  for (const area of areas) {
    const [from, to] = area.postalCode.split("-").map(Number);
    for (let code = from!; code <= (to ?? from!); code++) byCode.set(code, [...(byCode.get(code) ?? []), area]);
  }
  return {
    areas,
    find(municipalityIndex, postalCode, where) {
      const pieces = byCode.get(/^\d{4}$/u.test(postalCode) ? Number(postalCode) : Number.NaN);
      if (pieces === undefined) {
        throw new FordelingError(
          "FD_ERR_UNKNOWN_POSTAL_CODE",
          `'${postalCode}' is not a Danish postal code (four digits, data/geo/areas.csv)`,
          where,
        );
      }
      const piece = pieces.find((a) => a.municipalityIndex === municipalityIndex);
      if (piece === undefined) {
        const reaches = [...new Set(pieces.map((a) => geography.municipalities[a.municipalityIndex]!.code))].join(", ");
        throw new FordelingError(
          "FD_ERR_UNKNOWN_POSTAL_CODE",
          `postal code ${postalCode} does not reach this row's municipality (it lies in ${reaches})`,
          where,
        );
      }
      return piece;
    },
  };
}
