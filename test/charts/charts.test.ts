import { describe, expect, it } from "vitest";
import type { Row } from "../../src/charts/columns.js";
import { LABEL_KEYS, label } from "../../src/charts/dictionary.js";
import { niceRange } from "../../src/charts/format.js";
import { availableMeasures, MEASURES } from "../../src/charts/measures.js";
import { resultFanChart, resultMap } from "../../src/charts/resultCharts.js";
import { renderSvg } from "../../src/charts/svg.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { referenceAreaNames } from "../../src/projection/fanChart.js";

const geography = defaultGeography();
const names = referenceAreaNames();
const YEARS = [2025, 2026, 2027, 2028];

/** Rows in the stored result's shape: need rising, supply falling, bands ±3 % and ±5 %. */
function rowOf(base: number, year: number, extra: Record<string, unknown>): Row {
  const need = base * (1 + 0.01 * (year - 2025));
  const supply = base * (1 - 0.01 * (year - 2025));
  return {
    year,
    need_p5: need * 0.97,
    need_p50: need,
    need_p95: need * 1.03,
    supply_p5: supply * 0.95,
    supply_p50: supply,
    supply_p95: supply * 1.05,
    gap_mean: supply - need,
    p_short: 0.3,
    residents_mean: base * 1600,
    weighted_residents_mean: base * 1700,
    ...extra,
  };
}
const national = YEARS.map((y) => rowOf(3700, y, { country: "DK" }));
const councils = geography.councils.flatMap((c, i) => YEARS.map((y) => rowOf(100 + 25 * i, y, { council_id: c.id, council_name: c.name })));
const municipalities = geography.municipalities.flatMap((m, i) => YEARS.map((y) => rowOf(10 + i, y, { municipality_code: m.code })));

/** The y-axis ranges of an option, one per panel. */
const yRanges = (option: Record<string, unknown>): { min: number; max: number }[] => option["yAxis"] as { min: number; max: number }[];

describe("charts shared by the CLI, the API and the dashboard", () => {
  it("rounds an axis range outward to 1, 2, 2.5 or 5 × 10^k, also for a flat or empty series", () => {
    expect(niceRange(97, 612)).toEqual({ min: 0, max: 800, interval: 200 });
    expect(niceRange(5, 5).max).toBeGreaterThan(5);
    expect(niceRange(Number.NaN, 1)).toEqual({ min: 0, max: 1, interval: 0.25 });
  });

  it("has every label in both languages and fills placeholders", () => {
    for (const key of LABEL_KEYS) {
      expect(label("da", key).length).toBeGreaterThan(0);
      expect(label("en", key).length).toBeGreaterThan(0);
    }
    expect(label("en", "map.title", { measure: "Need", year: 2027 })).toBe("Need, 2027");
  });

  it("offers the 15 km measure only when a table has such a column, and reads camelCase names too", () => {
    expect(availableMeasures(councils).map((m) => m.id)).not.toContain("beyond_15km");
    const withAccess = councils.map((r) => ({ ...r, residents_beyond_15_km_mean: 12 }));
    expect(availableMeasures(withAccess).map((m) => m.id)).toContain("beyond_15km");
    expect(MEASURES.need.value({ needP50: 4 }, [])).toBe(4);
    expect(MEASURES.avg_weight.value(councils[0] ?? {}, councils)).toBeCloseTo(1700 / 1600, 9);
  });

  it("draws the nation on its own scale and one shared scale for the councils, or one per panel by choice", () => {
    const shared = yRanges(resultFanChart(national, councils, names, { lang: "en", scale: "shared" }).option);
    expect(shared).toHaveLength(18);
    const councilRanges = new Set(shared.slice(1).map((r) => `${r.min}-${r.max}`));
    expect(councilRanges.size).toBe(1);
    expect(shared[0]?.max).toBeGreaterThan(3700);
    const own = yRanges(resultFanChart(national, councils, names, { lang: "en", scale: "panel" }).option);
    expect(new Set(own.slice(1).map((r) => `${r.min}-${r.max}`)).size).toBeGreaterThan(1);
  });

  it("renders the fan chart to SVG with a legend, units, every year's tick and the panels inside the canvas", () => {
    const spec = resultFanChart(national, councils, names, { lang: "en", scale: "shared", caption: "caption text" });
    const svg = renderSvg(spec);
    expect(svg).toMatch(new RegExp(`^<svg[^>]*width="${spec.width}"[^>]*height="${spec.height}"`, "u"));
    for (const text of [
      "Need, median",
      "Need, P5–P95",
      "Supply, median",
      "Supply, P5–P95",
      "GP capacities",
      "caption text",
      "Denmark",
      "Hovedstaden",
    ]) {
      expect(svg).toContain(text);
    }
    // The last year is labelled once per panel: it is not clipped off the right-hand column.
    expect(svg.match(/>2028</gu)?.length).toBe(18);
    for (const grid of spec.option["grid"] as { left: number; top: number; width: number; height: number }[]) {
      expect(grid.left + grid.width).toBeLessThanOrEqual(spec.width);
      expect(grid.top + grid.height).toBeLessThanOrEqual(spec.height);
    }
  });

  it("maps the 98 municipalities and the 17 councils by the boundary files' names, in Danish on request", () => {
    const municipal = resultMap(municipalities, names, { lang: "en", level: "municipality", measure: MEASURES.need });
    const data = (municipal.option["series"] as { data: { feature: string; value: number | null }[] }[])[0]?.data ?? [];
    expect(data).toHaveLength(98);
    expect(data.every((d) => d.value !== null)).toBe(true);
    const svg = renderSvg(municipal);
    expect(svg.match(/<path/gu)?.length).toBeGreaterThanOrEqual(98);
    expect(svg).toContain("Need, 2028");
    expect(svg).toContain("Geodatastyrelsen");
    const council = renderSvg(resultMap(councils, names, { lang: "da", level: "council", measure: MEASURES.gap, year: 2026 }));
    expect(council).toContain("Forskel (udbud − behov), 2026");
    expect(council).toContain("Mangel");
  });

  it("draws the same chart in the same bytes, however many charts the process drew before", () => {
    const spec = resultFanChart(national, councils, names, { lang: "en", scale: "shared" });
    const first = renderSvg(spec);
    renderSvg(resultMap(councils, names, { lang: "en", level: "council", measure: MEASURES.gap, year: 2026 }));
    expect(renderSvg(spec)).toBe(first);
  });
});
