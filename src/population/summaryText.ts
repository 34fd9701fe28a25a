import type { Geography } from "../geo/geography.js";
import { CALIBRATION_TARGETS, SHARE_NAMES, type PopulationSummary } from "./summary.js";

/**
 * A population summary as aligned plain-text tables, for checking calibration at a glance:
 * national shares next to their targets, the 17 councils, and the 98 municipalities next to
 * their 2026 totals × scale (when the file records its scale).
 */

function alignTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (rightAligned[c] === true ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const integer = (value: number): string => Math.round(value).toLocaleString("en-US");
const percent = (value: number): string => `${(value * 100).toFixed(2)} %`;

export function formatPopulationSummary(summary: PopulationSummary, geography: Geography, opts: { scale?: number } = {}): string {
  const parts: string[] = [];
  parts.push(`Residents: ${integer(summary.residents)}   mean age: ${summary.meanAgeYears.toFixed(2)} years`);

  const shareRows = SHARE_NAMES.map((name) => {
    const target = CALIBRATION_TARGETS[name];
    return [name, percent(summary.shares[name]), target === undefined ? "" : percent(target.value), target?.basis ?? ""];
  });
  parts.push(
    "National shares (…Adults: of residents aged 18+)\n" +
      alignTable(["share", "value", "target", "basis"], shareRows, [false, true, true, false]),
  );

  const councilRows = summary.councils.map((c) => [c.id, integer(c.residents), percent(c.residents / Math.max(1, summary.residents))]);
  parts.push("Health councils\n" + alignTable(["council", "residents", "share"], councilRows, [false, true, true]));

  const scale = opts.scale;
  const municipalityRows = summary.municipalities.map((m) => {
    const row = [String(m.code), m.name, m.councilId, integer(m.residents)];
    if (scale !== undefined) {
      const expected = Math.max(
        1,
        Math.round((geography.municipalities[geography.municipalityIndexByCode[m.code]!]?.population2026 ?? 0) * scale),
      );
      row.push(integer(expected), integer(m.residents - expected));
    }
    return row;
  });
  const header = ["code", "municipality", "council", "residents", ...(scale === undefined ? [] : ["2026 × scale", "difference"])];
  parts.push("Municipalities\n" + alignTable(header, municipalityRows, [true, false, false, true, true, true]));
  return parts.join("\n\n") + "\n";
}
