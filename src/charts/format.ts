import type { Language } from "./dictionary.js";

/** Numbers as each language writes them (da: 1.234,5; en: 1,234.5). */
export function formatNumber(value: number | null, lang: Language, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return "–";
  return new Intl.NumberFormat(lang === "da" ? "da-DK" : "en-GB", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}

/** An axis range on round numbers: about `ticks` intervals of 1, 2, 2.5 or 5 × 10^k. */
export function niceRange(lo: number, hi: number, ticks = 4): { min: number; max: number; interval: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1, interval: 0.25 };
  const span = hi - lo > 0 ? hi - lo : Math.abs(hi) > 0 ? Math.abs(hi) / 2 : 1;
  const raw = span / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const interval = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const min = Math.floor(lo / interval) * interval;
  let max = Math.ceil(hi / interval) * interval;
  if (max === min) max = min + interval;
  return { min, max, interval };
}
