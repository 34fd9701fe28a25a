import { geoArea, geoMercator, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from "geojson";
import type { AccessProperties } from "./accessGeojson.js";

/**
 * An SVG choropleth of the share of residents who cannot choose between two GPs within the
 * radius, per municipality. d3-geo projects the coordinates (Mercator fitted to the frame);
 * the classes are fixed so maps of different runs compare (ColorBrewer OrRd, 5 classes).
 */
export const SHARE_CLASSES = [
  { upTo: 0, colour: "#fef0d9", label: "none" },
  { upTo: 0.01, colour: "#fdcc8a", label: "up to 1 %" },
  { upTo: 0.05, colour: "#fc8d59", label: "1–5 %" },
  { upTo: 0.2, colour: "#e34a33", label: "5–20 %" },
  { upTo: 1, colour: "#b30000", label: "over 20 %" },
] as const;
const NO_DATA = "#cccccc";

export function shareColour(share: number | null): string {
  if (share === null) return NO_DATA;
  return SHARE_CLASSES.find((c) => share <= c.upTo)?.colour ?? SHARE_CLASSES[4].colour;
}

/**
 * d3-geo reads rings on the sphere, exterior clockwise; RFC 7946 files (mapshaper's output) wind
 * the other way, which d3 would take as "the whole globe minus Denmark". A feature whose
 * spherical area exceeds a hemisphere is wound the wrong way and gets its rings reversed.
 */
function d3Winding(feature: Feature<Geometry, AccessProperties>): Feature<Geometry, AccessProperties> {
  if (geoArea(feature) <= 2 * Math.PI) return feature;
  const g = feature.geometry;
  if (g.type === "Polygon") return { ...feature, geometry: { ...g, coordinates: g.coordinates.map((r) => [...r].reverse()) } as Polygon };
  if (g.type === "MultiPolygon") {
    return { ...feature, geometry: { ...g, coordinates: g.coordinates.map((p) => p.map((r) => [...r].reverse())) } as MultiPolygon };
  }
  return feature;
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/gu, (c) => `&#${c.charCodeAt(0)};`);

export function accessMapSvg(collection: FeatureCollection<Geometry, AccessProperties>, title: string, width = 800, height = 640): string {
  const features = collection.features.map(d3Winding);
  const frame = { type: "FeatureCollection", features } as FeatureCollection<Geometry, AccessProperties>;
  const legendWidth = 170;
  const projection = geoMercator().fitExtent(
    [
      [10, 40],
      [width - legendWidth, height - 10],
    ],
    frame,
  );
  const path = geoPath(projection);
  const pct = (v: number | null): string => (v === null ? "n/a" : `${(100 * v).toFixed(1)} %`);
  const shapes = features.map((f) => {
    const p = f.properties;
    const count = (v: number): string => Math.round(v).toLocaleString("en-US");
    const tip =
      `${p.municipality_name}: ${count(p.residents_failing)} of ${count(p.residents)} residents (${pct(p.share_failing)}) ` +
      `without two GPs within reach; nearest GP P50 ${p.nearest_gp_km_p50?.toFixed(1) ?? "n/a"} km`;
    const style = `fill="${shareColour(p.share_failing)}" stroke="#555" stroke-width="0.4"`;
    return `<path d="${path(f) ?? ""}" ${style} data-municipality-code="${p.municipality_code}"><title>${escapeXml(tip)}</title></path>`;
  });
  const legend = [...SHARE_CLASSES.map((c) => ({ colour: c.colour, label: c.label })), { colour: NO_DATA, label: "no residents" }].map(
    (c, i) =>
      `<rect x="${width - legendWidth + 10}" y="${60 + i * 22}" width="16" height="16" ` +
      `fill="${c.colour}" stroke="#555" stroke-width="0.4"/>` +
      `<text x="${width - legendWidth + 32}" y="${73 + i * 22}">${escapeXml(c.label)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="15">${escapeXml(title)}</text>`,
    ...shapes,
    `<text x="${width - legendWidth + 10}" y="50">share of residents</text>`,
    ...legend,
    `<text x="10" y="${height - 4}" font-size="9" fill="#555">` +
      "Boundaries: Geodatastyrelsen (DAGI/FOT, 2014). Towns: © OpenStreetMap contributors (ODbL).</text>",
    `</svg>`,
    "",
  ].join("\n");
}
