import { applyCapRuleToAreas } from "../../capacity/capRule.js";
import type { CapacityPolicy } from "../../capacity/policy.js";
import type { Island } from "../../capacity/islands.js";
import type { Geography } from "../../geo/geography.js";
import type { AccessGrid } from "../accessGrid.js";
import type { ClinicState } from "../gps.js";

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
  /** The islands the exception covers (islandsForCapRule); default: the five whole-island municipalities. */
  islands?: readonly Island[];
}

export interface Allowance {
  /** New capacities per municipality, island exceptions included. */
  municipality: Float64Array;
  /** Per entry of `islands`: the extra capacities its exception allows (part of its municipality's). */
  islandExtra: number[];
}

/**
 * Every non-bridged island as the cap rule sees it in a projected year (docs/GEOGRAPHY.md):
 * residents are the island's share of its municipality's base residents times the year's, need
 * its share of the base population's Σ weight times the year's ceiling need (as
 * `weigh --by island`; assumption: the shares hold over the horizon), supply the capacities of
 * the open clinics standing on the island.
 */
export function islandsForCapRule(
  grid: AccessGrid,
  clinics: readonly ClinicState[],
  capacities: readonly number[],
  residentsMunicipality: ArrayLike<number>,
  ceilingMunicipality: ArrayLike<number>,
): Island[] {
  const supply = new Float64Array(grid.islands.length + 1);
  clinics.forEach((c, k) => {
    if (c.open) supply[grid.islandOf[c.location] ?? 0]! += capacities[k] ?? 0;
  });
  return grid.islands.map((i) => ({
    id: i.ruleId,
    name: i.name,
    councilIndex: i.councilIndex,
    municipalityIndex: i.municipalityIndex,
    residents: i.residentShare * (residentsMunicipality[i.municipalityIndex] ?? 0),
    need: i.needShare * (ceilingMunicipality[i.municipalityIndex] ?? 0),
    supply: supply[i.id] ?? 0,
  }));
}

/**
 * New capacities each municipality may open this year: the cap rule is src/capacity's
 * (`applyCapRuleToAreas`, the same rule `weigh` applies): a council below its ceiling may open
 * what it returns, spread over the council's municipalities largest shortfall first (what is
 * left goes to the largest), plus each municipality's island and fast-growth exceptions.
 * Re-filling a vacancy needs no allowance.
 */
export function newCapacityAllowance(geography: Geography, input: AllowanceInput): Allowance {
  const decision = applyCapRuleToAreas(geography, {
    asOf: input.asOf,
    policy: input.policy,
    ceilingMunicipality: input.ceilingMunicipality,
    supplyMunicipality: input.supplyMunicipality,
    growthShare: input.growthMunicipality,
    ...(input.islands !== undefined ? { islands: input.islands } : {}),
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
  return { municipality: allowance, islandExtra: decision.islands.map((i) => i.extraCapacitiesAllowed) };
}
