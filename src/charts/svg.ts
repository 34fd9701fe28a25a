import { readFileSync } from "node:fs";
import { dataFile } from "../paths.js";
import { echarts } from "./echarts.js";
import type { ChartSpec } from "./fan.js";
import { MAP_LAYERS } from "./map.js";

const GEO_FILES = { council: "geo/councils.geojson", municipality: "geo/municipalities.geojson" } as const;
let mapsRegistered = false;

/** The boundary layers of data/geo, registered with ECharts once per process. */
function registerMaps(): void {
  if (mapsRegistered) return;
  for (const level of ["council", "municipality"] as const) {
    const geoJson = JSON.parse(readFileSync(dataFile(GEO_FILES[level]), "utf8")) as Parameters<typeof echarts.registerMap>[1];
    echarts.registerMap(MAP_LAYERS[level].mapName, geoJson);
  }
  mapsRegistered = true;
}

/**
 * ECharts numbers an SVG's ids and style classes from process-wide counters (`zr<instance>-`,
 * `cls-<n>`), so the same chart drawn second in a process would come out in other bytes.
 * Renumbering them per document keeps written charts byte-identical for the same inputs.
 */
function renumberIds(svg: string): string {
  const classes = new Map<string, number>();
  return svg.replace(/zr\d+-/g, "zr0-").replace(/cls-(\d+)/g, (_match, n: string) => {
    const id = classes.get(n) ?? classes.size;
    classes.set(n, id);
    return `cls-${id}`;
  });
}

/** A chart rendered to an SVG document in Node, without a browser (ECharts server-side rendering). */
export function renderSvg(spec: ChartSpec): string {
  registerMaps();
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(spec.option);
    return `${renumberIds(chart.renderToSVGString())}\n`;
  } finally {
    chart.dispose();
  }
}
