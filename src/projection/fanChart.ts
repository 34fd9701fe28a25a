import { defaultGeography } from "../geo/geography.js";
import type { Table } from "../io/table.js";
import type { Row } from "../charts/columns.js";
import { label, type Language } from "../charts/dictionary.js";
import { MEASURES } from "../charts/measures.js";
import { type AreaNames, resultFanChart, resultMap } from "../charts/resultCharts.js";
import { renderSvg } from "../charts/svg.js";
import type { ProjectionResult } from "./run.js";

/** A table's rows as records keyed by column name, the shape the charts read. */
export function rowsOfTable(table: Table): Row[] {
  const rows: Record<string, unknown>[] = Array.from({ length: table.rowCount }, () => ({}));
  for (const column of table.columns) column.values.forEach((v, i) => ((rows[i] as Record<string, unknown>)[column.name] = v));
  return rows;
}

/** Danish area names from the reference geography (data/kommuner.csv). */
export function referenceAreaNames(): AreaNames {
  const geography = defaultGeography();
  return {
    councils: new Map(geography.councils.map((c) => [c.id, c.name])),
    municipalities: new Map(geography.municipalities.map((m) => [String(m.code), m.name])),
  };
}

function caption(result: Pick<ProjectionResult, "manifest">, lang: Language): string {
  const m = result.manifest;
  return label(lang, "fan.caption", { replications: m.replications, scenario: m.scenario.id, seed: m.seed });
}

/** Fan charts of the nation and each council as SVG (ECharts, the same charts as the dashboard). */
export function fanChartSvg(result: ProjectionResult, lang: Language = "en"): string {
  const spec = resultFanChart(rowsOfTable(result.tables.national), rowsOfTable(result.tables.council), referenceAreaNames(), {
    lang,
    scale: "shared",
    caption: caption(result, lang),
  });
  return renderSvg(spec);
}

/** The councils coloured by the gap (supply − need) in the last projected year, as SVG. */
export function councilMapSvg(result: ProjectionResult, lang: Language = "en"): string {
  return renderSvg(
    resultMap(rowsOfTable(result.tables.council), referenceAreaNames(), {
      lang,
      level: "council",
      measure: MEASURES.gap,
      subtitle: caption(result, lang),
    }),
  );
}
