import type { LocationTable } from "../geo/locations.js";
import { Xoshiro128 } from "./rng.js";

/**
 * Where each synthetic resident lives. Per municipality the location counts are fixed first by
 * systematic sampling of the expected counts (residents × share), so totals are exact and a small
 * island holds its published population (scaled); the ids are then shuffled over the
 * municipality's residents. The stream is separate from the characteristics' streams, so adding
 * locations left every other column of a seed unchanged.
 */

/** Streams 0…999 are the characteristics' (one per municipality code); locations use 1000 + code. */
export const LOCATION_STREAM_OFFSET = 1000;

export function locationIdsForMunicipality(
  table: LocationTable,
  municipalityIndex: number,
  municipalityCode: number,
  residents: number,
  seed: number,
): Uint16Array {
  const ids = table.byMunicipality[municipalityIndex] ?? [];
  const out = new Uint16Array(residents);
  if (residents === 0 || ids.length === 0) return out.fill(0xffff);
  const rng = new Xoshiro128(seed, LOCATION_STREAM_OFFSET + municipalityCode);
  const offset = rng.nextFloat();
  let cumulative = 0;
  let filled = 0;
  for (const id of ids) {
    cumulative += (table.locations[id]?.residentShare ?? 0) * residents;
    const upto = Math.min(residents, Math.floor(cumulative + offset));
    out.fill(id, filled, upto);
    filled = Math.max(filled, upto);
  }
  // Rounding of the shares' sum may leave the last slot(s): give them to the last location.
  out.fill(ids[ids.length - 1]!, filled);
  for (let i = residents - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
