import type { CapacityPolicy } from "../capacity/policy.js";
import { MUNICIPALITY_COUNT, type Geography } from "../geo/geography.js";
import type { ParameterValues } from "../model/parameters.js";
import type { GpRegister } from "../register/types.js";
import { STREAM, streamKey, uniformAt } from "../kernel/rng.js";
import { AccessState, residentsByLocation, worstAccessTown } from "./access.js";
import { mainTownOf, type AccessGrid } from "./accessGrid.js";
import { islandsForCapRule, newCapacityAllowance } from "./supply/allowance.js";
import type { MunicipalLevers } from "./supply/levers.js";
import { ListBook } from "./supply/lists.js";
import {
  addClinic,
  closeClinic,
  endContracts,
  expireTemporaryClinics,
  openDueTenders,
  takeOrphanedInto,
  type SupplyWorld,
} from "./supply/orphans.js";
import type { PlaceFeatures } from "./supply/places.js";
import { exitProbability, type RetirementHazard } from "./supply/retirement.js";
import { chooseMunicipality, placeUtilities, shortageShare } from "./supply/settle.js";

/**
 * GPs and clinics of one replication, year by year (≈ 3,500 GPs: plain TS is cheap enough):
 * retirements by an age hazard, GPs who move and new GPs from training choosing where to settle
 * (a logit over the places the cap rule allows, src/projection/supply/settle.ts), vacancies that
 * stay open, practices nobody takes over, and their lists going to neighbours with room, a
 * temporary clinic, a tendered clinic, or no GP (src/projection/supply/orphans.ts).
 */
export interface ClinicState {
  municipality: number;
  /** Tendered clinic (udbudsklinik): staffed by employed doctors, not in the GP arrays, never taken over. */
  tendered: boolean;
  open: boolean;
  /** A tendered clinic's capacities; a practice's are its active GPs'. */
  capacities: number;
  /** Year index at which a tendered clinic's contract ends. */
  contractEndsYear: number;
  /** Where it stands: a location id of the locations table (src/projection/accessGrid.ts). */
  location: number;
  /** A tendered clinic's doctors (people, for the access rule); 0 for a practice, whose GPs are in the GP arrays. */
  doctors: number;
}

export interface Vacancy {
  clinic: number;
  capacity: number;
  openedYear: number;
}

export interface GpWorld extends SupplyWorld {
  gpAge: number[];
  gpCapacity: number[];
  gpClinic: number[];
  gpActive: boolean[];
  vacancies: Vacancy[];
}

/**
 * The world of the register: its tendered clinics' contracts end in a staggered way over the
 * first contract length (assumption). Clinics stand where the grid placed the register's clinics.
 */
export function makeGpWorld(register: GpRegister, grid: AccessGrid, contractYears = 4): GpWorld {
  const gpIndexById = new Map(register.gps.map((gp, i) => [gp.gpId, i]));
  const clinics: ClinicState[] = register.clinics.map((c, k) => ({
    municipality: c.municipalityIndex,
    tendered: c.tendered,
    open: c.capacities > 0,
    capacities: c.capacities,
    contractEndsYear: c.tendered ? 1 + (k % contractYears) : -1,
    location: locationOfRegisterClinic(grid, k, c.municipalityIndex),
    doctors: c.tendered ? c.gpIds.length : 0,
  }));
  const clinicsOf: number[][] = Array.from({ length: MUNICIPALITY_COUNT }, () => []);
  clinics.forEach((c, k) => clinicsOf[c.municipality]!.push(k));
  const world: GpWorld = {
    clinics,
    clinicsOf,
    gpAge: register.gps.map((g) => g.ageYears),
    gpCapacity: register.gps.map((g) => g.capacity),
    gpClinic: register.gps.map(() => -1),
    gpActive: register.gps.map(() => false),
    vacancies: [],
    lists: new ListBook(register.clinics.length),
    temporaryOpenedYear: new Int32Array(MUNICIPALITY_COUNT).fill(-1),
    pendingTenders: [],
    access: new AccessState(grid),
  };
  register.clinics.forEach((c, k) => {
    for (const id of c.gpIds) {
      const i = gpIndexById.get(id);
      if (i === undefined) continue;
      world.gpClinic[i] = k;
      // A tendered clinic's doctors are employed: they neither retire into vacancies nor move.
      world.gpActive[i] = !c.tendered;
    }
  });
  return world;
}

/** The grid's place of register clinic k; its municipality's largest town when the grid was built for another register. */
function locationOfRegisterClinic(grid: AccessGrid, k: number, m: number): number {
  const location = grid.registerClinicLocation[k] ?? -1;
  return location >= 0 && grid.municipalityOf[location] === m ? location : mainTownOf(grid, m);
}

/** Capacities of every clinic: a practice's active GPs', a tendered clinic's own; 0 when closed. */
export function clinicCapacities(world: GpWorld): number[] {
  const caps = world.clinics.map(() => 0);
  world.clinics.forEach((c, k) => {
    if (c.open && c.tendered) caps[k] = c.capacities;
  });
  for (let i = 0; i < world.gpActive.length; i++) if (world.gpActive[i]) caps[world.gpClinic[i]!]! += world.gpCapacity[i] ?? 0;
  return caps;
}

export function supplyByMunicipality(world: GpWorld, municipalities: number): Float64Array {
  const supply = new Float64Array(municipalities);
  const caps = clinicCapacities(world);
  world.clinics.forEach((c, k) => {
    if (c.open) supply[c.municipality]! += caps[k] ?? 0;
  });
  return supply;
}

/** Entrants from specialist training in `calendarYear`: places × fill rate × share who settle, lagged. */
export function expectedEntrants(p: ParameterValues, calendarYear: number): number {
  const cohort = calendarYear - p.num("training.lagYears");
  const places = cohort >= p.num("training.placesChangeYear") ? p.num("training.placesPerYear") : p.num("training.historicPlacesPerYear");
  return places * p.num("training.fillRate") * p.num("training.settleShare");
}

export interface YearContext {
  /** 1-based year index; the calendar year is baseYear + year. */
  year: number;
  calendarYear: number;
  /** The year's kernel sums per original list (dense clinic index; the last slot is "not listed"). */
  rawResidents: Float64Array;
  rawWeight: Float64Array;
  needMunicipality: Float64Array;
  /** Need by the population of the ceiling in force on `asOf` (src/capacity/ceilings.ts), capacities. */
  ceilingMunicipality: Float64Array;
  /** Past year's population growth of each municipality (share), as the cap rule reads it. */
  growthMunicipality: Float64Array;
  target: number;
  /** The day the year's decisions are taken (YYYY-MM-DD). */
  asOf: string;
  /** The cap rule's open choices (island end date, rounding, fast growth). */
  policy: CapacityPolicy;
  /** The year's residents per municipality (places residents on locations for the access rule); default: the base population's. */
  residentsMunicipality?: Float64Array;
}

export interface GpRules {
  seed: number;
  replication: number;
  retirement: RetirementHazard;
  /** Population scale of the run (1 = all of Denmark): national training inflows shrink with it. */
  populationScale: number;
  geography: Geography;
  features: PlaceFeatures;
  levers: MunicipalLevers;
  p: ParameterValues;
  /** Locations, distances and the access rule (src/projection/accessGrid.ts). */
  access: AccessGrid;
}

/** The year's flows per municipality (index = municipality). */
export interface YearFlows {
  retirements: Float64Array;
  entrants: Float64Array;
  moversIn: Float64Array;
  moversOut: Float64Array;
  refilled: Float64Array;
  newCapacities: Float64Array;
  closures: Float64Array;
  tenderedOpened: Float64Array;
  tenderedEnded: Float64Array;
  tenderStaffingFailures: Float64Array;
  leverCostDkk: Float64Array;
  /** Capacities movers took at their destination minus those they held at an open origin (src/results/decomposition.ts). */
  moverCapacitiesNet: Float64Array;
  /** Per island of the grid (index = island id − 1): the extra capacities its exception allowed this year. */
  islandExtraCapacities: Float64Array;
}

export const FLOW_NAMES = [
  "retirements",
  "entrants",
  "moversIn",
  "moversOut",
  "refilled",
  "newCapacities",
  "closures",
  "tenderedOpened",
  "tenderedEnded",
  "tenderStaffingFailures",
  "leverCostDkk",
  "moverCapacitiesNet",
] as const satisfies readonly Exclude<keyof YearFlows, "islandExtraCapacities">[];

export const flowTotal = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);

/** One year of GP dynamics. */
export function stepGps(world: GpWorld, rules: GpRules, ctx: YearContext): YearFlows {
  const { p, geography, levers } = rules;
  const n = geography.municipalities.length;
  const flows = {
    ...Object.fromEntries(FLOW_NAMES.map((k) => [k, new Float64Array(n)])),
    islandExtraCapacities: new Float64Array(rules.access.islands.length),
  } as unknown as YearFlows;
  const key = (stream: number): number => streamKey(rules.seed, rules.replication, ctx.year, stream);
  const retireKey = key(STREAM.gps);
  const moveKey = key(STREAM.moves);
  const settleKey = key(STREAM.settle);
  world.lists.refresh(ctx.rawResidents, ctx.rawWeight);
  const hazard = { ...rules.retirement, midAgeYears: rules.retirement.midAgeYears + p.num("gp.retirementAgeShiftYears") };
  const municipalityOf = (i: number): number => world.clinics[world.gpClinic[i] ?? -1]?.municipality ?? 0;

  // Retirements; a retention subsidy makes a GP at or above its age retire as if younger.
  for (let i = 0; i < world.gpAge.length; i++) {
    if (!world.gpActive[i]) continue;
    const m = municipalityOf(i);
    const age = world.gpAge[i] ?? 0;
    const subsidised = age >= (levers.retentionFromAge[m] ?? Infinity);
    if (subsidised) flows.leverCostDkk[m]! += levers.retentionDkkPerGpYear[m] ?? 0;
    if (uniformAt(retireKey, i) < exitProbability(subsidised ? age - (levers.retentionYears[m] ?? 0) : age, hazard)) {
      world.gpActive[i] = false;
      flows.retirements[m]! += 1;
      world.vacancies.push({ clinic: world.gpClinic[i]!, capacity: world.gpCapacity[i] ?? 0, openedYear: ctx.year });
    }
  }
  // A vacancy open too long is given up (its capacity disappears).
  const maxOpen = p.num("vacancy.maxOpenYears");
  world.vacancies = world.vacancies.filter((v) => ctx.year - v.openedYear < maxOpen && world.clinics[v.clinic]?.open === true);

  // Access as it stands after retirements, kept current below as GPs take places.
  const grid = rules.access;
  const residentsMunicipality = ctx.residentsMunicipality ?? grid.baseResidentsMunicipality;
  const residentsAt = residentsByLocation(grid, residentsMunicipality);
  world.access.rebuild(world);

  // The places of the round: vacancies anywhere, new capacities where the cap rule allows.
  const supply = supplyByMunicipality(world, n);
  const allowance = newCapacityAllowance(geography, {
    asOf: ctx.asOf,
    policy: ctx.policy,
    ceilingMunicipality: ctx.ceilingMunicipality,
    needMunicipality: ctx.needMunicipality,
    supplyMunicipality: supply,
    growthMunicipality: ctx.growthMunicipality,
    islands: islandsForCapRule(grid, world.clinics, clinicCapacities(world), residentsMunicipality, ctx.ceilingMunicipality),
  });
  const expU = placeUtilities(rules.features, p, shortageShare(ctx.needMunicipality, supply), levers.utility).map(Math.exp);
  const newSlots = allowance.municipality.map(Math.floor);
  // A capacity an island's exception allows opens on that island (island ids, taken first).
  const islandSlotsOf: number[][] = Array.from({ length: n }, () => []);
  allowance.islandExtra.forEach((extra, i) => {
    const island = grid.islands[i]!;
    flows.islandExtraCapacities[i] = extra;
    for (let j = 0; j < extra; j++) islandSlotsOf[island.municipalityIndex]!.push(island.id);
  });
  // Vacancies by municipality for the round (in their order of opening); back into one list after it.
  const vacanciesOf: Vacancy[][] = Array.from({ length: n }, () => []);
  for (const v of world.vacancies) vacanciesOf[world.clinics[v.clinic]!.municipality]!.push(v);
  const vacancyCount = Float64Array.from(vacanciesOf, (v) => v.length);
  const weights = Float64Array.from(expU, (e, m) => e * ((vacancyCount[m] ?? 0) + (newSlots[m] ?? 0)));
  const places = flowTotal(vacancyCount) + flowTotal(newSlots);
  const outsideWeight = Math.exp(p.num("settle.outsideUtility")) * places;
  const activeAt = clinicCapacities(world);

  /** Takes a place in m for a GP: a vacancy (a practice left with no GP first, then the oldest), else a new capacity. */
  const takePlace = (m: number): { clinic: number; capacity: number } => {
    weights[m] = Math.max(0, (weights[m] ?? 0) - (expU[m] ?? 0));
    const here = vacanciesOf[m]!;
    let best = -1;
    here.forEach((v, j) => {
      const b = here[best];
      const solo = (activeAt[v.clinic] ?? 0) <= 0;
      const bSolo = b !== undefined && (activeAt[b.clinic] ?? 0) <= 0;
      if (b === undefined || (solo && !bSolo) || (solo === bSolo && v.openedYear < b.openedYear)) best = j;
    });
    if (best >= 0) {
      const v = here.splice(best, 1)[0]!;
      vacancyCount[m]! -= 1;
      flows.refilled[m]! += 1;
      return { clinic: v.clinic, capacity: v.capacity };
    }
    newSlots[m]! -= 1;
    flows.newCapacities[m]! += 1;
    const clinic = practiceForNewCapacity(world, m, activeAt, { grid, residents: residentsAt, islandId: islandSlotsOf[m]!.shift() });
    takeOrphanedInto(world, clinic, m, ctx.target);
    return { clinic, capacity: 1 };
  };

  // GPs who move: those below 60 who look choose like new GPs; picking another municipality is a move.
  const gpsBefore = world.gpAge.length;
  for (let i = 0; i < gpsBefore; i++) {
    if (!world.gpActive[i] || (world.gpAge[i] ?? 0) >= 60 || uniformAt(moveKey, i) >= p.num("gp.moveShare")) continue;
    const from = municipalityOf(i);
    const to = chooseMunicipality(weights, outsideWeight, uniformAt(settleKey, i));
    if (to < 0 || to === from) continue;
    const place = takePlace(to);
    // The supply change a move makes: its place's capacity here, minus its old one where it counted (an open clinic).
    if (world.clinics[world.gpClinic[i]!]?.open === true) flows.moverCapacitiesNet[from]! -= world.gpCapacity[i] ?? 0;
    flows.moverCapacitiesNet[to]! += place.capacity;
    vacanciesOf[from]!.push({ clinic: world.gpClinic[i]!, capacity: world.gpCapacity[i] ?? 0, openedYear: ctx.year });
    activeAt[world.gpClinic[i]!]! -= world.gpCapacity[i] ?? 0;
    vacancyCount[from]! += 1;
    weights[from]! += expU[from] ?? 0;
    world.access.add(world.clinics[world.gpClinic[i]!]!.location, -1);
    world.access.add(world.clinics[place.clinic]!.location, 1);
    world.gpClinic[i] = place.clinic;
    world.gpCapacity[i] = place.capacity;
    activeAt[place.clinic]! += place.capacity;
    flows.moversOut[from]! += 1;
    flows.moversIn[to]! += 1;
    flows.leverCostDkk[to]! += levers.settlingDkkPerEntrant[to] ?? 0;
  }

  // New GPs from training: the expected number, rounded up with the probability of its fraction.
  const expected = expectedEntrants(p, ctx.calendarYear) * rules.populationScale;
  const pool = Math.floor(expected) + (uniformAt(settleKey, 0x7fffffff) < expected - Math.floor(expected) ? 1 : 0);
  const newGpAge = p.num("gp.newGpAgeYears");
  for (let j = 0; j < pool; j++) {
    const m = chooseMunicipality(weights, outsideWeight, uniformAt(settleKey, 0x40000000 + j));
    if (m < 0) continue;
    const place = takePlace(m);
    world.gpAge.push(newGpAge - 1); // aged +1 below with everyone else
    world.gpCapacity.push(place.capacity);
    world.gpClinic.push(place.clinic);
    world.gpActive.push(true);
    world.access.add(world.clinics[place.clinic]!.location, 1);
    activeAt[place.clinic]! += place.capacity;
    flows.entrants[m]! += 1;
    flows.leverCostDkk[m]! += levers.settlingDkkPerEntrant[m] ?? 0;
  }

  world.vacancies = vacanciesOf.flat();
  // A practice left with no GP and nobody taking over closes: its list is orphaned.
  const orphanKey = key(STREAM.clinics);
  world.clinics.forEach((c, k) => {
    if (!c.open || c.tendered || (activeAt[k] ?? 0) > 0) return;
    closeClinic(world, k, { rules, ctx, capacities: activeAt, drawKey: orphanKey, residents: residentsAt });
    flows.closures[c.municipality]! += 1;
  });
  world.vacancies = world.vacancies.filter((v) => world.clinics[v.clinic]?.open === true);
  const tenderKey = key(STREAM.tenders);
  openDueTenders(world, { rules, ctx, capacities: activeAt, drawKey: tenderKey, residents: residentsAt }, flows);
  endContracts(world, { rules, ctx, capacities: clinicCapacities(world), drawKey: tenderKey, residents: residentsAt }, flows);
  expireTemporaryClinics(world, ctx.year, p.num("temporary.maxYears"));

  // Fixed lever costs and the extra training places (national; spread by population).
  const extraPlaces = Math.max(0, p.num("training.placesPerYear") - p.num("training.historicPlacesPerYear"));
  const cohortsSinceChange = ctx.calendarYear - p.num("training.placesChangeYear") + 1;
  const inTraining = Math.max(0, Math.min(p.num("training.lagYears"), cohortsSinceChange));
  const trainingDkk = extraPlaces * inTraining * p.num("training.costDkkPerPlaceYear") * rules.populationScale;
  const population = geography.municipalities.reduce((s, m) => s + m.population2026, 0);
  for (const m of geography.municipalities) {
    const fixed = (levers.fixedDkkPerYear[m.index] ?? 0) * rules.populationScale;
    flows.leverCostDkk[m.index]! += fixed + (trainingDkk * m.population2026) / population;
  }
  for (let i = 0; i < world.gpAge.length; i++) world.gpAge[i]! += 1;
  return flows;
}

/**
 * Where a new GP-owned capacity of municipality m goes (docs/GEOGRAPHY.md, "In the projection"):
 * when residents within reach of m's towns fail the access rule, to the town where it does most
 * for them (src/projection/access.ts), joining the most pressed open practice already there or
 * opening a new one; otherwise to m's open practice under most pressure (weighted list per
 * capacity), or a new one at m's largest town. A capacity of an island's exception (`islandId`)
 * stays on that island: its town with the worst access, else the island's largest.
 */
function practiceForNewCapacity(
  world: GpWorld,
  m: number,
  capacities: number[],
  site: { grid: AccessGrid; residents: Float64Array; islandId: number | undefined },
): number {
  const { grid, islandId } = site;
  const onIsland = islandId === undefined ? undefined : (l: number): boolean => grid.islandOf[l] === islandId;
  let town = worstAccessTown(world.access, site.residents, m, onIsland);
  if (town < 0 && islandId !== undefined) town = grid.islands[islandId - 1]?.mainLocation ?? -1;
  if (town >= 0) {
    const there = mostPressedPractice(world, m, capacities, (k) => world.clinics[k]!.location === town);
    return there >= 0 ? there : newPractice(world, m, town, capacities);
  }
  const best = mostPressedPractice(world, m, capacities, () => true);
  return best >= 0 ? best : newPractice(world, m, mainTownOf(grid, m), capacities);
}

/** The open GP-owned practice of municipality m under most pressure (weighted list per capacity) among `where`; −1 if none. */
function mostPressedPractice(world: GpWorld, m: number, capacities: number[], where: (k: number) => boolean): number {
  let best = -1;
  let bestLoad = -Infinity;
  for (const k of world.clinicsOf[m] ?? []) {
    const c = world.clinics[k]!;
    if (!c.open || c.tendered || (capacities[k] ?? 0) <= 0 || !where(k)) continue;
    const load = world.lists.weight(k) / (capacities[k] ?? 1);
    if (load > bestLoad) {
      bestLoad = load;
      best = k;
    }
  }
  return best;
}

function newPractice(world: GpWorld, m: number, location: number, capacities: number[]): number {
  capacities.push(0);
  return addClinic(world, { municipality: m, tendered: false, open: true, capacities: 0, contractEndsYear: -1, location, doctors: 0 });
}
