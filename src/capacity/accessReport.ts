import type { GpRegister } from "../register/types.js";
import { computeLocationAccess, weightedQuantile, type AccessRule, type GpSite, type LocationAccess } from "../geo/access.js";
import type { Geography } from "../geo/geography.js";
import type { LocationTable } from "../geo/locations.js";
import { makePlaceResolver } from "../geo/resolve.js";

/** The access rule per location and summed per municipality, council and the whole country. */
export interface AreaAccess {
  residents: number;
  /** Residents with fewer than `minimumGps` GPs within the radius. */
  residentsFailing: number;
  shareFailing: number | null;
  /** Residents-weighted P50/P90 of the nearest GP's distance; null when unreachable (an island without GP) or empty. */
  nearestGpKmP50: number | null;
  nearestGpKmP90: number | null;
  gps: number;
}

export interface AccessReport {
  rule: AccessRule;
  location: LocationAccess;
  residentsByLocation: Float64Array;
  municipalities: AreaAccess[];
  councils: AreaAccess[];
  national: AreaAccess;
  /** Clinics without a place in the register, put at their municipality's largest clinic site. */
  clinicsPlacedByDefault: number;
}

/**
 * Where each register clinic stands: the location its coordinates resolve to, or (a clinic without
 * a place) its municipality's largest clinic site. The access report and the projection's clinics
 * (src/projection/accessGrid.ts) both place clinics through here.
 */
export function registerClinicLocations(
  register: GpRegister,
  table: LocationTable,
  geography: Geography,
): { locationOfClinic: number[]; placedByDefault: number } {
  const resolver = makePlaceResolver(table, geography, Infinity);
  let placedByDefault = 0;
  const locationOfClinic = register.clinics.map((clinic) => {
    if (clinic.lat !== undefined && clinic.lon !== undefined) {
      return resolver.byCoordinates(clinic.municipalityIndex, clinic.lat, clinic.lon, {});
    }
    placedByDefault++;
    return mainClinicLocation(table, clinic.municipalityIndex);
  });
  return { locationOfClinic, placedByDefault };
}

/** The municipality's location with the largest clinic weight: where a clinic without a place stands. */
export function mainClinicLocation(table: LocationTable, municipalityIndex: number): number {
  const ids = table.byMunicipality[municipalityIndex] ?? [];
  return ids.reduce((a, b) => (table.locations[b]!.clinicWeight > table.locations[a]!.clinicWeight ? b : a), ids[0] ?? -1);
}

/** GP sites from the register: each clinic's place and island, with its number of GPs. */
export function gpSitesFromRegister(
  register: GpRegister,
  table: LocationTable,
  geography: Geography,
): { sites: GpSite[]; municipalityOfSite: number[]; placedByDefault: number } {
  const { locationOfClinic, placedByDefault } = registerClinicLocations(register, table, geography);
  const municipalityOfSite = register.clinics.map((clinic) => clinic.municipalityIndex);
  const sites = register.clinics.map((clinic, k) => {
    const at = table.locations[locationOfClinic[k]!]!;
    // A clinic's own coordinates measure distances; the location it resolves to gives its island.
    const placed = clinic.lat !== undefined && clinic.lon !== undefined;
    return { lat: placed ? clinic.lat! : at.lat, lon: placed ? clinic.lon! : at.lon, islandId: at.islandId, gps: clinic.gpIds.length };
  });
  return { sites, municipalityOfSite, placedByDefault };
}

export function computeAccessReport(
  table: LocationTable,
  residentsByLocation: Float64Array,
  register: GpRegister,
  geography: Geography,
  rule: AccessRule,
): AccessReport {
  const { sites, municipalityOfSite, placedByDefault } = gpSitesFromRegister(register, table, geography);
  const location = computeLocationAccess(table.locations, sites, rule);
  const gpsByMunicipality = new Float64Array(geography.municipalities.length);
  sites.forEach((s, i) => (gpsByMunicipality[municipalityOfSite[i]!]! += s.gps));

  const area = (ids: number[], gps: number): AreaAccess => {
    let residents = 0;
    let failing = 0;
    for (const id of ids) {
      const r = residentsByLocation[id]!;
      residents += r;
      if (location.gpsWithinRadius[id]! < rule.minimumGps) failing += r;
    }
    const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);
    return {
      residents,
      residentsFailing: failing,
      shareFailing: residents > 0 ? failing / residents : null,
      nearestGpKmP50: finite(weightedQuantile(ids, location.nearestGpKm, residentsByLocation, 0.5)),
      nearestGpKmP90: finite(weightedQuantile(ids, location.nearestGpKm, residentsByLocation, 0.9)),
      gps,
    };
  };
  const municipalities = geography.municipalities.map((m) => area(table.byMunicipality[m.index] ?? [], gpsByMunicipality[m.index]!));
  const councils = geography.councils.map((c) =>
    area(
      c.municipalityIndices.flatMap((m) => table.byMunicipality[m] ?? []),
      c.municipalityIndices.reduce((s, m) => s + gpsByMunicipality[m]!, 0),
    ),
  );
  const national = area(
    table.locations.map((l) => l.id),
    gpsByMunicipality.reduce((s, g) => s + g, 0),
  );
  return { rule, location, residentsByLocation, municipalities, councils, national, clinicsPlacedByDefault: placedByDefault };
}
