import { ceilingInForce } from "../capacity/ceilings.js";
import { summarizeMinimumPatients } from "../capacity/distribution.js";
import { capacitiesToOpen, capacityPolicyFromParameters, type CapacityPolicy } from "../capacity/policy.js";
import { publishedGrowth } from "../capacity/capRule.js";
import { minimumPatientsPerCapacity, ratioOrNull } from "../capacity/rules.js";
import type { Geography } from "../geo/geography.js";
import type { ParameterFile, ParameterValues } from "../model/parameters.js";
import type { Scenario } from "../model/scenario.js";
import type { WeightTable } from "../model/weightTable.js";
import type { GpRegister } from "../register/types.js";
import { drawParameters } from "./draw.js";
import { effectiveLists, makeGpWorld, stepGps, supplyByMunicipality, type YearEvents } from "./gps.js";
import { makeNeedContext, needByArea } from "./law.js";
import type { PopulationProfile } from "./profile.js";
import { calibrateResidentRates, type ResidentRates } from "./rates.js";
import { AREA_COUNT, METRICS, areaIndexOfCouncil, areaNational, type Metric } from "./metrics.js";

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
  retirementSd: number;
  /** Base residents / Denmark's 6,025,511. */
  populationScale: number;
}

/** One replication's outcome: metric → Float64Array[(year) × AREA_COUNT + area]. */
export interface ReplicationResult {
  replication: number;
  values: Record<Metric, Float64Array>;
  events: YearEvents[];
}

export function projectReplication(ctx: ProjectionContext, replication: number, simulate: ResidentSimulator): ReplicationResult {
  const years = ctx.horizonYear - BASE_YEAR;
  const p = drawParameters(ctx.parameterFile, ctx.scenario, ctx.seed, replication);
  const rates = calibrateResidentRates(ctx.profile, ctx.geography, p, ctx.centralLnLevel);
  const yearly = [ctx.baseSums, ...simulate(rates, p, replication, years)];
  const target = p.num("capacity.targetWeightedResidentsPerCapacity");
  const needContext = makeNeedContext(ctx.geography, ctx.weightTable);
  const world = makeGpWorld(ctx.register);
  const values = Object.fromEntries(METRICS.map((m) => [m, new Float64Array((years + 1) * AREA_COUNT)])) as Record<Metric, Float64Array>;
  const events: YearEvents[] = [];
  const policy = capacityPolicyFromParameters(p);
  const geo = ctx.geography;
  const needs: ReturnType<typeof needByArea>[] = [];
  const published = publishedGrowth(geo);
  for (let year = 0; year <= years; year++) {
    const sums = yearly[year]!;
    const need = needByArea(needContext, sums.residents, sums.weight, target);
    needs.push(need);
    const flows: SupplyFlows = { entrants: new Float64Array(geo.municipalities.length), retired: new Float64Array(geo.municipalities.length) };
    if (year > 0) {
      const supplyBefore = supplyByMunicipality(world, geo.municipalities.length);
      const tenderedBefore = tenderedSupplyByMunicipality(world, geo.municipalities.length);
      const gpsBefore = world.gpAge.length;
      // A year's decisions count as taken on its 1 January (assumption), so with the law's end
      // date 2027-01-01 the island exception covers 2026 and not 2027; they use the ceiling in
      // force that day: the need of the population fixed on the 31 December before.
      const asOf = `${BASE_YEAR + year}-01-01`;
      const ceiling = needs[ceilingInForce(asOf).populationYear - BASE_YEAR] ?? need;
      const before = effectiveLists(world, sums.clinicResidents, sums.clinicWeight, geo.municipalities.length);
      // The past year's growth on the decision date, as weigh reads it: year 1 takes the
      // published 1 Jan 2025 → 1 Jan 2026 growth, later years the simulated one of the year before.
      const growth = Float64Array.from(geo.municipalities, (m) => {
        if (year === 1) return published[m.index] ?? 0;
        const from = yearly[year - 2]!.residents[m.index] ?? 0;
        return from > 0 ? (yearly[year - 1]!.residents[m.index] ?? 0) / from - 1 : 0;
      });
      events.push(
        stepGps(world, { seed: ctx.seed, replication, retirementSd: ctx.retirementSd, populationScale: ctx.populationScale, geography: geo, p }, {
          year,
          calendarYear: BASE_YEAR + year,
          listResidents: before.residents,
          listWeight: before.weight,
          needMunicipality: need.municipality,
          needCouncil: need.council,
          ceilingMunicipality: ceiling.municipality,
          growthMunicipality: growth,
          target,
          asOf,
          policy,
          tenderDelayYears: p.num("tender.delayYears"),
        }),
      );
      supplyFlows(world, flows, { supplyBefore, tenderedBefore, gpsBefore });
    }
    const lists = effectiveLists(world, sums.clinicResidents, sums.clinicWeight, geo.municipalities.length);
    recordYear(ctx, values, year * AREA_COUNT, { sums, need, lists, target, world, policy, flows });
  }
  return { replication, values, events };
}

interface YearState {
  sums: ResidentYearSums;
  need: ReturnType<typeof needByArea>;
  lists: ReturnType<typeof effectiveLists>;
  target: number;
  world: ReturnType<typeof makeGpWorld>;
  policy: CapacityPolicy;
  flows: SupplyFlows;
}

/** Capacities per municipality that entered and that were lost to retirements during one year. */
interface SupplyFlows {
  entrants: Float64Array;
  retired: Float64Array;
}

function tenderedSupplyByMunicipality(world: ReturnType<typeof makeGpWorld>, municipalities: number): Float64Array {
  const supply = new Float64Array(municipalities);
  for (const c of world.clinics) if (c.open && c.tendered) supply[c.municipality]! += c.capacities;
  return supply;
}

/**
 * A year's supply flows from the GP world before and after its step: entrants are the new GPs'
 * capacities in clinics still open; retirements are what the supply change leaves unexplained
 * after entrants and tendered clinics, so the three add up to the change exactly (in this model
 * that is the capacity of retiring GPs whose seat was not re-filled plus that of re-filled ones).
 */
function supplyFlows(
  world: ReturnType<typeof makeGpWorld>,
  flows: SupplyFlows,
  before: { supplyBefore: Float64Array; tenderedBefore: Float64Array; gpsBefore: number },
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
    flows.retired[m] = (flows.entrants[m] ?? 0) + tenderedChange - change;
  }
}

function recordYear(ctx: ProjectionContext, values: Record<Metric, Float64Array>, at: number, s: YearState): void {
  const geo = ctx.geography;
  const supply = supplyByMunicipality(s.world, geo.municipalities.length);
  const tenderedSupply = tenderedSupplyByMunicipality(s.world, geo.municipalities.length);
  const tendered = new Float64Array(geo.municipalities.length);
  const minLists: (number | null)[][] = Array.from({ length: AREA_COUNT }, () => []);
  s.world.clinics.forEach((c, k) => {
    if (!c.open) return;
    if (c.tendered) tendered[c.municipality]! += 1;
    const r = s.lists.residents[k] ?? 0;
    // Corrected weights, as in weigh: the list's weight × the correction factor of the clinic's municipality.
    const corrected = (s.lists.weight[k] ?? 0) * (s.need.correctionFactor[c.municipality] ?? 1);
    const minimum = minimumPatientsPerCapacity(s.target, ratioOrNull(corrected, r));
    const council = geo.municipalities[c.municipality]?.councilIndex ?? 0;
    for (const area of [c.municipality, areaIndexOfCouncil(council), areaNational()]) minLists[area]!.push(minimum);
  });
  const add = (metric: Metric, area: number, value: number): void => {
    values[metric][at + area]! += value;
  };
  for (const m of geo.municipalities) {
    const i = m.index;
    const without = (s.lists.orphaned[i] ?? 0) + (ctx.unlistedShare[i] ?? 0) * (s.sums.residents[i] ?? 0);
    const perArea: [Metric, number][] = [
      ["residents", s.sums.residents[i] ?? 0],
      ["weightedResidents", s.sums.weight[i] ?? 0],
      ["deaths", s.sums.deaths[i] ?? 0],
      ["births", s.sums.births[i] ?? 0],
      ["movedIn", s.sums.movedIn[i] ?? 0],
      ["movedOut", s.sums.movedOut[i] ?? 0],
      ["supply", supply[i] ?? 0],
      ["withoutGp", without],
      ["tenderedClinics", tendered[i] ?? 0],
      ["tenderedSupply", tenderedSupply[i] ?? 0],
      ["entrantCapacities", s.flows.entrants[i] ?? 0],
      ["retiredCapacities", s.flows.retired[i] ?? 0],
    ];
    for (const [metric, value] of perArea) {
      add(metric, i, value);
      add(metric, areaIndexOfCouncil(m.councilIndex), value);
      add(metric, areaNational(), value);
    }
    add("need", i, s.need.municipality[i] ?? 0);
  }
  geo.councils.forEach((c) => add("need", areaIndexOfCouncil(c.index), s.need.council[c.index] ?? 0));
  add("need", areaNational(), s.need.national);
  for (let area = 0; area < AREA_COUNT; area++) {
    const need = values.need[at + area] ?? 0;
    const have = values.supply[at + area] ?? 0;
    values.gap[at + area] = have - need;
    values.short[at + area] = have < need ? 1 : 0;
    // The ceiling fixed on this year's 31 December is this year's need (src/capacity/ceilings.ts).
    values.ceiling[at + area] = have + capacitiesToOpen(need - have, s.policy.openingRoundUpFraction);
    // An area without clinics (or patients) has no distribution: NaN, left out of the summaries.
    const d = summarizeMinimumPatients(minLists[area]!);
    values.minListP10[at + area] = d.p10 ?? Number.NaN;
    values.minListP50[at + area] = d.p50 ?? Number.NaN;
    values.minListP90[at + area] = d.p90 ?? Number.NaN;
    values.minListShareInside[at + area] = d.shareInsideBand ?? Number.NaN;
  }
}
