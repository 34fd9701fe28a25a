import type { ClinicState, GpRules, YearContext, YearFlows } from "../gps.js";
import { haversineKm } from "../../geo/distance.js";
import { RADIUS_TOLERANCE_KM } from "../../geo/access.js";
import { uniformAt } from "../../kernel/rng.js";
import { worstAccessTown, type AccessState } from "../access.js";
import { mainTownOf, type AccessGrid } from "../accessGrid.js";
import { temporaryOf, withoutGpOf, type ListBook } from "./lists.js";

/**
 * Orphaned lists: the patients of a practice nobody takes over (or of a tendered clinic whose
 * contract ends) go, in this order, to
 *   1. clinics with room in the same health council, nearest first by the distance between the
 *      clinics' locations: those on the same landmass within the access radius (15 km) first,
 *      then the farther ones (room = capacities × target × the larger-lists lever − weighted list);
 *   2. the municipality's temporary clinic (vikarklinik), run by the region when it manages to
 *      (temporary.openProbability), for at most temporary.maxYears; else no GP;
 *   3. a tendered clinic (udbudsklinik) after the tender delay: a contract of tender.contractYears,
 *      which fails to find doctors with tender.staffingFailureProbability a year (the region tries
 *      again next year) and at its end is renewed (tender.renewalProbability) or closes, orphaning
 *      its list again. It takes every temporary and orphaned resident of its municipality and
 *      stands in the municipality, at the town where access is worst (src/projection/access.ts).
 * A new GP-owned capacity in a municipality takes orphaned residents first (temporary clinic,
 * then without GP) up to the target.
 */
export interface SupplyWorld {
  clinics: ClinicState[];
  /** Clinic indices per municipality, so a search looks at one municipality's or council's clinics only. */
  clinicsOf: number[][];
  lists: ListBook;
  /** Year index the municipality's temporary clinic opened, −1 when none runs. */
  temporaryOpenedYear: Int32Array;
  /** Tenders under way: municipality and the year index it may open. */
  pendingTenders: { municipality: number; year: number }[];
  /** GPs per location and within the access radius, kept current as clinics open and close. */
  access: AccessState;
}

export interface OrphanEnv {
  rules: GpRules;
  ctx: YearContext;
  /** Capacities per clinic as they stand (practices: active GPs). */
  capacities: number[];
  drawKey: number;
  /** The year's residents per location (src/projection/access.ts). */
  residents: Float64Array;
}

/** Km between two locations as the access rule measures them (great circle × detour factor). */
export function locationKm(grid: AccessGrid, a: number, b: number): number {
  return haversineKm(grid.lat[a]!, grid.lon[a]!, grid.lat[b]!, grid.lon[b]!) * grid.detourFactor;
}

/** Adds a clinic and returns its index. */
export function addClinic(world: SupplyWorld, clinic: ClinicState): number {
  world.clinics.push(clinic);
  world.clinicsOf[clinic.municipality]!.push(world.clinics.length - 1);
  return world.clinics.length - 1;
}

/** Closes clinic k and sends its list along the chain above. */
export function closeClinic(world: SupplyWorld, k: number, env: OrphanEnv): void {
  const clinic = world.clinics[k];
  if (clinic === undefined || !clinic.open) return;
  clinic.open = false;
  if (clinic.tendered) world.access.add(clinic.location, -clinic.doctors);
  const { geography, levers, p, access: grid } = env.rules;
  const m = clinic.municipality;
  const council = geography.municipalities[m]?.councilIndex ?? -1;
  const reach = grid.radiusKm + RADIUS_TOLERANCE_KM;
  const neighbours: { j: number; km: number; near: boolean; room: number }[] = [];
  for (const other of geography.councils[council]?.municipalityIndices ?? []) {
    const factor = levers.listRoomFactor[other] ?? 1;
    for (const j of world.clinicsOf[other] ?? []) {
      const c = world.clinics[j]!;
      if (j === k || !c.open || c.tendered || !((env.capacities[j] ?? 0) > 0)) continue;
      const room = (env.capacities[j] ?? 0) * env.ctx.target * factor - world.lists.weight(j);
      if (!(room > 0)) continue;
      const km = locationKm(grid, clinic.location, c.location);
      neighbours.push({ j, km, near: km <= reach && grid.islandOf[c.location] === grid.islandOf[clinic.location], room });
    }
  }
  neighbours.sort((a, b) => Number(b.near) - Number(a.near) || a.km - b.km || a.j - b.j);
  for (const x of neighbours) {
    const left = world.lists.weight(k);
    if (left <= 1e-9) break;
    world.lists.move(k, x.j, Math.min(1, x.room / left));
  }
  if (world.lists.residents(k) <= 1e-9 && world.lists.weight(k) <= 1e-9) {
    world.lists.move(k, withoutGpOf(m), 1); // dust of float rounding, so the clinic holds nothing
    return;
  }
  const running = (world.temporaryOpenedYear[m] ?? -1) >= 0;
  if (running || uniformAt(env.drawKey, 0x20000 + k) < p.num("temporary.openProbability")) {
    if (!running) world.temporaryOpenedYear[m] = env.ctx.year;
    world.lists.move(k, temporaryOf(m), 1);
  } else {
    world.lists.move(k, withoutGpOf(m), 1);
  }
  if (!world.pendingTenders.some((t) => t.municipality === m)) {
    const delay = levers.tenderDelayYears[m];
    const delayYears = delay !== undefined && !Number.isNaN(delay) ? delay : p.num("tender.delayYears");
    world.pendingTenders.push({ municipality: m, year: env.ctx.year + delayYears });
  }
}

/** Tenders whose delay has passed open a tendered clinic when staffing succeeds; failures retry next year. */
export function openDueTenders(world: SupplyWorld, env: OrphanEnv, flows: YearFlows): void {
  const { levers, p } = env.rules;
  const target = env.ctx.target;
  world.pendingTenders = world.pendingTenders.filter((t) => {
    if (t.year > env.ctx.year) return true;
    const m = t.municipality;
    const weight = world.lists.weight(temporaryOf(m)) + world.lists.weight(withoutGpOf(m));
    const residents = world.lists.residents(temporaryOf(m)) + world.lists.residents(withoutGpOf(m));
    if (residents <= 1e-9) return false; // nobody left to serve: the tender is dropped
    const lever = levers.tenderFailureProbability[m];
    const failure = lever !== undefined && !Number.isNaN(lever) ? lever : p.num("tender.staffingFailureProbability");
    if (uniformAt(env.drawKey, m) < failure) {
      flows.tenderStaffingFailures[m]! += 1;
      t.year = env.ctx.year + 1;
      return true;
    }
    const capacities = Math.max(1, Math.round(weight / target));
    const town = worstAccessTown(world.access, env.residents, m);
    const k = addClinic(world, {
      municipality: m,
      tendered: true,
      open: true,
      capacities,
      contractEndsYear: env.ctx.year + p.num("tender.contractYears"),
      location: town >= 0 ? town : mainTownOf(env.rules.access, m),
      // Employed doctors: one per capacity (assumption), the people the access rule counts.
      doctors: capacities,
    });
    world.access.add(world.clinics[k]!.location, capacities);
    env.capacities.push(capacities);
    world.lists.move(temporaryOf(m), k, 1);
    world.lists.move(withoutGpOf(m), k, 1);
    world.temporaryOpenedYear[m] = -1;
    flows.tenderedOpened[m]! += 1;
    return false;
  });
}

/** Contracts at their end are renewed or the clinic closes and its list is orphaned again. */
export function endContracts(world: SupplyWorld, env: OrphanEnv, flows: YearFlows): void {
  const { p } = env.rules;
  world.clinics.forEach((c, k) => {
    if (!c.open || !c.tendered || c.contractEndsYear > env.ctx.year) return;
    if (uniformAt(env.drawKey, 0x10000 + k) < p.num("tender.renewalProbability")) {
      c.contractEndsYear += p.num("tender.contractYears");
      return;
    }
    flows.tenderedEnded[c.municipality]! += 1;
    closeClinic(world, k, env);
  });
}

/** A temporary clinic past its limit closes: its residents are without a GP until a tendered clinic opens. */
export function expireTemporaryClinics(world: SupplyWorld, year: number, maxYears: number): void {
  world.temporaryOpenedYear.forEach((opened, m) => {
    if (opened < 0 || year - opened < maxYears) return;
    world.lists.move(temporaryOf(m), withoutGpOf(m), 1);
    world.temporaryOpenedYear[m] = -1;
  });
}

/** A new GP-owned capacity at clinic k takes orphaned residents of m (temporary clinic first) up to the target. */
export function takeOrphanedInto(world: SupplyWorld, k: number, m: number, target: number): void {
  let room = target;
  for (const holder of [temporaryOf(m), withoutGpOf(m)]) {
    const w = world.lists.weight(holder);
    if (room <= 0 || w <= 1e-9) continue;
    const fraction = Math.min(1, room / w);
    world.lists.move(holder, k, fraction);
    room -= w * fraction;
  }
  if (world.lists.residents(temporaryOf(m)) <= 1e-9) world.temporaryOpenedYear[m] = -1;
}
