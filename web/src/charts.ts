import type { ChartSpec } from "../../src/charts/fan.js";
import { echarts } from "../../src/charts/echarts.js";
import { MAP_LAYERS } from "../../src/charts/map.js";
import { api, TABLE_FORMATS, type TableFormat } from "./api.js";
import { download, h } from "./dom.js";
import { t } from "./i18n.js";

type Chart = ReturnType<typeof echarts.init>;

const layers = new Map<keyof typeof MAP_LAYERS, Promise<void>>();
/** A boundary layer, fetched from the API when first needed and registered with ECharts. */
export function ensureMap(level: keyof typeof MAP_LAYERS): Promise<void> {
  let loaded = layers.get(level);
  if (loaded === undefined) {
    const path = level === "council" ? "/v1/reference/geo/councils" : "/v1/reference/geo/municipalities";
    loaded = api<Parameters<typeof echarts.registerMap>[1]>(path).then((geoJson) =>
      echarts.registerMap(MAP_LAYERS[level].mapName, geoJson),
    );
    loaded.catch(() => layers.delete(level));
    layers.set(level, loaded);
  }
  return loaded;
}

/**
 * A chart in a container, drawn with ECharts' SVG renderer (the same renderer and chart code as
 * the SVG files of the CLI and the API). Returns the time the drawing took, in milliseconds.
 */
export class PageChart {
  private chart: Chart | undefined;
  spec: ChartSpec | undefined;

  constructor(readonly container: HTMLElement) {}

  draw(spec: ChartSpec): number {
    const started = performance.now();
    this.spec = spec;
    if (this.chart === undefined || this.chart.getWidth() !== spec.width || this.chart.getHeight() !== spec.height) {
      this.chart?.dispose();
      this.container.style.width = `${spec.width}px`;
      this.container.style.height = `${spec.height}px`;
      this.chart = echarts.init(this.container, null, { renderer: "svg", width: spec.width, height: spec.height });
    }
    this.chart.setOption(spec.option, { notMerge: true, lazyUpdate: false });
    // Paint now rather than on the next frame, so the time measured is the whole redraw.
    this.chart.getZr().flush();
    const took = performance.now() - started;
    this.container.dataset["renderMs"] = took.toFixed(1);
    return took;
  }

  on(event: "click", handler: (params: { data?: unknown }) => void): void {
    this.chart?.off(event);
    this.chart?.on(event, handler as (params: unknown) => void);
  }

  svg(): string {
    return this.chart?.renderToSVGString() ?? "";
  }
}

/** PNG of an SVG document at twice its size, drawn by the browser. */
async function pngOf(svg: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    image.src = url;
    await image.decode();
    const canvas = h("canvas", { width: width * 2, height: height * 2 });
    const context = canvas.getContext("2d");
    if (context === null) throw new Error("no 2D canvas");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b === null ? reject(new Error("no PNG")) : resolve(b)), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A table the page shows, with the API's address of it in each format. */
export interface TableLink {
  label: string;
  url: (format: TableFormat) => string;
}

const FORMAT_NAMES: Readonly<Record<TableFormat, string>> = { csv: "CSV", arrow: "Arrow", parquet: "Parquet", xlsx: "Excel" };

/** Download buttons for a chart (SVG, PNG) and links for its tables (CSV, Arrow, Parquet, Excel from the API). */
export function downloadBar(name: string, chart: PageChart, tables: readonly TableLink[]): HTMLElement {
  const bar = h("div", { class: "downloads", role: "group", "aria-label": t("download.title") }, h("span", {}, `${t("download.title")}:`));
  const png = (): void => {
    const spec = chart.spec;
    if (spec !== undefined) void pngOf(chart.svg(), spec.width, spec.height).then((blob) => download(`${name}.png`, blob));
  };
  const svg = (): void => download(`${name}.svg`, new Blob([chart.svg()], { type: "image/svg+xml" }));
  bar.append(
    h("button", { type: "button", "data-download": "svg", onclick: svg }, t("download.svg")),
    h("button", { type: "button", "data-download": "png", onclick: png }, t("download.png")),
  );
  for (const table of tables) {
    bar.append(h("span", { class: "table-label" }, `${table.label}:`));
    for (const format of TABLE_FORMATS) {
      const description = `${table.label}: ${t(`download.${format}`)}`;
      bar.append(
        h(
          "a",
          { href: table.url(format), download: "", "data-download": format, "aria-label": description, title: description },
          FORMAT_NAMES[format],
        ),
      );
    }
  }
  return bar;
}
