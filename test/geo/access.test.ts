import { describe, expect, it } from "vitest";
import { computeLocationAccess, weightedQuantile, type AccessPoint, type AccessRule, type GpSite } from "../../src/geo/access.js";
import { computeAccessReport } from "../../src/capacity/accessReport.js";
import { EARTH_RADIUS_KM, haversineKm } from "../../src/geo/distance.js";
import { defaultGeography } from "../../src/geo/geography.js";
import type { Location, LocationTable } from "../../src/geo/locations.js";
import { registerFromRows } from "../../src/register/build.js";

const RULE: AccessRule = { radiusKm: 15, minimumGps: 2, detourFactor: 1 };
const ORIGIN = { lat: 56, lon: 10 };
/** A point `km` due north of ORIGIN: along a meridian the great-circle distance is exact. */
const north = (km: number): { lat: number; lon: number } => ({
  lat: ORIGIN.lat + ((km / EARTH_RADIUS_KM) * 180) / Math.PI,
  lon: ORIGIN.lon,
});
const site = (gps: number, islandId = 0, at = ORIGIN): GpSite => ({ ...at, islandId, gps });
const point = (km: number, islandId = 0): AccessPoint => ({ ...north(km), islandId });

describe("the 15 km rule on hand-made geometry", () => {
  it("places the test points at the distances they claim", () => {
    for (const km of [14.9, 15, 15.1]) expect(haversineKm(ORIGIN.lat, ORIGIN.lon, north(km).lat, north(km).lon)).toBeCloseTo(km, 9);
  });

  it("counts GPs at exactly 15 km and at 14.9 km, but not at 15.1 km", () => {
    const access = computeLocationAccess([point(15), point(14.9), point(15.1)], [site(2)], RULE);
    expect([...access.gpsWithinRadius]).toEqual([2, 2, 0]);
    expect(access.nearestGpKm[2]).toBeCloseTo(15.1, 6);
  });

  it("counts GPs, not clinics: two GPs in one clinic satisfy the rule, at one distance", () => {
    const access = computeLocationAccess([point(3)], [site(2)], RULE);
    expect(access.gpsWithinRadius[0]).toBe(2);
    // Distances are exact to a millimetre (1e-6 km), the rule's tolerance.
    expect(access.nearestGpKm[0]).toBeCloseTo(3, 6);
    expect(access.secondNearestGpKm[0]).toBe(access.nearestGpKm[0]);
  });

  it("fails a resident with one single-handed clinic near and the second GP beyond the radius", () => {
    const access = computeLocationAccess([point(0)], [site(1), site(1, 0, north(20))], RULE);
    expect(access.gpsWithinRadius[0]).toBe(1);
    expect(access.secondNearestGpKm[0]).toBeCloseTo(20, 6);
  });

  it("multiplies great-circle distance by the detour factor", () => {
    const access = computeLocationAccess([point(12)], [site(2)], { ...RULE, detourFactor: 1.3 });
    expect(access.gpsWithinRadius[0]).toBe(0);
    expect(access.nearestGpKm[0]).toBeCloseTo(15.6, 6);
  });

  it("gives an island resident no GP when the island has none, however near the mainland's", () => {
    const access = computeLocationAccess([point(2, 7)], [site(5, 0)], RULE);
    expect(access.gpsWithinRadius[0]).toBe(0);
    expect(access.nearestGpKm[0]).toBe(Infinity);
  });

  it("takes the residents-weighted quantile, and null for an area without residents", () => {
    const values = Float64Array.from([1, 2, 3]);
    expect(weightedQuantile([0, 1, 2], values, Float64Array.from([1, 1, 8]), 0.5)).toBe(3);
    expect(weightedQuantile([0, 1, 2], values, Float64Array.from([5, 1, 4]), 0.5)).toBe(1);
    expect(weightedQuantile([0, 1, 2], values, new Float64Array(3), 0.5)).toBeNull();
  });
});

describe("the access report on a hand-made locations table", () => {
  const geography = defaultGeography();
  const [a, b] = [geography.municipalities[0]!, geography.municipalities[1]!];
  const location = (id: number, municipality: typeof a, at: { lat: number; lon: number }, islandId = 0): Location => ({
    id,
    municipalityIndex: municipality.index,
    municipalityCode: municipality.code,
    ...at,
    islandId,
    kind: "town",
    name: `p${id}`,
    postalCode: "",
    residentShare: 0.5,
    clinicWeight: 1,
  });
  const locations = [location(0, a, north(0)), location(1, a, north(40), 9), location(2, b, north(10))];
  const table: LocationTable = {
    locations,
    islands: [],
    byMunicipality: geography.municipalities.map((m) => locations.filter((l) => l.municipalityIndex === m.index).map((l) => l.id)),
    version: "test",
    boundaries: { polygons: geography.municipalities.map(() => []) },
  };
  // Two GPs in one clinic of municipality b, 10 km from a's mainland residents; none on a's island.
  const register = registerFromRows(
    [0, 1].map((gpId) => ({ gpId, clinicId: 0, municipalityCode: b.code, ageYears: 50, capacity: 1, tendered: false, ...north(10) })),
    geography,
  );
  const report = computeAccessReport(table, Float64Array.from([100, 30, 50]), register, geography, RULE);

  it("counts GPs across the municipal border for residents of the neighbouring municipality", () => {
    expect(report.location.gpsWithinRadius[0]).toBe(2);
    expect(report.location.nearestGpKm[0]).toBeCloseTo(10, 6);
  });

  it("fails the island residents of a municipality whose GPs are all on the mainland", () => {
    expect(report.location.gpsWithinRadius[1]).toBe(0);
    expect(report.municipalities[a.index]).toMatchObject({ residents: 130, residentsFailing: 30, gps: 0 });
    expect(report.municipalities[a.index]!.shareFailing).toBeCloseTo(30 / 130, 12);
    expect(report.municipalities[a.index]!.nearestGpKmP50).toBeCloseTo(10, 6);
    expect(report.municipalities[a.index]!.nearestGpKmP90).toBeNull();
    expect(report.municipalities[b.index]).toMatchObject({ residents: 50, residentsFailing: 0, gps: 2 });
    expect(report.national).toMatchObject({ residents: 180, residentsFailing: 30, gps: 2 });
  });
});
