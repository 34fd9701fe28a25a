import { EARTH_RADIUS_KM } from "./distance.js";

/**
 * The coverage rule: every resident must be able to choose between at least `minimumGps` GPs
 * within `radiusKm` of home (docs/GEOGRAPHY.md). Measured per location, not per resident: a
 * location holds its residents' count, a site its GPs, so the work is locations × GP sites
 * (about 4,400 × 1,000), not 6 million residents.
 *
 * Distance = great-circle km × detour factor. A GP counts when that distance is at most the
 * radius plus 1 mm (RADIUS_TOLERANCE_KM: floating-point error must not drop a GP at exactly
 * 15 km). Only GPs on the same landmass count: a resident of a non-bridged island reaches GPs on
 * that island, a mainland resident (bridged islands included) GPs off the non-bridged islands.
 */
export const RADIUS_TOLERANCE_KM = 1e-6;

export interface AccessPoint {
  lat: number;
  lon: number;
  /** 0 = mainland; residents and GPs meet only on the same id. */
  islandId: number;
}

export interface GpSite extends AccessPoint {
  /** GPs (people, not capacities) practising here. */
  gps: number;
}

export interface AccessRule {
  radiusKm: number;
  minimumGps: number;
  detourFactor: number;
}

export interface LocationAccess {
  /** GPs within the radius (after the detour factor), per point. */
  gpsWithinRadius: Int32Array;
  /** Km to the nearest and the second-nearest GP (the same site when it has two); Infinity when unreachable. */
  nearestGpKm: Float64Array;
  secondNearestGpKm: Float64Array;
}

/** Sites at the same coordinates on the same island merge: clinics share town points. */
export function mergeSites(sites: readonly GpSite[]): GpSite[] {
  const byKey = new Map<string, GpSite>();
  for (const s of sites) {
    if (s.gps <= 0) continue;
    const key = `${s.lat},${s.lon},${s.islandId}`;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, { ...s });
    else seen.gps += s.gps;
  }
  return [...byKey.values()];
}

/** Unit vector of a point on the sphere: the dot product of two is the cosine of their central angle. */
function unitVector(lat: number, lon: number): [number, number, number] {
  const [phi, lambda] = [(lat * Math.PI) / 180, (lon * Math.PI) / 180];
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

/**
 * The inner loop compares dot products of unit vectors (three multiply-adds a pair, no
 * trigonometry; the measured reason: 4,400 × 600 pairs with sin/asin each took most of the
 * access measure). Distances come back through the haversine form 2·asin(√((1 − cos)/2)), which
 * keeps metre precision at these short ranges.
 */
export function computeLocationAccess(points: readonly AccessPoint[], sites: readonly GpSite[], rule: AccessRule): LocationAccess {
  const merged = mergeSites(sites);
  const n = merged.length;
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  const sz = new Float64Array(n);
  merged.forEach((s, i) => ([sx[i], sy[i], sz[i]] = unitVector(s.lat, s.lon)));
  const sGps = Int32Array.from(merged, (s) => s.gps);
  const sIsland = Int32Array.from(merged, (s) => s.islandId);
  const kmPerUnit = 2 * EARTH_RADIUS_KM * rule.detourFactor;
  const kmOf = (cosine: number): number => kmPerUnit * Math.asin(Math.sqrt(Math.min(1, Math.max(0, (1 - cosine) / 2))));
  // cos of the largest central angle that still counts: 1 − 2·sin²(θ/2), exact for small θ.
  const halfAngle = Math.min(Math.PI / 2, (rule.radiusKm + RADIUS_TOLERANCE_KM) / kmPerUnit);
  const cosRadius = 1 - 2 * Math.sin(halfAngle) ** 2;

  const gpsWithinRadius = new Int32Array(points.length);
  const nearestGpKm = new Float64Array(points.length).fill(Infinity);
  const secondNearestGpKm = new Float64Array(points.length).fill(Infinity);
  points.forEach((p, i) => {
    const [x, y, z] = unitVector(p.lat, p.lon);
    const island = p.islandId;
    let within = 0;
    let first = -Infinity;
    let second = -Infinity;
    for (let s = 0; s < n; s++) {
      if (sIsland[s] !== island) continue;
      const cosine = x * sx[s]! + y * sy[s]! + z * sz[s]!;
      const gps = sGps[s]!;
      if (cosine >= cosRadius) within += gps;
      if (cosine > first) {
        second = gps >= 2 ? cosine : first;
        first = cosine;
      } else if (cosine > second) {
        second = cosine;
      }
    }
    gpsWithinRadius[i] = within;
    nearestGpKm[i] = first === -Infinity ? Infinity : kmOf(first);
    secondNearestGpKm[i] = second === -Infinity ? Infinity : kmOf(second);
  });
  return { gpsWithinRadius, nearestGpKm, secondNearestGpKm };
}

/**
 * Residents-weighted quantile of a per-location value over the given locations: the smallest
 * value v with at least p of the residents at or below v. Null when there are no residents.
 */
export function weightedQuantile(ids: readonly number[], values: Float64Array, weights: Float64Array, p: number): number | null {
  const sorted = ids.filter((id) => weights[id]! > 0).sort((a, b) => values[a]! - values[b]!);
  const total = sorted.reduce((s, id) => s + weights[id]!, 0);
  if (total <= 0) return null;
  let cumulative = 0;
  for (const id of sorted) {
    cumulative += weights[id]!;
    if (cumulative >= p * total * (1 - 1e-12)) return values[id]!;
  }
  return values[sorted[sorted.length - 1]!]!;
}
