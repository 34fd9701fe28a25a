import { label, type Language } from "./dictionary.js";
import type { ChartSpec } from "./fan.js";
import { formatNumber } from "./format.js";
import type { Measure } from "./measures.js";
import { DIVERGING, MUTED_TEXT, NO_DATA, SEQUENTIAL, TEXT } from "./palette.js";

/** The two boundary layers (data/geo/SOURCES.md) and the feature property that names an area. */
export const MAP_LAYERS = {
  council: { mapName: "fordeling-councils", nameProperty: "sundhedsraad" },
  municipality: { mapName: "fordeling-municipalities", nameProperty: "kommunekode" },
} as const;
export type MapLevel = keyof typeof MAP_LAYERS;

export interface MapArea {
  /** The feature's name property: the council's Danish name or the municipality code. */
  feature: string;
  /** What the area is called on screen. */
  title: string;
  /** An id the page opens on click (council id or municipality code). */
  id: string;
  value: number | null;
  /** More figures for the hover text: [label, formatted value]. */
  figures?: readonly (readonly [string, string])[];
}

export interface MapSettings {
  lang: Language;
  level: MapLevel;
  measure: Measure;
  /** None when there is no result to show (the title then names only the measure). */
  year: number | undefined;
  /** The legend's two ends, [high, low]; default by the measure (surplus/shortage or high/low). */
  legendEnds?: readonly [string, string];
  width?: number;
  height?: number;
  subtitle?: string;
}

/** cos(56° N): Denmark drawn without the east–west stretch of plain longitude/latitude. */
const EAST_WEST_SCALE_AT_56N = 0.56;

/**
 * A choropleth of councils or municipalities as an ECharts option: colour-blind-safe palette,
 * a legend with the measure's unit, hover text with the area's figures, the boundary source's
 * attribution. A signed measure gets a diverging palette centred on 0 (orange = shortage).
 */
export function choroplethMap(areas: readonly MapArea[], settings: MapSettings): ChartSpec {
  const { lang, measure } = settings;
  const width = settings.width ?? 700;
  const height = settings.height ?? 600;
  const unit = label(lang, measure.unit);
  const values = areas.map((a) => a.value).filter((v): v is number => v !== null && Number.isFinite(v));
  let min = values.length === 0 ? 0 : Math.min(...values);
  let max = values.length === 0 ? 1 : Math.max(...values);
  if (measure.diverging) {
    const m = Math.max(Math.abs(min), Math.abs(max)) || 1;
    [min, max] = [-m, m];
  } else if (min === max) max = min + 1;
  const format = (v: number | null): string => formatNumber(v, lang, measure.decimals);
  const layer = MAP_LAYERS[settings.level];
  const tooltip = (params: unknown): string => {
    const data = (params as { data?: MapArea & { value: number | null } }).data;
    if (data === undefined) return "";
    const rows = [
      [label(lang, measure.label), data.value === null ? label(lang, "map.noData") : `${format(data.value)} ${unit}`],
      ...(data.figures ?? []),
    ];
    return `<b>${data.title}</b><br>${rows.map(([k, v]) => `${k}: ${v}`).join("<br>")}`;
  };
  const option: Record<string, unknown> = {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: "DejaVu Sans, Arial, sans-serif" },
    title: [
      {
        text:
          settings.year === undefined
            ? label(lang, measure.label)
            : label(lang, "map.title", { measure: label(lang, measure.label), year: settings.year }),
        subtext: [`${label(lang, measure.unit)}`, settings.subtitle].filter((t) => t !== undefined && t !== "").join(" · "),
        left: 10,
        top: 6,
        textStyle: { fontSize: 16, color: TEXT },
        subtextStyle: { fontSize: 11, color: MUTED_TEXT },
      },
      { text: label(lang, "map.attribution"), left: 10, bottom: 6, textStyle: { fontSize: 10, fontWeight: "normal", color: MUTED_TEXT } },
    ],
    tooltip: { trigger: "item", formatter: tooltip },
    visualMap: {
      type: "continuous",
      min,
      max,
      left: 14,
      bottom: 34,
      calculable: false,
      precision: measure.decimals,
      text: legendEnds(settings, unit),
      textStyle: { color: TEXT, fontSize: 11 },
      formatter: (v: number) => format(v),
      inRange: { color: [...(measure.diverging ? DIVERGING : SEQUENTIAL)] },
      outOfRange: { color: NO_DATA },
    },
    series: [
      {
        type: "map",
        map: layer.mapName,
        nameProperty: layer.nameProperty,
        aspectScale: EAST_WEST_SCALE_AT_56N,
        roam: false,
        left: 150,
        right: 10,
        top: 60,
        bottom: 30,
        selectedMode: false,
        label: { show: false },
        emphasis: { label: { show: false }, itemStyle: { borderColor: TEXT, borderWidth: 1.5 } },
        itemStyle: { borderColor: "#ffffff", borderWidth: 0.6, areaColor: NO_DATA },
        data: areas.map((a) => ({ ...a, name: a.feature, value: a.value })),
      },
    ],
  };
  return { option, width, height };
}

function legendEnds(settings: MapSettings, unit: string): [string, string] {
  const { lang, measure } = settings;
  const [high, low] =
    settings.legendEnds ??
    (measure.diverging
      ? [label(lang, "legend.surplus"), label(lang, "legend.shortage")]
      : [label(lang, "legend.high"), label(lang, "legend.low")]);
  return [`${high} (${unit})`, low];
}
