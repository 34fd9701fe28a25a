import { applyCapRuleToAreas } from "../capacity/capRule.js";
import type { CapacityPolicy } from "../capacity/policy.js";
import type { Geography } from "../geo/geography.js";
import type { ParameterValues } from "../model/parameters.js";
import type { GpRegister } from "../register/types.js";
import { normalCdf } from "./draw.js";
import { STREAM, streamKey, uniformAt } from "../kernel/rng.js";

/**
 * GPs and clinics of one replication, year by year (≈3,500 GPs: plain TS is cheap enough).
 * Residents keep the clinic they were listed with in the base population; when a clinic closes,
 * its share of every original list moves (to neighbours with room, else to the municipality's
 * orphaned list until a tendered clinic takes it), so lists are tracked as fractions of the
 * original lists: `owner[o]` maps holder → fraction of original list o.
 */

/** Holder code of the orphaned list of municipality m. */
export const orphanOf = (m: number): number => -1 - m;

export interface ClinicState {
  municipality: number;
  capacities: number;
  tendered: boolean;
  open: boolean;
}

export interface GpWorld {
  clinics: ClinicState[];
  gpAge: number[];
  gpCapacity: number[];
  gpClinic: number[];
  gpActive: boolean[];
  /** owner[o]: holder (clinic index or orphanOf(m)) → fraction of original list o. */
  owner: Map<number, number>[];
  /** Tendered clinics to open: municipality, year index, capacities. */
  pendingTenders: { municipality: number; year: number; capacities: number }[];
}

export function makeGpWorld(register: GpRegister): GpWorld {
  const gpIndexById = new Map(register.gps.map((gp, i) => [gp.gpId, i]));
  const world: GpWorld = {
    clinics: register.clinics.map((c) => ({ municipality: c.municipalityIndex, capacities: c.capacities, tendered: c.tendered, open: c.capacities > 0 })),
    gpAge: register.gps.map((g) => g.ageYears),
    gpCapacity: register.gps.map((g) => g.capacity),
    gpClinic: register.gps.map(() => -1),
    gpActive: register.gps.map(() => true),
    owner: register.clinics.map((_, k) => new Map([[k, 1]])),
    pendingTenders: [],
  };
  register.clinics.forEach((c, k) => {
    for (const id of c.gpIds) {
      const i = gpIndexById.get(id);
      if (i !== undefined) world.gpClinic[i] = k;
    }
  });
  return world;
}

/** Probability that a GP aged `age` retires within the year, retirement age ~ Normal(mean, sd). */
export function retirementHazard(age: number, mean: number, sd: number): number {
  const survive = 1 - normalCdf((age - mean) / sd);
  if (survive < 1e-9) return 1;
  return Math.min(1, (normalCdf((age + 1 - mean) / sd) - normalCdf((age - mean) / sd)) / survive);
}

/**
 * The spread of retirement ages that makes the register's expected first-year exits equal the
 * published rate (exits per GP); the closest value on a 0.05-year grid over 1…15 years.
 */
export function calibrateRetirementSd(ages: readonly number[], mean: number, exitsPerGp: number): number {
  const target = exitsPerGp * ages.length;
  let best = 4;
  let bestGap = Infinity;
  for (let sd = 1; sd <= 15; sd += 0.05) {
    const expected = ages.reduce((s, a) => s + retirementHazard(a, mean, sd), 0);
    if (Math.abs(expected - target) < bestGap) {
      bestGap = Math.abs(expected - target);
      best = sd;
    }
  }
  return Math.round(best * 100) / 100;
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
  /** Effective list (residents, Σ weight) per clinic before this year's moves. */
  listResidents: Float64Array;
  listWeight: Float64Array;
  needMunicipality: Float64Array;
  needCouncil: Float64Array;
  /** Need by the population of the ceiling in force on `asOf` (src/capacity/ceilings.ts), capacities. */
  ceilingMunicipality: Float64Array;
  /** Population growth of each municipality during the year (share). */
  growthMunicipality: Float64Array;
  target: number;
  /** The day the year's decisions are taken (YYYY-MM-DD). */
  asOf: string;
  /** The cap rule's open choices (island end date, rounding, fast growth). */
  policy: CapacityPolicy;
  tenderDelayYears: number;
}

export interface YearEvents {
  retirements: number;
  entrants: number;
  refilled: number;
  settledNew: number;
  closures: number;
  tenderedOpened: number;
}

export interface GpRules {
  seed: number;
  replication: number;
  retirementSd: number;
  /** Population scale of the run (1 = all of Denmark): national training inflows shrink with it. */
  populationScale: number;
  geography: Geography;
  p: ParameterValues;
}

export function supplyByMunicipality(world: GpWorld, municipalities: number): Float64Array {
  const supply = new Float64Array(municipalities);
  for (const c of world.clinics) if (c.open) supply[c.municipality]! += c.capacities;
  return supply;
}

/** One year of GP dynamics: retirements, entry, re-filling, closures, new capacities, tenders. */
export function stepGps(world: GpWorld, rules: GpRules, ctx: YearContext): YearEvents {
  const { p, geography } = rules;
  const events: YearEvents = { retirements: 0, entrants: 0, refilled: 0, settledNew: 0, closures: 0, tenderedOpened: 0 };
  const gpKey = streamKey(rules.seed, rules.replication, ctx.year, STREAM.gps);
  const clinicKey = streamKey(rules.seed, rules.replication, ctx.year, STREAM.clinics);
  const mean = p.num("gp.retirementMeanAgeYears") + p.num("gp.retirementAgeShiftYears");

  // Retirements: each vacancy remembers its clinic and capacity. The hazard depends on age only:
  // computed once per age (it costs two normal CDFs).
  const hazardByAge = new Map<number, number>();
  const hazardAt = (age: number): number => {
    let h = hazardByAge.get(age);
    if (h === undefined) hazardByAge.set(age, (h = retirementHazard(age, mean, rules.retirementSd)));
    return h;
  };
  const vacancies: { clinic: number; capacity: number; order: number }[] = [];
  for (let i = 0; i < world.gpAge.length; i++) {
    if (!world.gpActive[i]) continue;
    if (uniformAt(gpKey, i) < hazardAt(world.gpAge[i] ?? 0)) {
      world.gpActive[i] = false;
      events.retirements++;
      vacancies.push({ clinic: world.gpClinic[i] ?? -1, capacity: world.gpCapacity[i] ?? 0, order: uniformAt(clinicKey, i) });
    }
  }
  // Entrants: the expected number, rounded up with the probability of its fraction.
  const expected = expectedEntrants(p, ctx.calendarYear) * rules.populationScale;
  let pool = Math.floor(expected) + (uniformAt(clinicKey, 0x7fffffff) < expected - Math.floor(expected) ? 1 : 0);
  events.entrants = pool;
  const newGpAge = p.num("gp.newGpAgeYears");
  const addGp = (clinic: number, capacity: number): void => {
    world.gpAge.push(newGpAge - 1); // aged +1 below with everyone else
    world.gpCapacity.push(capacity);
    world.gpClinic.push(clinic);
    world.gpActive.push(true);
  };
  // Re-filling is always allowed; vacancies are taken in a random order while entrants last.
  vacancies.sort((a, b) => a.order - b.order);
  for (const v of vacancies) {
    if (pool > 0) {
      pool--;
      events.refilled++;
      addGp(v.clinic, v.capacity);
      continue;
    }
    const clinic = world.clinics[v.clinic];
    if (clinic === undefined) continue;
    clinic.capacities = Math.max(0, clinic.capacities - v.capacity);
    if (clinic.capacities <= 1e-9 && clinic.open) {
      closeClinic(world, v.clinic, ctx, geography);
      events.closures++;
    }
  }
  // Tendered clinics whose delay has passed open and take the municipality's orphaned list.
  world.pendingTenders = world.pendingTenders.filter((t) => {
    if (t.year > ctx.year) return true;
    const k = world.clinics.length;
    world.clinics.push({ municipality: t.municipality, capacities: t.capacities, tendered: true, open: true });
    for (const shares of world.owner) moveShare(shares, orphanOf(t.municipality), k, 1);
    events.tenderedOpened++;
    return false;
  });
  // New capacities where the cap rule (or an exception) allows, largest shortfall first.
  const supplyM = supplyByMunicipality(world, geography.municipalities.length);
  const decision = applyCapRuleToAreas(geography, {
    asOf: ctx.asOf,
    policy: ctx.policy,
    ceilingMunicipality: ctx.ceilingMunicipality,
    supplyMunicipality: supplyM,
    growthShare: ctx.growthMunicipality,
  });
  const allowance = new Float64Array(geography.municipalities.length);
  for (const council of geography.councils) {
    let open = decision.councils[council.index]?.newCapacitiesAllowed ?? 0;
    const byShortfall = [...council.municipalityIndices].sort(
      (a, b) => (ctx.needMunicipality[b] ?? 0) - (supplyM[b] ?? 0) - ((ctx.needMunicipality[a] ?? 0) - (supplyM[a] ?? 0)) || a - b,
    );
    for (const m of byShortfall) {
      const local = Math.max(0, Math.ceil((ctx.needMunicipality[m] ?? 0) - (supplyM[m] ?? 0)));
      const take = Math.min(open, local);
      allowance[m]! += take;
      open -= take;
    }
    if (open > 0 && byShortfall[0] !== undefined) allowance[byShortfall[0]]! += open;
    for (const m of council.municipalityIndices) {
      const rule = decision.municipalities[m];
      allowance[m]! += (rule?.islandExtraCapacitiesAllowed ?? 0) + (rule?.fastGrowthExtraCapacitiesAllowed ?? 0);
    }
  }
  const order = geography.municipalities
    .map((m) => m.index)
    .filter((m) => (allowance[m] ?? 0) > 0)
    .sort((a, b) => (ctx.needMunicipality[b] ?? 0) - (supplyM[b] ?? 0) - ((ctx.needMunicipality[a] ?? 0) - (supplyM[a] ?? 0)) || a - b);
  for (const m of order) {
    while (pool > 0 && (allowance[m] ?? 0) >= 1) {
      allowance[m]! -= 1;
      pool--;
      events.settledNew++;
      addGp(settleClinic(world, m, ctx), 1);
    }
  }
  for (let i = 0; i < world.gpAge.length; i++) world.gpAge[i]! += 1;
  return events;
}

/** The open GP-owned clinic of municipality m under most pressure (weighted list per capacity), or a new one. */
function settleClinic(world: GpWorld, m: number, ctx: YearContext): number {
  let best = -1;
  let bestLoad = -Infinity;
  world.clinics.forEach((c, k) => {
    if (!c.open || c.tendered || c.municipality !== m) return;
    const load = (ctx.listWeight[k] ?? 0) / Math.max(c.capacities, 1e-9);
    if (load > bestLoad) {
      bestLoad = load;
      best = k;
    }
  });
  if (best >= 0) {
    world.clinics[best]!.capacities += 1;
    return best;
  }
  world.clinics.push({ municipality: m, capacities: 1, tendered: false, open: true });
  for (const shares of world.owner) moveShare(shares, orphanOf(m), world.clinics.length - 1, 1);
  return world.clinics.length - 1;
}

/** Moves `fraction` of what `from` holds in one original list to `to`. */
function moveShare(shares: Map<number, number>, from: number, to: number, fraction: number): void {
  const held = shares.get(from);
  if (held === undefined || held <= 0) return;
  const moved = held * fraction;
  if (fraction >= 1) shares.delete(from);
  else shares.set(from, held - moved);
  shares.set(to, (shares.get(to) ?? 0) + moved);
}

/**
 * A clinic closes without successor: neighbours with room (same municipality, then the same
 * council; room = capacities × target − weighted list) take its patients; the rest are orphaned
 * and a tendered clinic is scheduled after the tender delay.
 */
export function closeClinic(world: GpWorld, k: number, ctx: YearContext, geography: Geography): void {
  const clinic = world.clinics[k];
  if (clinic === undefined) return;
  clinic.open = false;
  const weight = ctx.listWeight[k] ?? 0;
  const m = clinic.municipality;
  const council = geography.municipalities[m]?.councilIndex ?? -1;
  const neighbours = world.clinics
    .map((c, j) => ({ c, j }))
    .filter(({ c, j }) => j !== k && c.open && geography.municipalities[c.municipality]?.councilIndex === council)
    .map(({ c, j }) => ({ j, local: c.municipality === m, room: c.capacities * ctx.target - (ctx.listWeight[j] ?? 0) }))
    .filter((n) => n.room > 0)
    .sort((a, b) => Number(b.local) - Number(a.local) || b.room - a.room || a.j - b.j);
  let remaining = weight;
  const moves: { to: number; fraction: number }[] = [];
  for (const n of neighbours) {
    if (remaining <= 0) break;
    const take = Math.min(n.room, remaining);
    moves.push({ to: n.j, fraction: weight > 0 ? take / weight : 0 });
    ctx.listWeight[n.j] = (ctx.listWeight[n.j] ?? 0) + take;
    remaining -= take;
  }
  const orphaned = weight > 0 ? Math.max(0, remaining / weight) : 1;
  for (const shares of world.owner) {
    const held = shares.get(k);
    if (held === undefined) continue;
    shares.delete(k);
    for (const move of moves) shares.set(move.to, (shares.get(move.to) ?? 0) + held * move.fraction);
    if (orphaned > 0) shares.set(orphanOf(m), (shares.get(orphanOf(m)) ?? 0) + held * orphaned);
  }
  if (orphaned > 0 && !world.pendingTenders.some((t) => t.municipality === m)) {
    const capacities = Math.max(1, Math.round((remaining > 0 ? remaining : clinic.capacities * ctx.target) / ctx.target));
    world.pendingTenders.push({ municipality: m, year: ctx.year + ctx.tenderDelayYears, capacities });
  }
  ctx.listWeight[k] = 0;
}

/**
 * Effective lists per current clinic from the kernel's sums per original clinic (dense index;
 * the last slot is "not listed"), and the orphaned residents per municipality.
 */
export function effectiveLists(
  world: GpWorld,
  rawResidents: Float64Array,
  rawWeight: Float64Array,
  municipalities: number,
): { residents: Float64Array; weight: Float64Array; orphaned: Float64Array } {
  const residents = new Float64Array(world.clinics.length);
  const weight = new Float64Array(world.clinics.length);
  const orphaned = new Float64Array(municipalities);
  world.owner.forEach((shares, o) => {
    const r = rawResidents[o] ?? 0;
    const w = rawWeight[o] ?? 0;
    for (const [holder, fraction] of shares) {
      if (holder >= 0) {
        residents[holder]! += r * fraction;
        weight[holder]! += w * fraction;
      } else {
        orphaned[-1 - holder]! += r * fraction;
      }
    }
  });
  return { residents, weight, orphaned };
}
