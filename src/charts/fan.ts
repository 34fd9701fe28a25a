import { numberCell, yearOf, type Row } from "./columns.js";
import { label, type Language } from "./dictionary.js";
import { formatNumber, niceRange } from "./format.js";
import { GRID_LINE, LINE_COLOURS, MUTED_TEXT, TEXT } from "./palette.js";

/** One panel: an area's rows (one per year) with need_/supply_ p5, p50, p95. */
export interface FanPanel {
  title: string;
  rows: readonly Row[];
  /** Always on its own scale (the nation: ten times any council). */
  ownScale?: boolean;
}

export interface FanChartSettings {
  lang: Language;
  /** One y-scale for all panels that are not `ownScale`, or each panel its own. */
  scale: "shared" | "panel";
  columns?: number;
  caption?: string;
  panelWidth?: number;
  panelHeight?: number;
}

export interface ChartSpec {
  /** An ECharts option (plain data and formatter functions). */
  option: Record<string, unknown>;
  width: number;
  height: number;
}

const METRICS = ["need", "supply"] as const;
/** Title, caption and one legend row; a narrow chart's legend takes two rows. */
const HEADER_PX = 92;
const LEGEND_ROW_PX = 24;
const ONE_ROW_LEGEND_MIN_PX = 560;
const PANEL_TITLE_PX = 22;

interface Band {
  years: number[];
  p5: (number | null)[];
  p50: (number | null)[];
  p95: (number | null)[];
}

function bandOf(rows: readonly Row[], metric: string): Band {
  const sorted = [...rows].filter((r) => yearOf(r) !== null).sort((a, b) => (yearOf(a) ?? 0) - (yearOf(b) ?? 0));
  return {
    years: sorted.map((r) => yearOf(r) ?? 0),
    p5: sorted.map((r) => numberCell(r, `${metric}_p5`)),
    p50: sorted.map((r) => numberCell(r, `${metric}_p50`, `${metric}_mean`)),
    p95: sorted.map((r) => numberCell(r, `${metric}_p95`)),
  };
}

function extent(bands: Band[]): [number, number] {
  const values = bands.flatMap((b) => [...b.p5, ...b.p50, ...b.p95]).filter((v): v is number => v !== null);
  return values.length === 0 ? [0, 1] : [Math.min(...values), Math.max(...values)];
}

/**
 * Fan charts as an ECharts option: a grid of panels, each with need and supply as a median line
 * over a P5–P95 band, y-axes with ticks, gridlines and the unit, x-axes with every year (or
 * every second), one legend, and room on every side so no label or the last year is clipped.
 */
export function fanChart(panels: readonly FanPanel[], settings: FanChartSettings): ChartSpec {
  const { lang } = settings;
  const columns = Math.max(1, Math.min(settings.columns ?? 3, panels.length));
  const panelW = settings.panelWidth ?? 330;
  const panelH = settings.panelHeight ?? 210;
  const rowsOfPanels = Math.ceil(panels.length / columns);
  const width = columns * panelW + 20;
  const header = HEADER_PX + (width < ONE_ROW_LEGEND_MIN_PX ? LEGEND_ROW_PX : 0);
  const height = header + rowsOfPanels * panelH + 16;
  const unit = label(lang, "unit.capacities");
  const names = {
    needMedian: label(lang, "fan.needMedian"),
    needBand: label(lang, "fan.needBand"),
    supplyMedian: label(lang, "fan.supplyMedian"),
    supplyBand: label(lang, "fan.supplyBand"),
  };
  const bands = panels.map((p) => ({ need: bandOf(p.rows, "need"), supply: bandOf(p.rows, "supply") }));
  const shared = extent(bands.filter((_, i) => panels[i]?.ownScale !== true).flatMap((b) => [b.need, b.supply]));

  const titles: Record<string, unknown>[] = [
    { text: label(lang, "fan.title"), left: 10, top: 6, textStyle: { fontSize: 16, color: TEXT } },
    {
      text: [
        settings.caption,
        panels.some((p) => p.ownScale === true) && settings.scale === "shared" ? label(lang, "fan.nationalOwnScale") : undefined,
      ]
        .filter((t) => t !== undefined && t !== "")
        .join(" · "),
      left: 10,
      top: 30,
      textStyle: { fontSize: 11, fontWeight: "normal", color: MUTED_TEXT },
    },
  ];
  const grids: Record<string, unknown>[] = [];
  const xAxes: Record<string, unknown>[] = [];
  const yAxes: Record<string, unknown>[] = [];
  const series: Record<string, unknown>[] = [];
  const seriesPanel: number[] = [];

  panels.forEach((panel, i) => {
    const band = bands[i] ?? { need: bandOf([], "need"), supply: bandOf([], "supply") };
    const left = 10 + (i % columns) * panelW;
    const top = header + Math.floor(i / columns) * panelH;
    titles.push({ text: panel.title, left: left + 4, top, textStyle: { fontSize: 12, color: TEXT } });
    // Fixed margins leave room for 5-digit tick labels, the unit and the last year's label.
    grids.push({ left: left + 66, top: top + PANEL_TITLE_PX + 8, width: panelW - 66 - 26, height: panelH - PANEL_TITLE_PX - 8 - 30 });
    const years = band.need.years;
    const first = years[0] ?? 0;
    const last = years[years.length - 1] ?? first + 1;
    const span = Math.max(1, last - first);
    xAxes.push({
      gridIndex: i,
      type: "value",
      min: first,
      max: last === first ? first + 1 : last,
      interval: Math.max(1, Math.ceil(span / 6)),
      axisLabel: { formatter: (v: number) => String(v), color: MUTED_TEXT, fontSize: 10, hideOverlap: true },
      axisLine: { lineStyle: { color: MUTED_TEXT } },
      splitLine: { show: false },
    });
    const own = settings.scale === "panel" || panel.ownScale === true;
    const [lo, hi] = own ? extent([band.need, band.supply]) : shared;
    const range = niceRange(lo, hi);
    yAxes.push({
      gridIndex: i,
      type: "value",
      ...range,
      name: unit,
      nameLocation: "middle",
      nameGap: 50,
      nameTextStyle: { fontSize: 10, color: MUTED_TEXT },
      axisLabel: { formatter: (v: number) => formatNumber(v, lang, range.interval < 1 ? 1 : 0), color: MUTED_TEXT, fontSize: 10 },
      splitLine: { show: true, lineStyle: { color: GRID_LINE } },
    });
    for (const metric of METRICS) {
      const b = band[metric];
      const colour = LINE_COLOURS[metric];
      const bandName = metric === "need" ? names.needBand : names.supplyBand;
      const stack = `band-${i}-${metric}`;
      const common = { xAxisIndex: i, yAxisIndex: i, type: "line", symbol: "none", animation: false };
      const bandSeries = { ...common, name: bandName, stack, silent: true, lineStyle: { opacity: 0 } };
      // The band: P5 as an invisible base, P95 − P5 stacked on it and filled.
      series.push({ ...bandSeries, data: b.years.map((y, k) => [y, b.p5[k] ?? null]) });
      series.push({
        ...bandSeries,
        areaStyle: { color: colour, opacity: 0.22 },
        data: b.years.map((y, k) => [y, b.p95[k] === null || b.p5[k] === null ? null : (b.p95[k] ?? 0) - (b.p5[k] ?? 0)]),
      });
      series.push({
        ...common,
        name: metric === "need" ? names.needMedian : names.supplyMedian,
        lineStyle: { color: colour, width: 2 },
        itemStyle: { color: colour },
        data: b.years.map((y, k) => [y, b.p50[k] ?? null]),
      });
      seriesPanel.push(i, i, i);
    }
  });

  const tooltipText = (params: unknown): string => {
    const first = (Array.isArray(params) ? params[0] : params) as { seriesIndex?: number; dataIndex?: number } | undefined;
    const p = seriesPanel[first?.seriesIndex ?? -1];
    const k = first?.dataIndex ?? -1;
    const panel = p === undefined ? undefined : panels[p];
    const band = p === undefined ? undefined : bands[p];
    if (panel === undefined || band === undefined) return "";
    const line = (metric: (typeof METRICS)[number], name: string): string => {
      const b = band[metric];
      const f = (v: number | null | undefined): string => formatNumber(v ?? null, lang, 1);
      return `${name}: ${f(b.p50[k])} (P5–P95 ${f(b.p5[k])}–${f(b.p95[k])}) ${unit}`;
    };
    return [
      `<b>${panel.title}, ${band.need.years[k] ?? ""}</b>`,
      line("need", label(lang, "measure.need")),
      line("supply", label(lang, "measure.supply")),
    ].join("<br>");
  };

  const legendItem = (name: string, colour: string, bandItem: boolean): Record<string, unknown> =>
    bandItem
      ? { name, icon: "rect", itemStyle: { color: colour, opacity: 0.3 } }
      : { name, icon: "path://M0,4L16,4L16,6L0,6Z", itemStyle: { color: colour } };
  const option: Record<string, unknown> = {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: "DejaVu Sans, Arial, sans-serif" },
    title: titles,
    legend: {
      top: 56,
      left: 10,
      itemWidth: 18,
      itemGap: 22,
      itemHeight: 10,
      textStyle: { color: TEXT, fontSize: 11 },
      data: [
        legendItem(names.needMedian, LINE_COLOURS.need, false),
        legendItem(names.needBand, LINE_COLOURS.need, true),
        legendItem(names.supplyMedian, LINE_COLOURS.supply, false),
        legendItem(names.supplyBand, LINE_COLOURS.supply, true),
      ],
    },
    tooltip: { trigger: "axis", formatter: tooltipText },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };
  return { option, width, height };
}
