import { capStatus, islandExceptionApplies } from "../../capacity/rules.js";
import type { Geography } from "../../geo/geography.js";
import type { ParameterValues } from "../../model/parameters.js";

/**
 * New capacities each municipality may open this year: the cap rule (src/capacity `capStatus`:
 * a council below need may open floor(need − supply)) spread over its municipalities, largest
 * shortfall first (what is left goes to the largest), plus the island exception and the
 * temporary extra capacity of a fast-growing municipality where the municipality is below its
 * own need. Re-filling a vacancy needs no allowance.
 */
export function newCapacityAllowance(
  geography: Geography,
  p: ParameterValues,
  needMunicipality: Float64Array,
  needCouncil: Float64Array,
  supplyMunicipality: Float64Array,
  growthMunicipality: Float64Array,
  asOf: string,
  islandExceptionUntil: string,
): Float64Array {
  const allowance = new Float64Array(geography.municipalities.length);
  const shortfall = (m: number): number => (needMunicipality[m] ?? 0) - (supplyMunicipality[m] ?? 0);
  for (const council of geography.councils) {
    const supplyC = council.municipalityIndices.reduce((s, m) => s + (supplyMunicipality[m] ?? 0), 0);
    let open = capStatus(needCouncil[council.index] ?? 0, supplyC).newCapacitiesAllowed;
    const byShortfall = [...council.municipalityIndices].sort((a, b) => shortfall(b) - shortfall(a) || a - b);
    for (const m of byShortfall) {
      const take = Math.min(open, Math.max(0, Math.ceil(shortfall(m))));
      allowance[m]! += take;
      open -= take;
    }
    if (open > 0 && byShortfall[0] !== undefined) allowance[byShortfall[0]]! += open;
    for (const m of council.municipalityIndices) {
      const muni = geography.municipalities[m];
      const short = shortfall(m) > 0;
      if (muni !== undefined && short && islandExceptionApplies(muni, asOf, islandExceptionUntil)) {
        allowance[m]! += p.num("policy.islandExtraCapacitiesPerYear");
      }
      if (short && (growthMunicipality[m] ?? 0) > p.num("policy.extraCapacityGrowthThreshold")) {
        allowance[m]! += p.num("policy.extraCapacitiesPerGrowthYear");
      }
    }
  }
  return allowance;
}
