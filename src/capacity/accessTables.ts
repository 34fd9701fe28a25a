import { tableFromRecords, type ColumnSpec, type Table } from "../io/table.js";
import type { AccessReport, AreaAccess } from "./accessReport.js";
import type { Geography } from "../geo/geography.js";
import type { LocationTable } from "../geo/locations.js";

/** The access report as tables (snake_case columns), one level each: what `fordeling access` writes. */
export const ACCESS_LEVELS = ["municipality", "council", "location", "national"] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

function areaColumns<R extends { a: AreaAccess }>(): ColumnSpec<R>[] {
  const km = { type: "float", unit: "km", decimals: 1, nullable: true } as const;
  return [
    { name: "residents", type: "float", unit: "persons", decimals: 0, value: (r) => r.a.residents },
    { name: "residents_failing", type: "float", unit: "persons", decimals: 0, value: (r) => r.a.residentsFailing },
    { name: "share_failing", type: "float", unit: "share", decimals: 4, nullable: true, value: (r) => r.a.shareFailing },
    { name: "nearest_gp_km_p50", ...km, value: (r) => r.a.nearestGpKmP50 },
    { name: "nearest_gp_km_p90", ...km, value: (r) => r.a.nearestGpKmP90 },
    { name: "gps", type: "int", value: (r) => r.a.gps },
  ];
}

export function accessTable(report: AccessReport, level: AccessLevel, geography: Geography, table: LocationTable): Table {
  if (level === "municipality") {
    const rows = geography.municipalities.map((m) => ({ m, a: report.municipalities[m.index]! }));
    return tableFromRecords("access_municipalities", rows, [
      { name: "municipality_code", type: "int", value: (r) => r.m.code },
      { name: "municipality_name", type: "string", value: (r) => r.m.name },
      { name: "council_id", type: "string", value: (r) => geography.councils[r.m.councilIndex]!.id },
      ...areaColumns<(typeof rows)[number]>(),
    ]);
  }
  if (level === "council") {
    const rows = geography.councils.map((c) => ({ c, a: report.councils[c.index]! }));
    return tableFromRecords("access_councils", rows, [
      { name: "council_id", type: "string", value: (r) => r.c.id },
      { name: "council_name", type: "string", value: (r) => r.c.name },
      ...areaColumns<(typeof rows)[number]>(),
    ]);
  }
  if (level === "national") {
    return tableFromRecords(
      "access_national",
      [{ a: report.national }],
      [{ name: "area", type: "string", value: () => "Denmark" }, ...areaColumns<{ a: AreaAccess }>()],
    );
  }
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const island = new Map(table.islands.map((i) => [i.id, i.name]));
  const loc = report.location;
  return tableFromRecords("access_locations", table.locations, [
    { name: "location_id", type: "int", value: (l) => l.id },
    { name: "municipality_code", type: "int", value: (l) => l.municipalityCode },
    { name: "name", type: "string", value: (l) => l.name },
    { name: "kind", type: "string", value: (l) => l.kind },
    { name: "island", type: "string", value: (l) => island.get(l.islandId) ?? "" },
    { name: "lat", type: "float", unit: "degrees", decimals: 5, value: (l) => l.lat },
    { name: "lon", type: "float", unit: "degrees", decimals: 5, value: (l) => l.lon },
    { name: "residents", type: "float", unit: "persons", decimals: 0, value: (l) => report.residentsByLocation[l.id]! },
    { name: "gps_within_radius", type: "int", unit: "GPs", value: (l) => loc.gpsWithinRadius[l.id]! },
    { name: "nearest_gp_km", type: "float", unit: "km", decimals: 1, nullable: true, value: (l) => finite(loc.nearestGpKm[l.id]!) },
    {
      name: "second_nearest_gp_km",
      type: "float",
      unit: "km",
      decimals: 1,
      nullable: true,
      value: (l) => finite(loc.secondNearestGpKm[l.id]!),
    },
  ]);
}
