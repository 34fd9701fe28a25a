import { cell, councilIdOf, municipalityCodeOf, yearOf, type Row } from "./columns.js";
import { label, type Language } from "./dictionary.js";
import { type ChartSpec, fanChart, type FanPanel } from "./fan.js";
import { formatNumber } from "./format.js";
import { choroplethMap, type MapArea, type MapLevel } from "./map.js";
import { MEASURES, type Measure } from "./measures.js";

/**
 * The charts of a result, from its rows as the API serves them (or a projection's tables):
 * the same functions make the CLI's SVG files, the API's chart endpoints and the page's charts.
 */

/** Danish names by council id and by municipality code, from the reference data. */
export interface AreaNames {
  councils: ReadonlyMap<string, string>;
  municipalities: ReadonlyMap<string, string>;
}

const COUNCIL_PREFIX = /^Sundhedsråd /u;
export const shortCouncilName = (name: string): string => name.replace(COUNCIL_PREFIX, "");

export function councilName(row: Row, names: AreaNames): string {
  return names.councils.get(councilIdOf(row)) ?? String(cell(row, "council_name") ?? councilIdOf(row));
}

function groupBy(rows: readonly Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }
  return groups;
}

export interface FanSettings {
  lang: Language;
  scale: "shared" | "panel";
  caption?: string;
  /** Only these council ids (default all), after the national panel. */
  councils?: readonly string[];
  columns?: number;
}

/** The nation (on its own scale) and each council: need and supply with their P5–P95 bands. */
export function resultFanChart(national: readonly Row[], council: readonly Row[], names: AreaNames, settings: FanSettings): ChartSpec {
  const panels: FanPanel[] = [{ title: label(settings.lang, "area.denmark"), rows: national, ownScale: true }];
  for (const [id, rows] of groupBy(council, councilIdOf)) {
    if (settings.councils !== undefined && !settings.councils.includes(id)) continue;
    panels.push({ title: shortCouncilName(councilName(rows[0] ?? {}, names)), rows });
  }
  return fanChart(panels, {
    lang: settings.lang,
    scale: settings.scale,
    ...(settings.columns !== undefined ? { columns: settings.columns } : {}),
    ...(settings.caption !== undefined ? { caption: settings.caption } : {}),
  });
}

/** The years the rows cover, ascending. */
export function yearsOf(rows: readonly Row[]): number[] {
  return [...new Set(rows.map(yearOf).filter((y): y is number => y !== null))].sort((a, b) => a - b);
}

/** The map areas of one year of a council or municipality table, with hover figures. */
export function mapAreas(
  rows: readonly Row[],
  level: MapLevel,
  measure: Measure,
  year: number,
  names: AreaNames,
  lang: Language,
): MapArea[] {
  const ofYear = rows.filter((r) => yearOf(r) === year);
  const figure = (m: Measure, row: Row): [string, string] => [
    label(lang, m.label),
    `${formatNumber(m.value(row, ofYear), lang, m.decimals)} ${label(lang, m.unit)}`,
  ];
  return ofYear.map((row) => {
    const id = level === "council" ? councilIdOf(row) : municipalityCodeOf(row);
    const danish =
      level === "council" ? councilName(row, names) : (names.municipalities.get(id) ?? String(cell(row, "municipality_name") ?? id));
    const others = [MEASURES.need, MEASURES.supply, MEASURES.gap, MEASURES.p_short].filter((m) => m.id !== measure.id);
    return {
      feature: level === "council" ? danish : id,
      title: level === "council" ? danish : `${danish} (${id})`,
      id,
      value: measure.value(row, ofYear),
      figures: others.map((m) => figure(m, row)),
    };
  });
}

export interface MapSettingsOfResult {
  lang: Language;
  level: MapLevel;
  measure: Measure;
  /** Default: the last year of the rows. */
  year?: number;
  subtitle?: string;
  width?: number;
  height?: number;
}

export function resultMap(rows: readonly Row[], names: AreaNames, settings: MapSettingsOfResult): ChartSpec {
  const years = yearsOf(rows);
  const year = settings.year ?? years[years.length - 1];
  return choroplethMap(year === undefined ? [] : mapAreas(rows, settings.level, settings.measure, year, names, settings.lang), {
    lang: settings.lang,
    level: settings.level,
    measure: settings.measure,
    year,
    ...(settings.subtitle !== undefined ? { subtitle: settings.subtitle } : {}),
    ...(settings.width !== undefined ? { width: settings.width } : {}),
    ...(settings.height !== undefined ? { height: settings.height } : {}),
  });
}
