/**
 * Small SVG charts of the analyses: a tornado of partial rank correlations, a waterfall of a gap
 * decomposition and a sweep's outcome against a parameter. Plain SVG text, no library, kept in
 * one file so they can move to a shared chart module as a whole.
 */
const escapeXml = (text: string): string =>
  text.replace(/[<>&"]/gu, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);
const f = (v: number): string => v.toFixed(1);
const FONT = 'font-family="sans-serif" font-size="11"';

function svg(width: number, height: number, title: string, body: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n` +
    `<text x="10" y="18" font-family="sans-serif" font-size="13" font-weight="bold">${escapeXml(title)}</text>\n` +
    body.join("\n") +
    "\n</svg>\n"
  );
}

export interface TornadoBar {
  label: string;
  value: number;
  low: number;
  high: number;
}

/** Bars from −1 to 1, largest |value| on top, with the interval as a whisker. */
export function tornadoSvg(title: string, bars: readonly TornadoBar[]): string {
  const sorted = [...bars].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const width = 640;
  const left = 230;
  const right = 30;
  const row = 24;
  const top = 40;
  const height = top + sorted.length * row + 36;
  const x = (v: number): number => left + ((v + 1) / 2) * (width - left - right);
  const body = sorted.map((b, i) => {
    const y = top + i * row;
    const colour = b.value >= 0 ? "#2b6cb0" : "#c53030";
    const x0 = Math.min(x(0), x(b.value));
    // The value's label sits past the bar or its whisker, whichever reaches further.
    const labelX = x(b.value >= 0 ? Math.max(b.high, b.value) : Math.min(b.low, b.value)) + (b.value >= 0 ? 4 : -4);
    return (
      `<text x="${left - 8}" y="${f(y + 15)}" ${FONT} text-anchor="end">${escapeXml(b.label)}</text>` +
      `<rect x="${f(x0)}" y="${f(y + 4)}" width="${f(Math.abs(x(b.value) - x(0)))}" height="${row - 8}" ` +
      `fill="${colour}" fill-opacity="0.8"/>` +
      `<line x1="${f(x(b.low))}" x2="${f(x(b.high))}" y1="${f(y + row / 2)}" y2="${f(y + row / 2)}" stroke="black"/>` +
      `<text x="${f(labelX)}" y="${f(y + 15)}" ${FONT} ` +
      `text-anchor="${b.value >= 0 ? "start" : "end"}">${b.value.toFixed(2)}</text>`
    );
  });
  const axisY = top + sorted.length * row + 6;
  const ticks = [-1, -0.5, 0, 0.5, 1].map(
    (t) =>
      `<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${top}" y2="${axisY}" stroke="#999" stroke-dasharray="${t === 0 ? "" : "2,3"}"/>` +
      `<text x="${f(x(t))}" y="${axisY + 14}" ${FONT} text-anchor="middle">${t}</text>`,
  );
  return svg(width, height, title, [
    ...ticks,
    ...body,
    `<text x="${f(x(0))}" y="${axisY + 28}" ${FONT} text-anchor="middle">` +
      "partial rank correlation with the outcome (bar) and 95 % interval (line)</text>",
  ]);
}

export interface WaterfallStep {
  label: string;
  value: number;
}

/** Start bar, one floating bar per part (green raises the gap, red lowers it), end bar. */
export function waterfallSvg(title: string, start: WaterfallStep, parts: readonly WaterfallStep[], end: WaterfallStep): string {
  const width = 720;
  const height = 320;
  const pad = { left: 56, right: 16, top: 36, bottom: 70 };
  const levels: number[] = [0, start.value];
  let level = start.value;
  for (const p of parts) levels.push((level += p.value));
  levels.push(end.value);
  const lo = Math.min(...levels);
  const hi = Math.max(...levels);
  const span = hi - lo || 1;
  const y = (v: number): number => pad.top + (1 - (v - lo) / span) * (height - pad.top - pad.bottom);
  const count = parts.length + 2;
  const slot = (width - pad.left - pad.right) / count;
  const bar = (i: number, from: number, to: number, colour: string, label: string, value: number): string => {
    const x = pad.left + i * slot + slot * 0.15;
    const top = Math.min(y(from), y(to));
    return (
      `<rect x="${f(x)}" y="${f(top)}" width="${f(slot * 0.7)}" height="${f(Math.max(1, Math.abs(y(from) - y(to))))}" fill="${colour}"/>` +
      `<text x="${f(x + slot * 0.35)}" y="${f(top - 4)}" ${FONT} text-anchor="middle">${value >= 0 ? "+" : ""}${value.toFixed(2)}</text>` +
      `<text transform="translate(${f(x + slot * 0.35)},${height - pad.bottom + 14}) rotate(30)" ${FONT}>${escapeXml(label)}</text>`
    );
  };
  const body = [
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${f(y(0))}" y2="${f(y(0))}" stroke="#666"/>`,
    `<text x="${pad.left - 6}" y="${f(y(0) + 4)}" ${FONT} text-anchor="end">0</text>`,
    bar(0, 0, start.value, "#718096", start.label, start.value),
  ];
  level = start.value;
  parts.forEach((p, i) => {
    body.push(bar(i + 1, level, level + p.value, p.value >= 0 ? "#2f855a" : "#c53030", p.label, p.value));
    level += p.value;
  });
  body.push(bar(count - 1, 0, end.value, "#2d3748", end.label, end.value));
  return svg(width, height, title, body);
}

export interface SweepSeries {
  label: string;
  points: { x: number; mean: number; low: number; high: number }[];
}

/** One line per series of the outcome against the varied parameter, the first with its P5–P95 band. */
export function sweepSvg(title: string, xLabel: string, yLabel: string, series: readonly SweepSeries[]): string {
  const width = 820;
  const height = 380;
  const pad = { left: 60, right: 290, top: 36, bottom: 44 };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.low, p.high, p.mean])).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  // The data's own range (5 % margin): a gap far from 0 would otherwise be a flat line.
  const margin = (Math.max(...ys) - Math.min(...ys)) * 0.05 || 1;
  const [y0, y1] = [Math.min(...ys) - margin, Math.max(...ys) + margin];
  const x = (v: number): number => pad.left + ((v - x0) / (x1 - x0 || 1)) * (width - pad.left - pad.right);
  const y = (v: number): number => pad.top + (1 - (v - y0) / (y1 - y0 || 1)) * (height - pad.top - pad.bottom);
  const palette = ["#2d3748", "#2b6cb0", "#c53030", "#2f855a", "#b7791f", "#6b46c1", "#319795", "#d53f8c"];
  const body: string[] = [
    ...(y0 < 0 && y1 > 0
      ? [`<line x1="${pad.left}" x2="${width - pad.right}" y1="${f(y(0))}" y2="${f(y(0))}" stroke="#999" stroke-dasharray="3,3"/>`]
      : []),
    `<text x="${f((pad.left + width - pad.right) / 2)}" y="${height - 10}" ${FONT} text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(14,${f(height / 2)}) rotate(-90)" ${FONT} text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...[...new Set(xs)].map((v) => `<text x="${f(x(v))}" y="${height - pad.bottom + 14}" ${FONT} text-anchor="middle">${v}</text>`),
    `<text x="${pad.left - 6}" y="${f(y(y0) + 4)}" ${FONT} text-anchor="end">${y0.toFixed(1)}</text>`,
    `<text x="${pad.left - 6}" y="${f(y(y1) + 4)}" ${FONT} text-anchor="end">${y1.toFixed(1)}</text>`,
  ];
  series.forEach((s, i) => {
    const colour = palette[i % palette.length] ?? "black";
    if (i === 0) {
      const upper = s.points.map((p) => `${f(x(p.x))},${f(y(p.high))}`);
      const lower = s.points.map((p) => `${f(x(p.x))},${f(y(p.low))}`).reverse();
      body.push(`<polygon points="${[...upper, ...lower].join(" ")}" fill="${colour}" fill-opacity="0.15"/>`);
    }
    body.push(
      `<polyline points="${s.points.map((p) => `${f(x(p.x))},${f(y(p.mean))}`).join(" ")}" ` +
        `fill="none" stroke="${colour}" stroke-width="${i === 0 ? 2 : 1}"/>`,
    );
    body.push(`<text x="${width - pad.right + 8}" y="${pad.top + 14 * i}" ${FONT} fill="${colour}">${escapeXml(s.label)}</text>`);
  });
  return svg(width, height, title, body);
}
