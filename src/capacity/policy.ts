import type { ParameterValues } from "../model/parameters.js";
import { defaultParameterFile, makeParameterValues, PARAMETER_KEYS, type ParameterKey } from "../model/parameters.js";

/**
 * The open choices of the cap rule, shared by `weigh` and the projection so both apply one
 * rule. Every value comes from data/model/parameters.json (its source or "assumption" is there);
 * `weigh` takes the central values, a projection replication its drawn ones (a scenario may
 * override them). docs/CAPACITY.md quotes the rule each one belongs to.
 */
export interface CapacityPolicy {
  /** First day the island exception no longer applies (exclusive), `YYYY-MM-DD`. */
  islandExceptionUntil: string;
  /**
   * How a deficit becomes whole capacities to open: the fraction of a capacity from which a
   * partial deficit counts as one more. 1 rounds down (the default assumption), 0.5 to nearest.
   */
  openingRoundUpFraction: number;
  /** Yearly population growth (share) above which a municipality counts as fast-growing. */
  fastGrowthThresholdShare: number;
  /** Extra capacities a fast-growing, short municipality may open per year in a closed council. */
  fastGrowthExtraCapacities: number;
}

export function capacityPolicyFromParameters(p: ParameterValues): CapacityPolicy {
  return {
    islandExceptionUntil: p.str("policy.islandExceptionUntil"),
    openingRoundUpFraction: p.num("policy.openingRoundUpFraction"),
    fastGrowthThresholdShare: p.num("policy.extraCapacityGrowthThreshold"),
    fastGrowthExtraCapacities: p.num("policy.extraCapacitiesPerGrowthYear"),
  };
}

/** The central values of the default parameter file: what `weigh` applies. */
export function defaultCapacityPolicy(): CapacityPolicy {
  const file = defaultParameterFile();
  const entries = PARAMETER_KEYS.map((key) => [key, file.parameters[key].value]);
  const values = Object.fromEntries(entries) as Record<ParameterKey, number | string>;
  return capacityPolicyFromParameters(makeParameterValues(values));
}

/**
 * Whole capacities that a deficit (need − supply, capacities) allows to open. The law says a
 * council may open capacities up to its need and names no rounding; the engine's assumption is
 * `openingRoundUpFraction` (1 = floor: opening never lifts supply above need).
 */
export function capacitiesToOpen(deficitCapacities: number, roundUpFraction: number): number {
  if (!(deficitCapacities > 0)) return 0;
  const whole = Math.floor(deficitCapacities);
  const part = deficitCapacities - whole;
  return part > 0 && part >= roundUpFraction ? whole + 1 : whole;
}
