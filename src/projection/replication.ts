import { publishedGrowth } from "../capacity/capRule.js";
import { ceilingInForce } from "../capacity/ceilings.js";
import { summarizeMinimumPatients } from "../capacity/distribution.js";
import { capacitiesToOpen, capacityPolicyFromParameters, type CapacityPolicy } from "../capacity/policy.js";
import { minimumPatientsPerCapacity, ratioOrNull } from "../capacity/rules.js";
import type { Geography } from "../geo/geography.js";
import type { ParameterFile, ParameterValues } from "../model/parameters.js";
import type { Scenario } from "../model/scenario.js";
import type { WeightTable } from "../model/weightTable.js";
import type { GpRegister } from "../register/types.js";
import { failingByMunicipality, residentsByLocation } from "./access.js";
import { checkIslandCount, type AccessGrid } from "./accessGrid.js";
import { drawParameters } from "./draw.js";
import { type FLOW_NAMES, clinicCapacities, makeGpWorld, stepGps, supplyByMunicipality, type GpWorld, type YearFlows } from "./gps.js";
import { makeNeedContext, needByArea } from "./law.js";
import type { PopulationProfile } from "./profile.js";
import { calibrateResidentRates, type ResidentRates } from "./rates.js";
import { AREA_COUNT, METRICS, areaIndexOfCouncil, areaIndexOfIsland, areaNational, type Metric } from "./metrics.js";
import { resolveLevers } from "./supply/levers.js";
import { residentStates, temporaryOf, type ResidentStates } from "./supply/lists.js";
import type { PlaceFeatures } from "./supply/places.js";
import type { RetirementHazard } from "./supply/retirement.js";

/** The base population is the state at the end of this year (1 Jan of the next). */
export const BASE_YEAR = 2025;

/** Sums of one simulated year, as the resident step leaves them. */
export interface ResidentYearSums {
  residents: Float64Array;
  weight: Float64Array;
  deaths: Float64Array;
  movedOut: Float64Array;
  movedIn: Float64Array;
  births: Float64Array;
  /** By dense clinic index; the last slot counts residents listed with no clinic. */
  clinicResidents: Float64Array;
  clinicWeight: Float64Array;
}

/** Runs the resident years 1…years of one replication with the given rates (WASM or reference). */
export type ResidentSimulator = (rates: ResidentRates, p: ParameterValues, replication: number, years: number) => ResidentYearSums[];

/** Everything a replication needs besides its index; built once per run, shared by workers. */
export interface ProjectionContext {
  geography: Geography;
  register: GpRegister;
  weightTable: WeightTable;
  parameterFile: ParameterFile;
  scenario: Scenario;
  seed: number;
  horizonYear: number;
  profile: PopulationProfile;
  /** Year 0 (end 2025): the base population's sums. */
  baseSums: ResidentYearSums;
  /** Share of each municipality's residents not listed with any clinic in the base population. */
  unlistedShare: Float64Array;
  centralLnLevel: Float64Array;
  /** The GPs' exit hazard, calibrated once per run (src/projection/supply/retirement.ts). */
  retirement: RetirementHazard;
  features: PlaceFeatures;
  /** Base residents / Denmark's 6,025,511. */
  populationScale: number;
  /** Locations, the register's clinics on them and the access rule's neighbour lists (src/projection/accessGrid.ts). */
  access: AccessGrid;
}

/** One replication's outcome: metric → Float64Array[(year) × AREA_COUNT + area]. */
export interface ReplicationResult {
  replication: number;
  values: Record<Metric, Float64Array>;
}

export function projectReplication(ctx: ProjectionContext, replication: number, simulate: ResidentSimulator): ReplicationResult {
  checkIslandCount(ctx.access);
  const years = ctx.horizonYear - BASE_YEAR;
  const p = drawParameters(ctx.parameterFile, ctx.scenario, ctx.seed, replication);
  const rates = calibrateResidentRates(ctx.profile, ctx.geography, p, ctx.centralLnLevel);
  const yearly = [ctx.baseSums, ...simulate(rates, p, replication, years)];
  const target = p.num("capacity.targetWeightedResidentsPerCapacity");
  const needContext = makeNeedContext(ctx.geography, ctx.weightTable);
  const world = makeGpWorld(ctx.register, ctx.access, p.num("tender.contractYears"));
  const values = Object.fromEntries(METRICS.map((m) => [m, new Float64Array((years + 1) * AREA_COUNT)])) as Record<Metric, Float64Array>;
  const policy = capacityPolicyFromParameters(p);
  const geo = ctx.geography;
  const needs: ReturnType<typeof needByArea>[] = [];
  const published = publishedGrowth(geo);
  const rules = {
    seed: ctx.seed,
    replication,
    retirement: ctx.retirement,
    populationScale: ctx.populationScale,
    geography: geo,
    features: ctx.features,
    levers: resolveLevers(ctx.scenario.levers, geo, p),
    p,
    access: ctx.access,
  };
  for (let year = 0; year <= years; year++) {
    const sums = yearly[year]!;
    const need = needByArea(needContext, sums.residents, sums.weight, target);
    needs.push(need);
    let flows: YearFlows | undefined;
    const supplyFlows: SupplyFlows = {
      entrants: new Float64Array(geo.municipalities.length),
      retired: new Float64Array(geo.municipalities.length),
    };
    if (year > 0) {
      const supplyBefore = supplyByMunicipality(world, geo.municipalities.length);
      const tenderedBefore = tenderedSupplyByMunicipality(world, geo.municipalities.length);
      const gpsBefore = world.gpAge.length;
      // A year's decisions count as taken on its 1 January (assumption), so with the law's end
      // date 2027-01-01 the island exception covers 2026 and not 2027; they use the ceiling in
      // force that day: the need of the population fixed on the 31 December before.
      const asOf = `${BASE_YEAR + year}-01-01`;
      const ceiling = needs[ceilingInForce(asOf).populationYear - BASE_YEAR] ?? need;
      // The past year's growth on the decision date, as weigh reads it: year 1 takes the
      // published 1 Jan 2025 → 1 Jan 2026 growth, later years the simulated one of the year before.
      const growth = Float64Array.from(geo.municipalities, (m) => {
        if (year === 1) return published[m.index] ?? 0;
        const from = yearly[year - 2]!.residents[m.index] ?? 0;
        return from > 0 ? (yearly[year - 1]!.residents[m.index] ?? 0) / from - 1 : 0;
      });
      flows = stepGps(world, rules, {
        year,
        calendarYear: BASE_YEAR + year,
        rawResidents: sums.clinicResidents,
        rawWeight: sums.clinicWeight,
        needMunicipality: need.municipality,
        ceilingMunicipality: ceiling.municipality,
        growthMunicipality: growth,
        target,
        asOf,
        policy,
        residentsMunicipality: sums.residents,
      });
      measureSupplyFlows(world, supplyFlows, { supplyBefore, tenderedBefore, gpsBefore, moversNet: flows.moverCapacitiesNet });
    }
    const states = residentStates(world.lists.owner, world.clinics.length, sums.clinicResidents, sums.clinicWeight);
    recordYear(ctx, values, year * AREA_COUNT, { sums, need, states, target, world, flows, p, policy, supplyFlows });
  }
  return { replication, values };
}

interface YearState {
  sums: ResidentYearSums;
  need: ReturnType<typeof needByArea>;
  states: ResidentStates;
  target: number;
  world: GpWorld;
  flows: YearFlows | undefined;
  p: ParameterValues;
  policy: CapacityPolicy;
  supplyFlows: SupplyFlows;
}

/** Capacities per municipality that entered and that were lost to retirements during one year (src/results/decomposition.ts). */
export interface SupplyFlows {
  entrants: Float64Array;
  retired: Float64Array;
}

export function tenderedSupplyByMunicipality(world: GpWorld, municipalities: number): Float64Array {
  const supply = new Float64Array(municipalities);
  for (const c of world.clinics) if (c.open && c.tendered) supply[c.municipality]! += c.capacities;
  return supply;
}

/**
 * A year's supply flows from the GP world before and after its step, for the decomposition:
 * entrants are the new GPs' capacities in clinics still open; "retired" is what the change of
 * GP and tendered supply leaves unexplained after entrants, movers (net, recorded by the step)
 * and tendered clinics, so the four add up to the change exactly. It is the capacity of the GPs
 * who retired that year (tested): a practice closes only when no GP is left in it (its capacity
 * is then already 0), and a vacancy given up had its capacity lost when its GP retired or moved.
 */
export function measureSupplyFlows(
  world: GpWorld,
  flows: SupplyFlows,
  before: { supplyBefore: Float64Array; tenderedBefore: Float64Array; gpsBefore: number; moversNet: Float64Array },
): void {
  const n = flows.entrants.length;
  for (let i = before.gpsBefore; i < world.gpAge.length; i++) {
    const clinic = world.clinics[world.gpClinic[i] ?? -1];
    if (clinic?.open === true) flows.entrants[clinic.municipality]! += world.gpCapacity[i] ?? 0;
  }
  const supply = supplyByMunicipality(world, n);
  const tendered = tenderedSupplyByMunicipality(world, n);
  for (let m = 0; m < n; m++) {
    const change = (supply[m] ?? 0) - (before.supplyBefore[m] ?? 0);
    const tenderedChange = (tendered[m] ?? 0) - (before.tenderedBefore[m] ?? 0);
    flows.retired[m] = (flows.entrants[m] ?? 0) + (before.moversNet[m] ?? 0) + tenderedChange - change;
  }
}

const FLOW_METRICS: Partial<Record<(typeof FLOW_NAMES)[number], Metric>> = {
  retirements: "retirements",
  entrants: "entrants",
  moversIn: "moversIn",
  moversOut: "moversOut",
  leverCostDkk: "costLeversDkk",
  moverCapacitiesNet: "moverCapacitiesNet",
};

/**
 * Every non-bridged island's own figures (docs/GEOGRAPHY.md, "Islands in the projection"), at
 * its area index only: residents and need are the island's shares of its municipality's (as the
 * cap rule sees them, src/projection/supply/allowance.ts), supply the capacities of the open
 * clinics standing on it, GPs the active GPs practising there, failing access the residents of
 * its locations with fewer GPs within the radius than the rule asks.
 */
function recordIslands(
  ctx: ProjectionContext,
  values: Record<Metric, Float64Array>,
  at: number,
  s: YearState & { caps: readonly number[]; residentsAt: Float64Array },
): void {
  const grid = ctx.access;
  const area = (islandId: number): number => at + areaIndexOfIsland(islandId);
  s.world.clinics.forEach((c, k) => {
    const island = c.open ? (grid.islandOf[c.location] ?? 0) : 0;
    if (island > 0) values.supply[area(island)]! += s.caps[k] ?? 0;
  });
  s.world.gpActive.forEach((active, i) => {
    const island = active ? (grid.islandOf[s.world.clinics[s.world.gpClinic[i]!]?.location ?? -1] ?? 0) : 0;
    if (island > 0) values.gps[area(island)]! += 1;
  });
  const { within } = s.world.access;
  for (let l = 0; l < s.residentsAt.length; l++) {
    const island = grid.islandOf[l]!;
    if (island > 0 && within[l]! < grid.minimumGps) values.residentsFailingAccess[area(island)]! += s.residentsAt[l]!;
  }
  grid.islands.forEach((island, k) => {
    const m = island.municipalityIndex;
    values.residents[area(island.id)] = island.residentShare * (s.sums.residents[m] ?? 0);
    values.need[area(island.id)] = island.needShare * (s.need.municipality[m] ?? 0);
    values.islandExtraCapacities[area(island.id)] = s.flows?.islandExtraCapacities[k] ?? 0;
  });
}

function recordYear(ctx: ProjectionContext, values: Record<Metric, Float64Array>, at: number, s: YearState): void {
  const geo = ctx.geography;
  const n = geo.municipalities.length;
  const caps = clinicCapacities(s.world);
  const supply = new Float64Array(n);
  const tendered = new Float64Array(n);
  const listed = new Float64Array(n);
  const inTendered = new Float64Array(n);
  const vacancies = new Float64Array(n);
  const gps = new Float64Array(n);
  const gps65 = new Float64Array(n);
  const tenderedSupply = tenderedSupplyByMunicipality(s.world, n);
  // The access rule at the end of the year, recounted from the clinics as they stand.
  s.world.access.rebuild(s.world);
  const residentsAt = residentsByLocation(ctx.access, s.sums.residents);
  const failingAccess = failingByMunicipality(s.world.access, residentsAt, n);
  const minLists: (number | null)[][] = Array.from({ length: AREA_COUNT }, () => []);
  // A temporary clinic staffs what its residents need (weighted list / target): reported supply
  // counts it, the cap rule's supply inside the GP step does not (docs/PROJECTION.md).
  const temporarySupply = Float64Array.from(geo.municipalities, (m) => Math.max(0, s.world.lists.weight(temporaryOf(m.index))) / s.target);
  for (let m = 0; m < n; m++) supply[m]! += temporarySupply[m] ?? 0;
  s.world.clinics.forEach((c, k) => {
    if (!c.open) return;
    const r = s.states.clinicResidents[k] ?? 0;
    supply[c.municipality]! += caps[k] ?? 0;
    if (c.tendered) {
      tendered[c.municipality]! += 1;
      inTendered[c.municipality]! += r;
    } else listed[c.municipality]! += r;
    // Corrected weights, as in weigh: the list's weight × the correction factor of the clinic's municipality.
    const corrected = (s.states.clinicWeight[k] ?? 0) * (s.need.correctionFactor[c.municipality] ?? 1);
    const minimum = minimumPatientsPerCapacity(s.target, ratioOrNull(corrected, r));
    const council = geo.municipalities[c.municipality]?.councilIndex ?? 0;
    for (const area of [c.municipality, areaIndexOfCouncil(council), areaNational()]) minLists[area]!.push(minimum);
  });
  for (const v of s.world.vacancies) vacancies[s.world.clinics[v.clinic]!.municipality]! += v.capacity;
  s.world.gpActive.forEach((active, i) => {
    if (!active) return;
    const m = s.world.clinics[s.world.gpClinic[i]!]!.municipality;
    gps[m]! += 1;
    if ((s.world.gpAge[i] ?? 0) >= 65) gps65[m]! += 1;
  });
  // Residents listed with no clinic in the base (and their in-movers and children) are without a
  // GP: the kernel counts them nationally (the last clinic slot), spread by each municipality's share.
  const unlistedTotal = s.sums.clinicResidents[s.sums.clinicResidents.length - 1] ?? 0;
  const unlistedWeights = geo.municipalities.map((m) => (ctx.unlistedShare[m.index] ?? 0) * (s.sums.residents[m.index] ?? 0));
  const unlistedSum = unlistedWeights.reduce((a, b) => a + b, 0);
  const costTemporary = s.p.num("temporary.costDkkPerResidentYear");
  const costTendered = s.p.num("tender.costDkkPerResidentYear");
  const add = (metric: Metric, area: number, value: number): void => {
    values[metric][at + area]! += value;
  };
  for (const m of geo.municipalities) {
    const i = m.index;
    const unlisted = unlistedSum > 0 ? (unlistedTotal * (unlistedWeights[i] ?? 0)) / unlistedSum : 0;
    const temporary = s.states.temporary[i] ?? 0;
    const perArea: [Metric, number][] = [
      ["residents", s.sums.residents[i] ?? 0],
      ["weightedResidents", s.sums.weight[i] ?? 0],
      ["deaths", s.sums.deaths[i] ?? 0],
      ["births", s.sums.births[i] ?? 0],
      ["movedIn", s.sums.movedIn[i] ?? 0],
      ["movedOut", s.sums.movedOut[i] ?? 0],
      ["supply", supply[i] ?? 0],
      ["withoutGp", (s.states.orphaned[i] ?? 0) + unlisted],
      ["tenderedClinics", tendered[i] ?? 0],
      ["residentsListed", listed[i] ?? 0],
      ["residentsTemporary", temporary],
      ["residentsTendered", inTendered[i] ?? 0],
      ["unfilledVacancies", vacancies[i] ?? 0],
      ["costTemporaryDkk", s.flows === undefined ? 0 : temporary * costTemporary],
      ["costTenderedDkk", s.flows === undefined ? 0 : (inTendered[i] ?? 0) * costTendered],
      ["gps", gps[i] ?? 0],
      ["tenderedSupply", tenderedSupply[i] ?? 0],
      ["entrantCapacities", s.supplyFlows.entrants[i] ?? 0],
      ["retiredCapacities", s.supplyFlows.retired[i] ?? 0],
      ["residentsFailingAccess", failingAccess[i] ?? 0],
      ["temporarySupply", temporarySupply[i] ?? 0],
    ];
    for (const [flow, metric] of Object.entries(FLOW_METRICS) as [(typeof FLOW_NAMES)[number], Metric][]) {
      perArea.push([metric, s.flows?.[flow][i] ?? 0]);
    }
    for (const [metric, value] of perArea) {
      add(metric, i, value);
      add(metric, areaIndexOfCouncil(m.councilIndex), value);
      add(metric, areaNational(), value);
    }
    add("gpShare65Plus", i, gps65[i] ?? 0);
    add("gpShare65Plus", areaIndexOfCouncil(m.councilIndex), gps65[i] ?? 0);
    add("gpShare65Plus", areaNational(), gps65[i] ?? 0);
    add("need", i, s.need.municipality[i] ?? 0);
  }
  geo.councils.forEach((c) => add("need", areaIndexOfCouncil(c.index), s.need.council[c.index] ?? 0));
  add("need", areaNational(), s.need.national);
  recordIslands(ctx, values, at, { ...s, caps, residentsAt });
  for (let area = 0; area < AREA_COUNT; area++) {
    // Summed as counts above; a share where the area has GPs, NaN (left out of the summaries) where not.
    const gpsHere = values.gps[at + area] ?? 0;
    values.gpShare65Plus[at + area] = gpsHere > 0 ? (values.gpShare65Plus[at + area] ?? 0) / gpsHere : Number.NaN;
    const residents = values.residents[at + area] ?? 0;
    values.shareFailingAccess[at + area] = residents > 0 ? (values.residentsFailingAccess[at + area] ?? 0) / residents : Number.NaN;
    const need = values.need[at + area] ?? 0;
    const have = values.supply[at + area] ?? 0;
    values.gap[at + area] = have - need;
    values.short[at + area] = have < need ? 1 : 0;
    // The ceiling fixed on this year's 31 December is this year's need (src/capacity/ceilings.ts);
    // the cap rule counts the clinics' capacities, not what temporary clinics staff.
    const ruleSupply = have - (values.temporarySupply[at + area] ?? 0);
    values.ceiling[at + area] = ruleSupply + capacitiesToOpen(need - ruleSupply, s.policy.openingRoundUpFraction);
    // An area without clinics (or patients) has no distribution: NaN, left out of the summaries.
    const d = summarizeMinimumPatients(minLists[area]!);
    values.minListP10[at + area] = d.p10 ?? Number.NaN;
    values.minListP50[at + area] = d.p50 ?? Number.NaN;
    values.minListP90[at + area] = d.p90 ?? Number.NaN;
    values.minListShareInside[at + area] = d.shareInsideBand ?? Number.NaN;
  }
}
