import { COUNCIL_COUNT, MUNICIPALITY_COUNT } from "../geo/geography.js";

/**
 * What every replication records per area and year. Areas are one flat index: the 98
 * municipalities, then the 17 councils, then the nation, then the non-bridged islands (the
 * locations table's, docs/GEOGRAPHY.md), so a replication's result is one Float64Array per
 * metric, cheap to pass between threads. An island's entries are its own figures: they are never
 * added to its municipality, council or the nation, and the metrics that mean nothing for an
 * island (births, costs, …) stay 0 or NaN there and are not shown (src/projection/summary.ts).
 */
export const METRICS = [
  "residents",
  "weightedResidents",
  "deaths",
  "births",
  "movedIn",
  "movedOut",
  "need",
  "supply",
  "gap",
  "short",
  "ceiling",
  "withoutGp",
  "tenderedClinics",
  "minListP10",
  "minListP50",
  "minListP90",
  "minListShareInside",
  // GP-supply flows during the year per area (0 in the base year), for the decomposition in
  // src/results/decomposition.ts: capacities of tendered clinics at the end of the year, capacities
  // taken by entrants, and capacities lost to retirements (the supply change entrants and
  // tendered clinics leave unexplained, so supply(t) − supply(t−1) = entrants − retired + Δtendered).
  "tenderedSupply",
  "entrantCapacities",
  "retiredCapacities",
  "residentsListed",
  "residentsTemporary",
  "residentsTendered",
  "unfilledVacancies",
  "retirements",
  "entrants",
  "moversIn",
  "moversOut",
  "costTemporaryDkk",
  "costTenderedDkk",
  "costLeversDkk",
  "gps",
  "gpShare65Plus",
  // The access rule (src/projection/access.ts): residents with fewer than two GPs within 15 km, and their share of the area's residents.
  "residentsFailingAccess",
  "shareFailingAccess",
  // Further GP-supply flows for the decomposition: capacities GPs moving in took minus those GPs
  // moving out held (during the year), and the capacities temporary clinics staff at the year's end
  // (their residents' weighted list / the target; counted in supply, not in the cap rule's supply).
  "moverCapacitiesNet",
  "temporarySupply",
  // Islands only: the extra capacities the island exception allowed in the year's decision (0 in
  // the base year and from 2027, when the exception has ended; src/projection/supply/allowance.ts).
  "islandExtraCapacities",
] as const;

export type Metric = (typeof METRICS)[number];

/**
 * The non-bridged islands: the 5 island municipalities of data/kommuner.csv and the 27 small
 * islands of data/geo/small_islands.csv. The area index is fixed at compile time, so building the
 * access grid checks the data gives this count (src/projection/accessGrid.ts).
 */
export const ISLAND_COUNT = 32;

export const AREA_COUNT = MUNICIPALITY_COUNT + COUNCIL_COUNT + 1 + ISLAND_COUNT;
export const areaIndexOfCouncil = (council: number): number => MUNICIPALITY_COUNT + council;
export const areaNational = (): number => MUNICIPALITY_COUNT + COUNCIL_COUNT;
/** Island id 1…ISLAND_COUNT (the locations table's) → its area index. */
export const areaIndexOfIsland = (islandId: number): number => MUNICIPALITY_COUNT + COUNCIL_COUNT + islandId;
