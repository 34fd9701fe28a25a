import { describe, expect, it } from "vitest";
import { sweepSvg, tornadoSvg, waterfallSvg } from "../../src/results/charts.js";

/** Every start tag's attribute names once each (a repeated attribute makes the SVG unreadable), text escaped. */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trim().endsWith("</svg>")).toBe(true);
  for (const tag of svg.matchAll(/<([a-z]+)((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gu)) {
    const names = [...(tag[2] ?? "").matchAll(/([a-z-]+)="/gu)].map((m) => m[1]);
    expect(new Set(names).size, tag[0]).toBe(names.length);
  }
  expect(svg.replace(/<[^>]*>/gu, "")).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;)/u);
}

describe("charts", () => {
  it("draws a tornado with the strongest bar first and escaped labels", () => {
    const svg = tornadoSvg("A & B", [
      { label: "weak <one>", value: 0.1, low: -0.05, high: 0.25 },
      { label: "strong", value: -0.9, low: -0.95, high: -0.85 },
    ]);
    expectWellFormed(svg);
    expect(svg.indexOf("strong")).toBeLessThan(svg.indexOf("weak &lt;one&gt;"));
  });

  it("draws a waterfall whose end bar is the start plus the parts", () => {
    const svg = waterfallSvg(
      "gap",
      { label: "2025", value: -2 },
      [
        { label: "up", value: 3 },
        { label: "down", value: -1.5 },
      ],
      { label: "2027", value: -0.5 },
    );
    expectWellFormed(svg);
    expect(svg).toContain("+3.00");
    expect(svg).toContain("-0.50");
  });

  it("draws a sweep with one line per series", () => {
    const points = [0, 1, 2].map((x) => ({ x, mean: 100 + x, low: 98 + x, high: 103 + x }));
    const svg = sweepSvg("sweep", "x", "gap", [
      { label: "first", points },
      { label: "second", points },
    ]);
    expectWellFormed(svg);
    expect(svg.match(/<polyline/gu)).toHaveLength(2);
  });
});
