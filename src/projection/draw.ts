import {
  PARAMETER_KEYS,
  makeParameterValues,
  type Distribution,
  type ParameterFile,
  type ParameterKey,
  type ParameterValues,
} from "../model/parameters.js";
import type { Scenario } from "../model/scenario.js";
import { STREAM, streamKey, uniformAt } from "../kernel/rng.js";

/**
 * One replication's parameters: the scenario's overrides as given, every other uncertain
 * parameter drawn from its distribution by inverse CDF of one counter-based uniform (the key's
 * index in PARAMETER_KEYS), so a draw depends only on (seed, replication, key).
 * Replication −1 means "central values": no draws.
 */
export function drawParameters(file: ParameterFile, scenario: Scenario, seed: number, replication: number): ParameterValues {
  const key = streamKey(seed, replication, 0, STREAM.parameters);
  const values = {} as Record<ParameterKey, number | string>;
  PARAMETER_KEYS.forEach((name, index) => {
    const spec = file.parameters[name];
    const override = scenario.parameters[name];
    if (override !== undefined) values[name] = override;
    else if (spec.distribution !== undefined && replication >= 0) values[name] = quantile(spec.distribution, uniformAt(key, index));
    else values[name] = spec.value;
  });
  return makeParameterValues(values);
}

export function quantile(d: Distribution, u: number): number {
  // Keep u strictly inside (0, 1): the normal quantile is infinite at the ends.
  const p = Math.min(1 - 1e-12, Math.max(1e-12, u));
  switch (d.kind) {
    case "uniform":
      return d.min + p * (d.max - d.min);
    case "triangular": {
      const split = (d.mode - d.min) / (d.max - d.min);
      return p < split
        ? d.min + Math.sqrt(p * (d.max - d.min) * (d.mode - d.min))
        : d.max - Math.sqrt((1 - p) * (d.max - d.min) * (d.max - d.mode));
    }
    case "normal": {
      // Truncated normal: map p into [Φ(a), Φ(b)], then invert; exact, without rejection.
      const lo = normalCdf((d.min - d.mean) / d.sd);
      const hi = normalCdf((d.max - d.mean) / d.sd);
      const z = normalQuantile(lo + p * (hi - lo));
      return Math.min(d.max, Math.max(d.min, d.mean + d.sd * z));
    }
  }
}

/** Φ(x) via the complementary error function (Numerical Recipes erfc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** Φ⁻¹(p), P. J. Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
