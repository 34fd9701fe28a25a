import { FordelingError } from "../errors.js";
import type { Geography, Municipality } from "../geo/geography.js";
import { locationTableFor, type LocationTable } from "../geo/locations.js";
import { MAX_CLINIC_ID, registerFromRows, type RegisterRow } from "./build.js";
import { defaultRegisterParameters, type RegisterParameters } from "./parameters.js";
import { checkSeed, makeRandom, type Random } from "./random.js";
import type { GpRegister } from "./types.js";
import { loadUnderservedFlags } from "./underserved.js";

export interface SyntheticRegisterOptions {
  /** Whole number 0…2^32−1; the same seed gives the same register. */
  seed: number;
  /** Share of the national register to make, (0, 10]; default 1. Every municipality keeps a clinic. */
  scale?: number;
  /** Defaults to data/model/register-parameters.json. */
  parameters?: RegisterParameters;
  /** Source of the shortage flags; defaults to data/kommune_marginals.csv. */
  marginalsFile?: string;
  /** Where clinics may stand; defaults to the built-in locations table of `geography`. */
  locations?: LocationTable;
}

export const MAX_SCALE = 10;

/** One stream per phase, so a change in one phase's draws leaves the others' untouched. */
const STREAM = { capacities: 1, gps: 2, clinics: 3, ages: 4, tenders: 5, sites: 6 } as const;

/**
 * A synthetic GP register for 1 Jan 2026 calibrated to the national facts (docs/REGISTER.md):
 * 1. capacities per municipality ∝ population, fewer per resident where PLO flagged a shortage,
 *    with log-normal municipal noise, scaled to `capacities.national × scale`;
 * 2. a clinic count per municipality from a mean clinic size by type (urban, rural, island),
 *    normalised to `clinics.national × scale`, at least one;
 * 3. GPs drawn with 0.5–3 capacities until the municipality's capacities are met, then grouped:
 *    one GP per clinic, the rest joining clinics with exponential attractiveness, which gives the
 *    skewed sizes seen in practice (many single-handed clinics, few large partnerships);
 * 4. ages from the 2026 age profile; a few clinics tendered, mostly in shortage municipalities.
 * Clinic ids are dense 0…N−1 in municipality order, GP ids dense 0…G−1 in clinic order.
 */
export function makeSyntheticRegister(geography: Geography, opts: SyntheticRegisterOptions): GpRegister {
  const seed = checkSeed(opts.seed);
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= MAX_SCALE)) {
    throw new FordelingError("FD_ERR_ARGUMENT", `scale must be above 0 and at most ${MAX_SCALE}, got ${String(scale)}`, { field: "scale" });
  }
  const p = opts.parameters ?? defaultRegisterParameters();
  const underserved = loadUnderservedFlags(geography, opts.marginalsFile);
  const municipalities = geography.municipalities;

  const capacityTargets = municipalCapacityTargets(municipalities, underserved, p, scale, makeRandom(seed, STREAM.capacities));
  const clinicTargets = municipalClinicTargets(municipalities, capacityTargets, p, scale);
  const gpRandom = makeRandom(seed, STREAM.gps);
  const clinicRandom = makeRandom(seed, STREAM.clinics);
  const ageRandom = makeRandom(seed, STREAM.ages);

  const rows: RegisterRow[] = [];
  const clinicMunicipality: number[] = [];
  for (const m of municipalities) {
    const capacities = drawGpCapacities(capacityTargets[m.index] ?? 0, p, gpRandom);
    const clinicCount = Math.min(
      capacities.length,
      Math.max(clinicTargets[m.index] ?? 1, Math.ceil(capacities.length / p.maxGpsPerClinic)),
    );
    const firstClinicId = clinicMunicipality.length;
    if (firstClinicId + clinicCount - 1 > MAX_CLINIC_ID) {
      throw new FordelingError("FD_ERR_ARGUMENT", `scale ${scale} needs more than ${MAX_CLINIC_ID + 1} clinics`, { field: "scale" });
    }
    const members = groupIntoClinics(capacities.length, clinicCount, p.maxGpsPerClinic, clinicRandom);
    for (let c = 0; c < clinicCount; c++) {
      clinicMunicipality.push(m.index);
      for (const g of members[c] ?? []) {
        rows.push({
          gpId: rows.length,
          clinicId: firstClinicId + c,
          municipalityCode: m.code,
          ageYears: drawAge(p, ageRandom),
          capacity: capacities[g] ?? 1,
          tendered: false,
        });
      }
    }
  }

  const tendered = chooseTenderedClinics(clinicMunicipality, underserved, p, makeRandom(seed, STREAM.tenders));
  for (const row of rows) row.tendered = tendered.has(row.clinicId);
  const sites = chooseClinicSites(clinicMunicipality, opts.locations ?? locationTableFor(geography), makeRandom(seed, STREAM.sites));
  for (const row of rows) {
    const site = sites[row.clinicId]!;
    row.lat = site.lat;
    row.lon = site.lon;
  }
  return registerFromRows(rows, geography);
}

/** Capacities each municipality should hold (fractional), summing to national × scale. */
function municipalCapacityTargets(
  municipalities: Municipality[],
  underserved: Uint8Array,
  p: RegisterParameters,
  scale: number,
  random: Random,
): Float64Array {
  const sd = p.municipalNoiseSd;
  // exp(sd·z − sd²/2) has mean 1, so the noise spreads capacities without shifting the total.
  const weights = municipalities.map(
    (m) =>
      m.population2026 * (underserved[m.index] === 1 ? p.underservedCapacityFactor : 1) * Math.exp(sd * random.normal() - (sd * sd) / 2),
  );
  const total = weights.reduce((s, w) => s + w, 0);
  return Float64Array.from(weights, (w) => (p.nationalCapacities * scale * w) / total);
}

function meanClinicSize(m: Municipality, p: RegisterParameters): number {
  if (m.islandNoBridge) return p.meanCapacitiesPerClinic.island;
  const density = m.areaKm2 > 0 ? m.population2026 / m.areaKm2 : Infinity;
  return density < p.ruralDensityBelow ? p.meanCapacitiesPerClinic.rural : p.meanCapacitiesPerClinic.urban;
}

/** Clinics per municipality: relative sizes by type, rescaled so the national count is met. */
function municipalClinicTargets(
  municipalities: Municipality[],
  capacityTargets: Float64Array,
  p: RegisterParameters,
  scale: number,
): Int32Array {
  const raw = municipalities.map((m) => (capacityTargets[m.index] ?? 0) / meanClinicSize(m, p));
  const k = (p.nationalClinics * scale) / raw.reduce((s, x) => s + x, 0);
  return Int32Array.from(raw, (x) => Math.max(1, Math.round(k * x)));
}

/**
 * GPs' capacities until the target is met as closely as one more GP allows: a GP joins while
 * it brings the sum nearer the target. The first GP always joins, so every municipality has one.
 */
function drawGpCapacities(target: number, p: RegisterParameters, random: Random): number[] {
  const capacities: number[] = [];
  let sum = 0;
  for (;;) {
    const c = pickByShares(p.gpCapacityValues, p.gpCapacityShares, random.uniform());
    if (capacities.length > 0 && sum + c / 2 >= target) return capacities;
    capacities.push(c);
    sum += c;
  }
}

/** Splits GPs 0…g−1 into n clinics of at most `max` GPs, each clinic at least one. */
function groupIntoClinics(g: number, n: number, max: number, random: Random): number[][] {
  const members: number[][] = Array.from({ length: n }, (_, c) => [c]);
  const attractiveness = Array.from({ length: n }, () => -Math.log(1 - random.uniform()));
  for (let gp = n; gp < g; gp++) {
    let total = 0;
    for (let c = 0; c < n; c++) if ((members[c]?.length ?? max) < max) total += attractiveness[c] ?? 0;
    let x = random.uniform() * total;
    let chosen = -1;
    for (let c = 0; c < n; c++) {
      if ((members[c]?.length ?? max) >= max) continue;
      chosen = c;
      x -= attractiveness[c] ?? 0;
      if (x < 0) break;
    }
    members[chosen]?.push(gp);
  }
  return members;
}

function drawAge(p: RegisterParameters, random: Random): number {
  const band = pickIndexByShares(p.ageBandShares, random.uniform());
  const lower = p.ageBandLowerYears[band] ?? p.ageBandUpperYears - 1;
  const upper = p.ageBandLowerYears[band + 1] ?? p.ageBandUpperYears;
  return lower + random.int(upper - lower);
}

/**
 * round(share × clinics) clinics, weighted towards shortage municipalities, sampled without
 * replacement by Efraimidis–Spirakis keys (the largest ln(u)/w win).
 */
function chooseTenderedClinics(clinicMunicipality: number[], underserved: Uint8Array, p: RegisterParameters, random: Random): Set<number> {
  const count = Math.round(p.tenderedClinicShare * clinicMunicipality.length);
  const keyed = clinicMunicipality.map((m, clinicId) => {
    const weight = underserved[m] === 1 ? p.tenderedUnderservedWeight : 1;
    return { clinicId, key: Math.log(1 - random.uniform()) / weight };
  });
  keyed.sort((a, b) => b.key - a.key || a.clinicId - b.clinicId);
  return new Set(keyed.slice(0, count).map((k) => k.clinicId));
}

function pickIndexByShares(shares: readonly number[], u: number): number {
  let x = u;
  for (let i = 0; i < shares.length; i++) {
    x -= shares[i] ?? 0;
    if (x < 0) return i;
  }
  return shares.length - 1; // rounding: shares sum to 1 only up to float error
}

function pickByShares(values: readonly number[], shares: readonly number[], u: number): number {
  return values[pickIndexByShares(shares, u)] ?? 1;
}

/**
 * A place per clinic: a location of its municipality drawn ∝ clinicWeight (towns and small islands
 * by their expected residents, never a town node in the water; docs/GEOGRAPHY.md).
 */
function chooseClinicSites(clinicMunicipality: number[], locations: LocationTable, random: Random): { lat: number; lon: number }[] {
  return clinicMunicipality.map((m) => {
    const candidates = (locations.byMunicipality[m] ?? []).map((id) => locations.locations[id]!).filter((l) => l.clinicWeight > 0);
    const total = candidates.reduce((s, l) => s + l.clinicWeight, 0);
    let u = random.uniform() * total;
    const site = candidates.find((l) => (u -= l.clinicWeight) < 0) ?? candidates[candidates.length - 1];
    if (site === undefined) {
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `municipality index ${m} has no location on land for a clinic`);
    }
    return { lat: site.lat, lon: site.lon };
  });
}
