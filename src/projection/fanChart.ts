import type { Table } from "../io/table.js";
import type { ProjectionResult } from "./run.js";

/**
 * An SVG of fan charts, one panel for the nation and one per council: need and supply in
 * capacities per year, the P5–P95 band shaded and the median drawn. Plain SVG text, no library.
 */
const PANEL_W = 220;
const PANEL_H = 140;
const COLUMNS = 6;
const PAD = { left: 42, right: 8, top: 22, bottom: 22 };

function column(table: Table, name: string): readonly (string | number | null)[] {
  return table.columns.find((c) => c.name === name)?.values ?? [];
}

const escapeXml = (text: string): string => text.replace(/[<>&"]/gu, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);

interface Series {
  years: number[];
  p5: number[];
  p50: number[];
  p95: number[];
}

function panel(title: string, need: Series, supply: Series, x0: number, y0: number): string {
  const all = [...need.p5, ...need.p95, ...supply.p5, ...supply.p95].filter(Number.isFinite);
  const lo = Math.min(...all) * 0.97;
  const hi = Math.max(...all) * 1.03 || 1;
  const years = need.years;
  const first = years[0] ?? 0;
  const span = Math.max(1, (years[years.length - 1] ?? first) - first);
  const x = (year: number): number => x0 + PAD.left + ((year - first) / span) * (PANEL_W - PAD.left - PAD.right);
  const y = (v: number): number => y0 + PAD.top + (1 - (v - lo) / (hi - lo || 1)) * (PANEL_H - PAD.top - PAD.bottom);
  const band = (s: Series, colour: string): string => {
    const upper = s.years.map((yr, i) => `${x(yr).toFixed(1)},${y(s.p95[i] ?? 0).toFixed(1)}`);
    const lower = s.years.map((yr, i) => `${x(yr).toFixed(1)},${y(s.p5[i] ?? 0).toFixed(1)}`).reverse();
    const median = s.years.map((yr, i) => `${x(yr).toFixed(1)},${y(s.p50[i] ?? 0).toFixed(1)}`).join(" ");
    return `<polygon points="${[...upper, ...lower].join(" ")}" fill="${colour}" fill-opacity="0.25"/><polyline points="${median}" fill="none" stroke="${colour}" stroke-width="1.5"/>`;
  };
  const ticks = years.map((yr) => `<text x="${x(yr).toFixed(1)}" y="${y0 + PANEL_H - 6}" font-size="9" text-anchor="middle">${yr}</text>`).join("");
  return [
    `<text x="${x0 + 4}" y="${y0 + 13}" font-size="10" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${x0 + PAD.left - 4}" y="${y(hi).toFixed(1)}" font-size="8" text-anchor="end">${hi.toFixed(0)}</text>`,
    `<text x="${x0 + PAD.left - 4}" y="${y(lo).toFixed(1)}" font-size="8" text-anchor="end">${lo.toFixed(0)}</text>`,
    band(need, "#c0392b"),
    band(supply, "#2471a3"),
    ticks,
  ].join("");
}

function seriesOf(table: Table, rows: number[], metric: string): Series {
  const pick = (name: string): number[] => rows.map((r) => Number(column(table, name)[r] ?? Number.NaN));
  return { years: pick("year"), p5: pick(`${metric}_p5`), p50: pick(`${metric}_p50`), p95: pick(`${metric}_p95`) };
}

export function fanChartSvg(result: ProjectionResult): string {
  const panels: { title: string; table: Table; rows: number[] }[] = [];
  const national = result.tables.national;
  panels.push({ title: "Denmark", table: national, rows: Array.from({ length: national.rowCount }, (_, i) => i) });
  const council = result.tables.council;
  const names = column(council, "council_name");
  const byName = new Map<string, number[]>();
  names.forEach((n, i) => byName.set(String(n), [...(byName.get(String(n)) ?? []), i]));
  for (const [name, rows] of byName) panels.push({ title: name.replace(/^Sundhedsråd /u, ""), table: council, rows });
  const rowsOfPanels = Math.ceil(panels.length / COLUMNS);
  const width = COLUMNS * PANEL_W;
  const height = rowsOfPanels * PANEL_H + 30;
  const body = panels
    .map((p, i) => panel(p.title, seriesOf(p.table, p.rows, "need"), seriesOf(p.table, p.rows, "supply"), (i % COLUMNS) * PANEL_W, 30 + Math.floor(i / COLUMNS) * PANEL_H))
    .join("\n");
  const m = result.manifest;
  const caption = `GP capacities: need (red) and supply (blue), median and P5–P95 over ${m.replications} replications; scenario ${m.scenario.id}, seed ${m.seed}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">\n<text x="6" y="18" font-size="12">${escapeXml(caption)}</text>\n${body}\n</svg>\n`;
}
