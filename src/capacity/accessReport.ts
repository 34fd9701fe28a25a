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

/** GP sites from the register: each clinic's place and island, with its number of GPs. */
export function gpSitesFromRegister(
  register: GpRegister,
  table: LocationTable,
  geography: Geography,
): { sites: GpSite[]; municipalityOfSite: number[]; placedByDefault: number } {
  const resolver = makePlaceResolver(table, geography, Infinity);
  let placedByDefault = 0;
  const municipalityOfSite: number[] = [];
  const sites = register.clinics.map((clinic) => {
    municipalityOfSite.push(clinic.municipalityIndex);
    if (clinic.lat !== undefined && clinic.lon !== undefined) {
      const near = table.locations[resolver.byCoordinates(clinic.municipalityIndex, clinic.lat, clinic.lon, {})]!;
      return { lat: clinic.lat, lon: clinic.lon, islandId: near.islandId, gps: clinic.gpIds.length };
    }
    placedByDefault++;
    const ids = table.byMunicipality[clinic.municipalityIndex] ?? [];
    const main = ids.map((id) => table.locations[id]!).reduce((a, b) => (b.clinicWeight > a.clinicWeight ? b : a));
    return { lat: main.lat, lon: main.lon, islandId: main.islandId, gps: clinic.gpIds.length };
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
