import { FordelingError } from "../errors.js";
import type { Geography, Municipality } from "../geo/geography.js";
import { makeAliasTables } from "./alias.js";
import { defaultRegisterParameters, type RegisterParameters } from "./parameters.js";
import type { ClinicChooser, GpRegister } from "./types.js";

export interface ClinicChooserOptions {
  /** Population-weighted share of mainland residents listed outside their municipality; default from the parameters. */
  crossBorderShare?: number;
  parameters?: RegisterParameters;
}

/**
 * Lists residents with clinics. A resident of municipality m goes to one of m's clinics with
 * probability 1 − s[m], chosen in proportion to capacities; otherwise to a clinic in one of the
 * nearest municipalities that have clinics, in proportion to capacities × exp(−distance/decay).
 * s[m] ∝ (neighbours' distance-weighted capacities / own capacities)^pullExponent, capped, and
 * scaled so its population-weighted mean over mainland municipalities equals `crossBorderShare`:
 * a small municipality inside a big one sends more residents across. Non-bridged islands keep
 * their residents (s = 0) and receive none; a municipality without clinics sends everyone out.
 * Both parts are merged into one alias table per municipality, so `clinicFor` is O(1).
 */
export function makeClinicChooser(register: GpRegister, geography: Geography, opts: ClinicChooserOptions = {}): ClinicChooser {
  const p = opts.parameters ?? defaultRegisterParameters();
  const base = opts.crossBorderShare ?? p.crossBorderShare;
  if (!(base >= 0 && base <= p.maxCrossBorderShare)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `crossBorderShare must be from 0 to ${p.maxCrossBorderShare}, got ${String(base)}`, {
      field: "crossBorderShare",
    });
  }
  const municipalities = geography.municipalities;
  const count = municipalities.length;
  const clinicsByMunicipality = municipalities.map((): { clinicId: number; capacities: number }[] => []);
  const ownCapacities = new Float64Array(count);
  for (const clinic of register.clinics) {
    if (clinic.capacities <= 0) continue;
    clinicsByMunicipality[clinic.municipalityIndex]?.push(clinic);
    ownCapacities[clinic.municipalityIndex] = (ownCapacities[clinic.municipalityIndex] ?? 0) + clinic.capacities;
  }
  if (register.clinics.length === 0 || ownCapacities.every((c) => c === 0)) {
    throw new FordelingError("FD_ERR_REGISTER", "the register has no clinic with capacity: residents cannot be listed");
  }

  const decay = (a: Municipality, b: Municipality): number => Math.exp(-distanceKm(a, b) / p.distanceDecayKm);
  const neighbours = municipalities.map((m) => nearestWithClinics(m, municipalities, ownCapacities, p.neighbourCount));
  const pull = municipalities.map((m, i) => {
    const own = ownCapacities[i] ?? 0;
    const near = (neighbours[i] ?? []).reduce((s, n) => s + (ownCapacities[n.index] ?? 0) * decay(m, n), 0);
    const free = own > 0 && !m.islandNoBridge && (neighbours[i] ?? []).length > 0;
    return free ? Math.pow(near / own, p.pullExponent) : Number.NaN; // NaN: share fixed
  });
  const shares = calibrateShares(municipalities, ownCapacities, pull, base, p.maxCrossBorderShare);

  const ids: number[] = [];
  const weightLists = municipalities.map((m, i) => {
    const s = shares[i] ?? 0;
    const weights: number[] = [];
    const own = ownCapacities[i] ?? 0;
    if (s < 1) {
      for (const c of clinicsByMunicipality[i] ?? []) {
        ids.push(c.clinicId);
        weights.push(((1 - s) * c.capacities) / own);
      }
    }
    if (s > 0) {
      const entries = (neighbours[i] ?? []).flatMap((n) =>
        (clinicsByMunicipality[n.index] ?? []).map((c) => ({ c, w: c.capacities * decay(m, n) })),
      );
      // Far-away neighbours can underflow exp(): fall back to capacities alone rather than divide by 0.
      const sum = entries.reduce((t, e) => t + e.w, 0);
      for (const e of entries) {
        ids.push(e.c.clinicId);
        weights.push(sum > 0 ? (s * e.w) / sum : (s * e.c.capacities) / entries.length);
      }
    }
    return weights;
  });
  const { offsets, keep, alias } = makeAliasTables(weightLists);
  const clinicIds = Uint16Array.from(ids);

  return {
    crossBorderShareByMunicipality: shares,
    clinicFor(municipalityIndex: number, u: number): number {
      if (!(u >= 0 && u < 1) || municipalityIndex >>> 0 !== municipalityIndex || municipalityIndex >= count) {
        throw new FordelingError(
          "FD_ERR_ARGUMENT",
          `clinicFor needs a municipality index 0…${count - 1} and u in [0, 1), got ${municipalityIndex} and ${u}`,
        );
      }
      const start = offsets[municipalityIndex] as number;
      const x = u * ((offsets[municipalityIndex + 1] as number) - start);
      const column = Math.floor(x);
      const j = start + column;
      return clinicIds[x - column < (keep[j] as number) ? j : (alias[j] as number)] as number;
    },
  };
}

/**
 * Bisection on the factor c in s = min(cap, c·pull) so that the population-weighted mean of s
 * over municipalities with a free share (pull not NaN) equals `target`. Islands get 0,
 * municipalities without clinics 1.
 */
function calibrateShares(municipalities: Municipality[], own: Float64Array, pull: number[], target: number, cap: number): Float64Array {
  const shares = new Float64Array(municipalities.length);
  const free = municipalities.filter((m) => !Number.isNaN(pull[m.index] ?? Number.NaN));
  const population = free.reduce((s, m) => s + m.population2026, 0);
  const meanAt = (c: number): number =>
    free.reduce((s, m) => s + m.population2026 * Math.min(cap, c * (pull[m.index] ?? 0)), 0) / population;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && meanAt(hi) < target; i++) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (meanAt(mid) < target) lo = mid;
    else hi = mid;
  }
  for (const m of municipalities) {
    const x = pull[m.index] ?? Number.NaN;
    shares[m.index] = Number.isNaN(x) ? ((own[m.index] ?? 0) > 0 ? 0 : 1) : target === 0 ? 0 : Math.min(cap, hi * x);
  }
  return shares;
}

/**
 * The nearest municipalities (by centroid) holding clinics. Islands only serve themselves,
 * unless no mainland municipality has a clinic (a register holding island clinics only).
 */
function nearestWithClinics(m: Municipality, all: Municipality[], own: Float64Array, k: number): Municipality[] {
  const withClinics = all.filter((n) => n.index !== m.index && (own[n.index] ?? 0) > 0);
  const mainland = withClinics.filter((n) => !n.islandNoBridge);
  return (mainland.length > 0 ? mainland : withClinics)
    .map((n) => ({ n, d: distanceKm(m, n) }))
    .sort((a, b) => a.d - b.d || a.n.index - b.n.index)
    .slice(0, k)
    .map((x) => x.n);
}

/** Equirectangular distance: within Denmark (≈ 350 km) its error is well under 1 %. */
export function distanceKm(a: Municipality, b: Municipality): number {
  const meanLat = ((a.lat + b.lat) / 2) * (Math.PI / 180);
  const dx = (b.lon - a.lon) * Math.cos(meanLat) * 111.32;
  const dy = (b.lat - a.lat) * 110.57;
  return Math.hypot(dx, dy);
}
