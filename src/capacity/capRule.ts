import type { Geography } from "../geo/geography.js";
import { capacitiesToOpen, type CapacityPolicy } from "./policy.js";
import { wholeIslandMunicipalities, type Island } from "./islands.js";
import type { CouncilStatus } from "./rules.js";

/**
 * The cap rule with its exceptions, the one implementation `weigh` (src/capacity/report.ts) and
 * the projection (src/projection/gps.ts) call. docs/CAPACITY.md quotes each rule beside the
 * engine's reading of it.
 *
 * - A council whose supply meets the ceiling in force is **closed**; otherwise **open** and may
 *   open `capacitiesToOpen(ceiling − supply)` new capacities (rounding: `policy`).
 * - **Island exception** (until `policy.islandExceptionUntil`, exclusive): an island in a closed
 *   council may open its own deficit rounded **up** (assumption: an island's residents cannot use
 *   the mainland's spare capacity, so a partial deficit there is a real shortage).
 * - **Fast growth** (assumption: the law's "extraordinary situations" read as fast population
 *   growth): a municipality of a closed council that grew by more than
 *   `policy.fastGrowthThresholdShare` in the past year and is short may open
 *   `policy.fastGrowthExtraCapacities`, at most its own deficit rounded up.
 *
 * In an open council both exceptions give nothing extra: the municipality shares the council's
 * allowance. Nobody is forced to cut and re-filling existing capacities is always allowed.
 */
export interface CapRuleInput {
  /** The decision date `YYYY-MM-DD`. */
  asOf: string;
  policy: CapacityPolicy;
  /** Per council index: the ceiling in force (need at the ceiling's date) and today's supply, capacities. */
  councils: readonly { ceiling: number; supply: number }[];
  /** Per municipality index. `growthShare` is the past year's population growth; null when unknown. */
  municipalities: readonly { councilIndex: number; ceiling: number; supply: number; growthShare: number | null }[];
  islands: readonly Island[];
}

export interface CouncilDecision {
  status: CouncilStatus;
  newCapacitiesAllowed: number;
}

export interface IslandDecision {
  id: string;
  municipalityIndex: number;
  /** The exception is in force on the decision date. */
  exceptionInForce: boolean;
  extraCapacitiesAllowed: number;
}

export interface MunicipalityDecision {
  fastGrowth: boolean;
  fastGrowthExtraCapacitiesAllowed: number;
  /** Σ of this municipality's islands' extra capacities. */
  islandExtraCapacitiesAllowed: number;
}

export interface CapDecision {
  councils: CouncilDecision[];
  municipalities: MunicipalityDecision[];
  islands: IslandDecision[];
  islandExceptionInForce: boolean;
}

/** Open or closed, and how many new capacities a council may open. */
export function councilDecision(
  ceilingCapacities: number,
  supplyCapacities: number,
  policy: Pick<CapacityPolicy, "openingRoundUpFraction">,
): CouncilDecision {
  if (supplyCapacities >= ceilingCapacities) return { status: "closed", newCapacitiesAllowed: 0 };
  return { status: "open", newCapacitiesAllowed: capacitiesToOpen(ceilingCapacities - supplyCapacities, policy.openingRoundUpFraction) };
}

/** An area's own deficit in whole capacities, rounded up; 0 when it is not short. */
export function ownDeficitRoundedUp(needCapacities: number, supplyCapacities: number): number {
  return needCapacities > supplyCapacities ? Math.ceil(needCapacities - supplyCapacities) : 0;
}

export function applyCapRule(input: CapRuleInput): CapDecision {
  const { policy } = input;
  const councils = input.councils.map((c) => councilDecision(c.ceiling, c.supply, policy));
  const closed = (councilIndex: number): boolean => councils[councilIndex]?.status === "closed";
  // ISO dates compare correctly as text.
  const islandExceptionInForce = input.asOf < policy.islandExceptionUntil;
  const islands = input.islands.map(
    (island): IslandDecision => ({
      id: island.id,
      municipalityIndex: island.municipalityIndex,
      exceptionInForce: islandExceptionInForce,
      extraCapacitiesAllowed: islandExceptionInForce && closed(island.councilIndex) ? ownDeficitRoundedUp(island.need, island.supply) : 0,
    }),
  );
  const municipalities = input.municipalities.map((m): MunicipalityDecision => {
    const fastGrowth = m.growthShare !== null && m.growthShare > policy.fastGrowthThresholdShare;
    const deficit = ownDeficitRoundedUp(m.ceiling, m.supply);
    return {
      fastGrowth,
      fastGrowthExtraCapacitiesAllowed: fastGrowth && closed(m.councilIndex) ? Math.min(policy.fastGrowthExtraCapacities, deficit) : 0,
      islandExtraCapacitiesAllowed: 0,
    };
  });
  for (const island of islands) {
    const m = municipalities[island.municipalityIndex];
    if (m !== undefined) m.islandExtraCapacitiesAllowed += island.extraCapacitiesAllowed;
  }
  return { councils, municipalities, islands, islandExceptionInForce };
}

/** Per-municipality figures of one decision date; councils are their municipalities' sums. */
export interface CapRuleAreas {
  asOf: string;
  policy: CapacityPolicy;
  /** Need by the population of the ceiling in force, capacities, per municipality index. */
  ceilingMunicipality: ArrayLike<number>;
  supplyMunicipality: ArrayLike<number>;
  /** Past year's population growth (share) per municipality index; null entries when unknown. */
  growthShare: ArrayLike<number | null>;
  residentsMunicipality?: ArrayLike<number>;
  /** The islands the exception covers; default: the whole-island municipalities. */
  islands?: readonly Island[];
}

/**
 * The cap rule on municipality arrays: what `weigh` and each projected year call. The council
 * ceiling is the sum of its municipalities' (the life-expectancy correction keeps council totals).
 */
export function applyCapRuleToAreas(geography: Geography, areas: CapRuleAreas): CapDecision {
  const at = (values: ArrayLike<number>, i: number): number => values[i] ?? 0;
  const councils = geography.councils.map((c) => ({
    ceiling: c.municipalityIndices.reduce((s, i) => s + at(areas.ceilingMunicipality, i), 0),
    supply: c.municipalityIndices.reduce((s, i) => s + at(areas.supplyMunicipality, i), 0),
  }));
  const islands =
    areas.islands ??
    wholeIslandMunicipalities(geography, {
      residents: areas.residentsMunicipality ?? new Float64Array(geography.municipalities.length),
      need: areas.ceilingMunicipality,
      supply: areas.supplyMunicipality,
    });
  return applyCapRule({
    asOf: areas.asOf,
    policy: areas.policy,
    councils,
    municipalities: geography.municipalities.map((m) => ({
      councilIndex: m.councilIndex,
      ceiling: at(areas.ceilingMunicipality, m.index),
      supply: at(areas.supplyMunicipality, m.index),
      growthShare: areas.growthShare[m.index] ?? null,
    })),
    islands,
  });
}

/** Growth 1 Jan 2025 → 1 Jan 2026 from data/kommuner.csv: the past year of the default population. */
export function publishedGrowth(geography: Geography): (number | null)[] {
  return geography.municipalities.map((mu) => (mu.population2025 > 0 ? mu.population2026 / mu.population2025 - 1 : null));
}
