import { FordelingError } from "../errors.js";

/**
 * The law's fixed dates and the reporting band, each with its source. The target per capacity
 * and the life-expectancy correction belong to the weight table (they travel with it); the
 * open choices of the cap rule are parameters (src/capacity/policy.ts), its one implementation
 * is src/capacity/capRule.ts. docs/CAPACITY.md explains every choice made here.
 */
export const CAPACITY_RULES = {
  /**
   * Act 718 of 20 June 2025: extra provider numbers on non-bridged islands until 1 January 2027
   * (exclusive). The value in force is the parameter `policy.islandExceptionUntil`; this is its text.
   */
  islandExceptionUntil: "2027-01-01",
  /**
   * The ministry's description of the model: for 80 % of clinics the minimum list lands between
   * 1,150 and 2,000 patients per capacity. Reported as the share of clinics inside this band.
   */
  minimumPatientsBand: { low: 1150, high: 2000 },
} as const;

export type CouncilStatus = "open" | "closed";

/**
 * Minimum list size per capacity = target / average weight of the clinic's patients. Undefined
 * (null) when there are no patients or the average weight is not positive: the formula has no
 * meaning there, and a made-up number would skew the distribution.
 */
export function minimumPatientsPerCapacity(targetPerCapacity: number, averageWeight: number | null): number | null {
  return averageWeight !== null && averageWeight > 0 ? targetPerCapacity / averageWeight : null;
}

/** Σ/n, or null for an empty area: never a NaN. */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;

/** A calendar date as `YYYY-MM-DD`; a Date counts by its UTC day. Rejects 2026-02-30 and the like. */
export function toIsoDate(value: string | Date, field = "asOf"): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw badDate(String(value), field);
    return value.toISOString().slice(0, 10);
  }
  const match = ISO_DATE.exec(value);
  if (match === null) throw badDate(value, field);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw badDate(value, field);
  }
  return value;
}

function badDate(value: string, field: string): FordelingError {
  return new FordelingError("FD_ERR_BAD_VALUE", `'${value}' is not a calendar date; use YYYY-MM-DD, e.g. 2026-01-01`, { field });
}
