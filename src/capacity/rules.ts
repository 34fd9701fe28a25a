import { FordelingError } from "../errors.js";
import type { Municipality } from "../geo/geography.js";

/**
 * The law's fixed rules and the reporting band, each with its source. The target per capacity
 * and the life-expectancy correction belong to the weight table (they travel with it); the
 * projection may override the island date per scenario (`policy.islandExceptionUntil`).
 * docs/CAPACITY.md explains every choice made here.
 */
export const CAPACITY_RULES = {
  /** Act 718 of 20 June 2025: extra provider numbers on non-bridged islands until 1 January 2027 (exclusive). */
  islandExceptionUntil: "2027-01-01",
  /**
   * The ministry's description of the model: for 80 % of clinics the minimum list lands between
   * 1,150 and 2,000 patients per capacity. Reported as the share of clinics inside this band.
   */
  minimumPatientsBand: { low: 1150, high: 2000 },
} as const;

export interface CapacityRuleOptions {
  /** First day the island exception no longer applies, `YYYY-MM-DD`. */
  islandExceptionUntil?: string;
}

export type CouncilStatus = "open" | "closed";

export interface CapStatus {
  status: CouncilStatus;
  /** Whole new capacities the council may open; 0 when closed. */
  newCapacitiesAllowed: number;
}

/**
 * The cap rule: a council whose supply meets its need is closed for new capacities (re-filling
 * existing ones is always allowed, and nobody is forced to cut). An open council may open
 * floor(need − supply) whole capacities (assumption: rounding down, so opening never lifts
 * supply above need; a deficit under one capacity leaves the council open but with 0 to open).
 */
export function capStatus(needCapacities: number, supplyCapacities: number): CapStatus {
  if (supplyCapacities >= needCapacities) return { status: "closed", newCapacitiesAllowed: 0 };
  return { status: "open", newCapacitiesAllowed: Math.floor(needCapacities - supplyCapacities) };
}

/**
 * Extra capacities an island under the exception may open when its council is closed: its own
 * deficit rounded **up** (assumption). The law names no number; rounding up differs on purpose
 * from the council rule, because an island's residents cannot use spare capacity on the
 * mainland, so a partial deficit there is a real shortage (Samsø: need 2.8, supply 2 → 1).
 */
export function islandExtraCapacities(needCapacities: number, supplyCapacities: number): number {
  return needCapacities > supplyCapacities ? Math.ceil(needCapacities - supplyCapacities) : 0;
}

/** The island exception applies to a non-bridged island municipality on days before `until`. */
export function islandExceptionApplies(
  municipality: Pick<Municipality, "islandNoBridge">,
  asOf: string,
  until: string = CAPACITY_RULES.islandExceptionUntil,
): boolean {
  // ISO dates compare correctly as text; no time zone can shift a calendar date this way.
  return municipality.islandNoBridge && asOf < until;
}

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
