import type { AccessGrid } from "./accessGrid.js";
import type { ClinicState } from "./gps.js";

/**
 * The access rule during a projected year (docs/GEOGRAPHY.md, "In the projection"): GPs per
 * location and, per location, the GPs within the radius on the same landmass. Kept up to date
 * as GPs are placed within the year (`add`: one pass over a neighbour list), so the choice of a
 * new clinic's town sees what the clinics placed before it already fixed.
 *
 * GPs are people: a practice counts its active GPs, a tendered clinic its doctors (the
 * register's, or its capacities rounded for one the projection opens). A municipality's
 * temporary clinic (vikarklinik) counts for nobody: it has no place of its own and runs on
 * locums for at most a few years (assumption).
 */
export class AccessState {
  /** GPs practising at each location. */
  readonly gpsAt: Int32Array;
  /** GPs within the radius of each location (its own included). */
  readonly within: Int32Array;

  constructor(readonly grid: AccessGrid) {
    this.gpsAt = new Int32Array(grid.lat.length);
    this.within = new Int32Array(grid.lat.length);
  }

  /** `gps` more (or fewer, when negative) GPs at `location`. */
  add(location: number, gps: number): void {
    if (gps === 0 || location < 0) return;
    this.gpsAt[location]! += gps;
    const { neighbourStart, neighbours } = this.grid;
    const within = this.within;
    for (let k = neighbourStart[location]!, end = neighbourStart[location + 1]!; k < end; k++) within[neighbours[k]!]! += gps;
  }

  /** Recounts from the clinics and GPs as they stand. */
  rebuild(world: { clinics: readonly ClinicState[]; gpActive: readonly boolean[]; gpClinic: readonly number[] }): void {
    const count = new Int32Array(this.gpsAt.length);
    for (const c of world.clinics) if (c.open && c.tendered) count[c.location]! += c.doctors;
    for (let i = 0; i < world.gpActive.length; i++) {
      if (!world.gpActive[i]) continue;
      const location = world.clinics[world.gpClinic[i]!]?.location ?? -1;
      if (location >= 0) count[location]! += 1;
    }
    this.gpsAt.fill(0);
    this.within.fill(0);
    count.forEach((gps, location) => this.add(location, gps));
  }
}

/**
 * Residents per location in a projected year: the base population's residents per location
 * scaled per municipality by the year's projected residents (assumption: residents move within
 * a municipality in proportion to where they live today). A municipality the base has nobody in
 * spreads its residents by the locations table's expected shares.
 */
export function residentsByLocation(grid: AccessGrid, residentsMunicipality: ArrayLike<number>): Float64Array {
  const out = new Float64Array(grid.lat.length);
  for (let l = 0; l < out.length; l++) {
    const m = grid.municipalityOf[l]!;
    const base = grid.baseResidentsMunicipality[m]!;
    const projected = residentsMunicipality[m] ?? 0;
    out[l] = base > 0 ? (grid.baseResidents[l]! * projected) / base : grid.residentShare[l]! * projected;
  }
  return out;
}

/** Residents per municipality with fewer than `minimumGps` GPs within the radius. */
export function failingByMunicipality(state: AccessState, residents: Float64Array, municipalities: number): Float64Array {
  const out = new Float64Array(municipalities);
  const { municipalityOf, minimumGps } = state.grid;
  for (let l = 0; l < residents.length; l++) if (state.within[l]! < minimumGps) out[municipalityOf[l]!]! += residents[l]!;
  return out;
}

/**
 * The town of municipality m where one more GP does most for access: the town whose radius holds
 * the most residents failing the rule, ties broken by the residents it would then make pass, the
 * larger town, the lower id (deterministic). −1 when no resident within reach of m's towns fails.
 * `allowed` narrows the towns (e.g. to one island).
 */
export function worstAccessTown(
  state: AccessState,
  residents: Float64Array,
  m: number,
  allowed: (location: number) => boolean = () => true,
): number {
  const g = state.grid;
  const min = g.minimumGps;
  const failing = new Map<number, number>();
  const passing = new Map<number, number>();
  for (let k = g.catchmentStart[m]!, end = g.catchmentStart[m + 1]!; k < end; k++) {
    const f = g.catchment[k]!;
    const gps = state.within[f]!;
    const r = residents[f]!;
    if (gps >= min || !(r > 0)) continue;
    for (let j = g.neighbourStart[f]!, last = g.neighbourStart[f + 1]!; j < last; j++) {
      const t = g.neighbours[j]!;
      if (g.municipalityOf[t] !== m || !(g.clinicWeight[t]! > 0) || !allowed(t)) continue;
      failing.set(t, (failing.get(t) ?? 0) + r);
      if (gps === min - 1) passing.set(t, (passing.get(t) ?? 0) + r);
    }
  }
  let best = -1;
  for (const [t, fail] of failing) {
    if (best < 0) {
      best = t;
      continue;
    }
    const bestFail = failing.get(best)!;
    const order =
      fail - bestFail || (passing.get(t) ?? 0) - (passing.get(best) ?? 0) || g.clinicWeight[t]! - g.clinicWeight[best]! || best - t;
    if (order > 0) best = t;
  }
  return best;
}
