import type { ParameterValues } from "../../model/parameters.js";
import type { PlaceFeatures } from "./places.js";

/**
 * Where a settling GP goes: a multinomial logit over places. Every place (a vacancy to re-fill,
 * or a new capacity the cap rule allows) in municipality m has the utility
 *   U_m = β_density · density_z + β_distance · km to the nearest university city / 100
 *       + β_shortage · (need − supply) / need + levers (settling subsidy, premises support),
 * so a GP picks m with probability slots_m · e^U_m / (Σ slots · e^U + outside). The outside
 * option (staying employed, working as a locum) has weight e^U_0 times the number of places at
 * the start of the round: at first a GP declines with probability e^U_0 / (e^U_0 + mean e^U),
 * and as places fill the unattractive ones are more and more often left unfilled. The β and U_0
 * are drawn per replication (data/model/parameters.json: settle.*).
 */
export function placeUtilities(
  features: PlaceFeatures,
  p: ParameterValues,
  shortage: Float64Array,
  leverUtility: Float64Array,
): Float64Array {
  const density = p.num("settle.densityCoefficient");
  const distance = p.num("settle.distanceCoefficientPer100Km");
  const short = p.num("settle.shortageCoefficient");
  return Float64Array.from(
    features.densityZ,
    (z, m) =>
      density * z + (distance * (features.universityDistanceKm[m] ?? 0)) / 100 + short * (shortage[m] ?? 0) + (leverUtility[m] ?? 0),
  );
}

/** (need − supply) / need per municipality, clamped to −1…1 (0 where there is no need). */
export function shortageShare(need: Float64Array, supply: Float64Array): Float64Array {
  return Float64Array.from(need, (n, m) => (n > 0 ? Math.max(-1, Math.min(1, (n - (supply[m] ?? 0)) / n)) : 0));
}

/**
 * One draw of the logit: the municipality whose weight interval holds u × total, or −1 for the
 * outside option. `weights[m]` = slots_m · e^U_m. The walk is in municipality order, so a draw is
 * a pure function of (weights, u).
 */
export function chooseMunicipality(weights: Float64Array, outsideWeight: number, u: number): number {
  let total = outsideWeight;
  for (const w of weights) total += w;
  if (!(total > 0)) return -1;
  let x = u * total;
  for (let m = 0; m < weights.length; m++) {
    const w = weights[m] ?? 0;
    if (w <= 0) continue;
    if (x < w) return m;
    x -= w;
  }
  return -1;
}
