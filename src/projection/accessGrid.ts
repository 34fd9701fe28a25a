import { registerClinicLocations } from "../capacity/accessReport.js";
import { RADIUS_TOLERANCE_KM } from "../geo/access.js";
import { EARTH_RADIUS_KM } from "../geo/distance.js";
import type { Geography } from "../geo/geography.js";
import { locationTableFor, type LocationTable } from "../geo/locations.js";
import { defaultGeoParameters, type GeoParameters } from "../geo/parameters.js";
import { FordelingError } from "../errors.js";
import type { GpRegister } from "../register/types.js";
import { ISLAND_COUNT } from "./metrics.js";

/**
 * The geography the projection's access rule needs (docs/GEOGRAPHY.md, "In the projection"),
 * built once per run and shared by every replication and worker (typed arrays: cheap to pass
 * to a thread). The rule itself is src/geo/access.ts's: a GP counts for a location when it is on
 * the same landmass and at most radius × (1 + tolerance) away after the detour factor.
 *
 * Because locations never move, "which locations lie within the radius of which" is computed
 * once, as sparse neighbour lists (compressed rows: the neighbours of location l are
 * `neighbours[neighbourStart[l] … neighbourStart[l + 1])`, l itself included). A projected
 * year then costs a pass over the locations that hold GPs and their neighbour lists.
 */
export interface AccessGrid {
  radiusKm: number;
  minimumGps: number;
  detourFactor: number;
  /** Per location (the locations table's ids). */
  lat: Float64Array;
  lon: Float64Array;
  municipalityOf: Int32Array;
  islandOf: Int32Array;
  /** > 0 for a town (or small island) where a clinic may stand (src/geo/locations.ts). */
  clinicWeight: Float64Array;
  /** Expected share of its municipality's residents: spreads residents of a municipality the base population has none in. */
  residentShare: Float64Array;
  neighbourStart: Int32Array;
  neighbours: Int32Array;
  /** Base population's residents per location and their sum per municipality. */
  baseResidents: Float64Array;
  baseResidentsMunicipality: Float64Array;
  /** Per municipality: its clinic towns (clinicWeight > 0), largest first (compressed rows as above). */
  townStart: Int32Array;
  towns: Int32Array;
  /**
   * Per municipality: every location within the radius of one of its towns (compressed rows):
   * the only places where a new clinic in the municipality can change anyone's access.
   */
  catchmentStart: Int32Array;
  catchment: Int32Array;
  /** Per register clinic index: its location. */
  registerClinicLocation: Int32Array;
  /** The non-bridged islands (src/geo/islands.ts), in the table's order (island id − 1). */
  islands: GridIsland[];
}

export interface GridIsland {
  /** MAINLAND is 0; islands are 1…n as in the locations table. */
  id: number;
  /** The cap rule's id: the municipality code for a whole-island municipality, else the island's name (as `weigh --by island`). */
  ruleId: string;
  name: string;
  kind: "municipality" | "small";
  municipalityIndex: number;
  councilIndex: number;
  /** Share of its municipality's base residents living on it. */
  residentShare: number;
  /**
   * Share of its municipality's base Σ weight living on it (as `weigh --by island` weighs a small
   * island); the resident share when the population has no places.
   */
  needShare: number;
  /** Where a clinic on the island stands when access gives no better town: its largest town. */
  mainLocation: number;
}

/** The cosine of the largest central angle the rule still counts (as src/geo/access.ts). */
export function cosineOfRadius(radiusKm: number, detourFactor: number): number {
  const kmPerUnit = 2 * EARTH_RADIUS_KM * detourFactor;
  const halfAngle = Math.min(Math.PI / 2, (radiusKm + RADIUS_TOLERANCE_KM) / kmPerUnit);
  return 1 - 2 * Math.sin(halfAngle) ** 2;
}

/**
 * The projection records every island as an area of its results (src/projection/metrics.ts), an
 * index fixed at ISLAND_COUNT: island data giving another count must be met by that constant.
 */
export function checkIslandCount(table: { islands: readonly { id: number }[] }): void {
  const ids = table.islands.map((i) => i.id);
  if (table.islands.length !== ISLAND_COUNT || ids.some((id, k) => id !== k + 1)) {
    throw new FordelingError(
      "FD_ERR_REFERENCE_DATA",
      `the island data give ${table.islands.length} non-bridged islands (ids ${ids.join(", ")}), but the projection's results ` +
        `hold ${ISLAND_COUNT} (ids 1…${ISLAND_COUNT}): update ISLAND_COUNT in src/projection/metrics.ts with the data`,
      { file: "data/geo/small_islands.csv" },
    );
  }
}

/** Rows of compressed lists from per-row arrays. */
function compress(rows: readonly (readonly number[])[]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (start[i + 1] = start[i]! + r.length));
  const items = new Int32Array(start[rows.length]!);
  rows.forEach((r, i) => items.set(r, start[i]!));
  return { start, items };
}

export function buildAccessGrid(
  table: LocationTable,
  geography: Geography,
  register: GpRegister,
  baseResidents: Float64Array,
  params: Pick<GeoParameters, "radiusKm" | "minimumGps" | "detourFactor">,
  /** Σ weight per small island (index = island id) and per municipality of the base population; default: weigh by residents. */
  islandWeights?: { island: Float64Array; municipality: ArrayLike<number> },
): AccessGrid {
  const locations = table.locations;
  const n = locations.length;
  const lat = Float64Array.from(locations, (l) => l.lat);
  const lon = Float64Array.from(locations, (l) => l.lon);
  const islandOf = Int32Array.from(locations, (l) => l.islandId);
  const municipalityOf = Int32Array.from(locations, (l) => l.municipalityIndex);
  const clinicWeight = Float64Array.from(locations, (l) => l.clinicWeight);
  // Unit vectors: a pair is within the radius when their dot product reaches the radius's cosine.
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [phi, lambda] = [(lat[i]! * Math.PI) / 180, (lon[i]! * Math.PI) / 180];
    x[i] = Math.cos(phi) * Math.cos(lambda);
    y[i] = Math.cos(phi) * Math.sin(lambda);
    z[i] = Math.sin(phi);
  }
  const cosRadius = cosineOfRadius(params.radiusKm, params.detourFactor);
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    rows[i]!.push(i);
    for (let j = i + 1; j < n; j++) {
      if (islandOf[i] !== islandOf[j] || x[i]! * x[j]! + y[i]! * y[j]! + z[i]! * z[j]! < cosRadius) continue;
      rows[i]!.push(j);
      rows[j]!.push(i);
    }
  }
  const neighbourLists = compress(rows);

  const townRows = geography.municipalities.map((m) =>
    (table.byMunicipality[m.index] ?? [])
      .filter((id) => clinicWeight[id]! > 0)
      .sort((a, b) => clinicWeight[b]! - clinicWeight[a]! || a - b),
  );
  const catchmentRows = townRows.map((towns) => {
    const seen = new Set<number>();
    for (const t of towns) for (let k = neighbourLists.start[t]!; k < neighbourLists.start[t + 1]!; k++) seen.add(neighbourLists.items[k]!);
    return [...seen].sort((a, b) => a - b);
  });
  const townLists = compress(townRows);
  const catchmentLists = compress(catchmentRows);

  const baseResidentsMunicipality = new Float64Array(geography.municipalities.length);
  for (let i = 0; i < n; i++) baseResidentsMunicipality[municipalityOf[i]!]! += baseResidents[i] ?? 0;
  const islands = table.islands.map((island): GridIsland => {
    const on = (table.byMunicipality[island.municipalityIndex] ?? []).filter((id) => islandOf[id] === island.id);
    const residents = on.reduce((s, id) => s + (baseResidents[id] ?? 0), 0);
    const base = baseResidentsMunicipality[island.municipalityIndex] ?? 0;
    const published = geography.municipalities[island.municipalityIndex]!.population2026;
    const mainLocation = on.reduce((a, b) => (clinicWeight[b]! > clinicWeight[a]! ? b : a), on[0] ?? -1);
    return {
      id: island.id,
      ruleId: island.kind === "municipality" ? String(island.municipalityCode) : island.name,
      name: island.name,
      kind: island.kind,
      municipalityIndex: island.municipalityIndex,
      councilIndex: geography.municipalities[island.municipalityIndex]!.councilIndex,
      // A population without residents in the municipality: the published figures' share.
      residentShare: base > 0 ? residents / base : published > 0 ? Math.min(1, island.populationPublished / published) : 0,
      needShare: 0,
      mainLocation,
    };
  });
  // A small island's share of its municipality's weight; an island municipality's own island keeps what its small islands leave.
  for (const island of islands) {
    const total = islandWeights?.municipality[island.municipalityIndex] ?? 0;
    const small = table.islands[island.id - 1]?.kind === "small";
    if (small) island.needShare = total > 0 ? (islandWeights?.island[island.id] ?? 0) / total : island.residentShare;
  }
  for (const island of islands) {
    if (table.islands[island.id - 1]?.kind !== "municipality") continue;
    const inside = islands.filter((i) => i.municipalityIndex === island.municipalityIndex && i.id !== island.id);
    island.needShare = Math.max(0, 1 - inside.reduce((s, i) => s + i.needShare, 0));
  }
  const { locationOfClinic } = registerClinicLocations(register, table, geography);
  return {
    radiusKm: params.radiusKm,
    minimumGps: params.minimumGps,
    detourFactor: params.detourFactor,
    lat,
    lon,
    municipalityOf,
    islandOf,
    clinicWeight,
    residentShare: Float64Array.from(locations, (l) => l.residentShare),
    neighbourStart: neighbourLists.start,
    neighbours: neighbourLists.items,
    baseResidents: Float64Array.from(baseResidents),
    baseResidentsMunicipality,
    townStart: townLists.start,
    towns: townLists.items,
    catchmentStart: catchmentLists.start,
    catchment: catchmentLists.items,
    registerClinicLocation: Int32Array.from(locationOfClinic),
    islands,
  };
}

/**
 * The grid with residents where the locations table expects them (its shares of the 1 Jan 2026
 * population): for the GP model without a population file (tests, benches).
 */
export function expectedAccessGrid(
  geography: Geography,
  register: GpRegister,
  table: LocationTable = locationTableFor(geography),
): AccessGrid {
  const residents = Float64Array.from(
    table.locations,
    (l) => l.residentShare * geography.municipalities[l.municipalityIndex]!.population2026,
  );
  return buildAccessGrid(table, geography, register, residents, defaultGeoParameters());
}

/** Where a new clinic of municipality m stands when access gives no better town: its largest clinic site. */
export function mainTownOf(grid: AccessGrid, m: number): number {
  return grid.townStart[m + 1]! > grid.townStart[m]! ? grid.towns[grid.townStart[m]!]! : -1;
}
