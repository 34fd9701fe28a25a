import { applyCapRuleToAreas } from "../../capacity/capRule.js";
import type { CapacityPolicy } from "../../capacity/policy.js";
import type { Geography } from "../../geo/geography.js";

export interface AllowanceInput {
  /** The decision date `YYYY-MM-DD`. */
  asOf: string;
  policy: CapacityPolicy;
  /** Need by the population of the ceiling in force on `asOf` (src/capacity/ceilings.ts), capacities. */
  ceilingMunicipality: Float64Array;
  /** Today's need, which orders municipalities inside a council by their shortfall. */
  needMunicipality: Float64Array;
  supplyMunicipality: Float64Array;
  /** Past year's population growth (share). */
  growthMunicipality: Float64Array;
}

/**
 * New capacities each municipality may open this year: the cap rule is src/capacity's
 * (`applyCapRuleToAreas`, the same rule `weigh` applies): a council below its ceiling may open
 * what it returns, spread over the council's municipalities largest shortfall first (what is
 * left goes to the largest), plus each municipality's island and fast-growth exceptions.
 * Re-filling a vacancy needs no allowance.
 */
export function newCapacityAllowance(geography: Geography, input: AllowanceInput): Float64Array {
  const decision = applyCapRuleToAreas(geography, {
    asOf: input.asOf,
    policy: input.policy,
    ceilingMunicipality: input.ceilingMunicipality,
    supplyMunicipality: input.supplyMunicipality,
    growthShare: input.growthMunicipality,
  });
  const allowance = new Float64Array(geography.municipalities.length);
  const shortfall = (m: number): number => (input.needMunicipality[m] ?? 0) - (input.supplyMunicipality[m] ?? 0);
  for (const council of geography.councils) {
    let open = decision.councils[council.index]?.newCapacitiesAllowed ?? 0;
    const byShortfall = [...council.municipalityIndices].sort((a, b) => shortfall(b) - shortfall(a) || a - b);
    for (const m of byShortfall) {
      const take = Math.min(open, Math.max(0, Math.ceil(shortfall(m))));
      allowance[m]! += take;
      open -= take;
    }
    if (open > 0 && byShortfall[0] !== undefined) allowance[byShortfall[0]]! += open;
    for (const m of council.municipalityIndices) {
      const rule = decision.municipalities[m];
      allowance[m]! += (rule?.islandExtraCapacitiesAllowed ?? 0) + (rule?.fastGrowthExtraCapacitiesAllowed ?? 0);
    }
  }
  return allowance;
}
