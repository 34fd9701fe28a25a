import type { Feature, FeatureCollection, Geometry } from "geojson";
import { readDataFile } from "../io/readDataFile.js";
import { dataFile } from "../paths.js";
import type { AccessReport } from "./accessReport.js";
import type { Geography } from "../geo/geography.js";

/**
 * The web-simplified municipality polygons (data/geo/municipalities.geojson) with the access
 * figures as properties: what `fordeling access --geojson` writes and the SVG map draws.
 */
export const WEB_MUNICIPALITIES_FILE = dataFile("geo/municipalities.geojson");

export interface AccessProperties {
  municipality_code: number;
  municipality_name: string;
  council_id: string;
  residents: number;
  residents_failing: number;
  share_failing: number | null;
  nearest_gp_km_p50: number | null;
  nearest_gp_km_p90: number | null;
  gps: number;
}

export function accessGeojson(
  report: AccessReport,
  geography: Geography,
  file = WEB_MUNICIPALITIES_FILE,
): FeatureCollection<Geometry, AccessProperties> {
  const source = readDataFile(file, "the municipality map", "FD_ERR_REFERENCE_DATA") as FeatureCollection;
  const features = source.features.flatMap((f): Feature<Geometry, AccessProperties>[] => {
    const code = Number((f.properties as { kommunekode?: unknown } | null)?.kommunekode);
    const index = geography.municipalityIndexByCode[code] ?? -1;
    const m = geography.municipalities[index];
    const a = report.municipalities[index];
    if (m === undefined || a === undefined) return [];
    return [
      {
        type: "Feature",
        geometry: f.geometry,
        properties: {
          municipality_code: m.code,
          municipality_name: m.name,
          council_id: geography.councils[m.councilIndex]!.id,
          residents: a.residents,
          residents_failing: a.residentsFailing,
          share_failing: a.shareFailing,
          nearest_gp_km_p50: a.nearestGpKmP50,
          nearest_gp_km_p90: a.nearestGpKmP90,
          gps: a.gps,
        },
      },
    ];
  });
  return { type: "FeatureCollection", features };
}
