import type { ClinicState, GpRules, YearContext, YearFlows } from "../gps.js";
import { uniformAt } from "../../kernel/rng.js";
import { temporaryOf, withoutGpOf, type ListBook } from "./lists.js";

/**
 * Orphaned lists: the patients of a practice nobody takes over (or of a tendered clinic whose
 * contract ends) go, in this order, to
 *   1. clinics with room in the same health council, the same municipality first, then the
 *      nearest municipalities (room = capacities × target × the larger-lists lever − weighted list);
 *   2. the municipality's temporary clinic (vikarklinik), run by the region when it manages to
 *      (temporary.openProbability), for at most temporary.maxYears; else no GP;
 *   3. a tendered clinic (udbudsklinik) after the tender delay: a contract of tender.contractYears,
 *      which fails to find doctors with tender.staffingFailureProbability a year (the region tries
 *      again next year) and at its end is renewed (tender.renewalProbability) or closes, orphaning
 *      its list again. It takes every temporary and orphaned resident of its municipality.
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
}

export interface OrphanEnv {
  rules: GpRules;
  ctx: YearContext;
  /** Capacities per clinic as they stand (practices: active GPs). */
  capacities: number[];
  drawKey: number;
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
  const { geography, features, levers, p } = env.rules;
  const m = clinic.municipality;
  const n = geography.municipalities.length;
  const council = geography.municipalities[m]?.councilIndex ?? -1;
  const neighbours: { j: number; km: number; local: boolean; room: number }[] = [];
  for (const other of geography.councils[council]?.municipalityIndices ?? []) {
    const km = features.distanceKm[m * n + other] ?? 0;
    const factor = levers.listRoomFactor[other] ?? 1;
    for (const j of world.clinicsOf[other] ?? []) {
      const c = world.clinics[j]!;
      if (j === k || !c.open || c.tendered || !((env.capacities[j] ?? 0) > 0)) continue;
      const room = (env.capacities[j] ?? 0) * env.ctx.target * factor - world.lists.weight(j);
      if (room > 0) neighbours.push({ j, km, local: other === m, room });
    }
  }
  neighbours.sort((a, b) => Number(b.local) - Number(a.local) || a.km - b.km || a.j - b.j);
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
    const k = addClinic(world, {
      municipality: m,
      tendered: true,
      open: true,
      capacities: Math.max(1, Math.round(weight / target)),
      contractEndsYear: env.ctx.year + p.num("tender.contractYears"),
    });
    env.capacities.push(world.clinics[k]!.capacities);
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
