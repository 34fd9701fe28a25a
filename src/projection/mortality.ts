import { FordelingError } from "../errors.js";
import { MAX_AGE } from "../kernel/step/layout.js";

/**
 * Gompertz–Makeham mortality: hazard μ(x) = c + A·e^(b·x). The slope b and the constant c are
 * parameters; the level A is solved so the life table's life expectancy at birth equals a target
 * (a municipality's, by sex). Everyone alive at 110 dies (the population schema's maximum age).
 */
export interface GompertzShape {
  slopePerYear: number;
  makehamPerYear: number;
  infantDeathProbability: number;
}

/** Probability of dying between ages x and x+1 for level ln A. */
export function deathProbability(lnLevel: number, shape: GompertzShape, age: number): number {
  if (age >= MAX_AGE) return 1;
  const b = shape.slopePerYear;
  const cumulative = shape.makehamPerYear + Math.exp(lnLevel + b * age) * (Math.expm1(b) / b);
  const q = -Math.expm1(-cumulative);
  return age === 0 ? Math.max(q, shape.infantDeathProbability) : q;
}

/**
 * Life expectancy at birth of the period life table (deaths at mid-year). `deathProbabilities`,
 * when given, receives the table's death probabilities for ages 0…MAX_AGE, so the level solve's
 * last evaluation fills the life table without computing it again.
 */
export function lifeExpectancyAtBirth(lnLevel: number, shape: GompertzShape, deathProbabilities?: Float64Array): number {
  let alive = 1;
  let years = 0;
  for (let age = 0; age <= MAX_AGE; age++) {
    const q = deathProbability(lnLevel, shape, age);
    if (deathProbabilities !== undefined) deathProbabilities[age] = q;
    const deaths = alive * q;
    years += alive - deaths / 2;
    alive -= deaths;
  }
  return years;
}

/**
 * ln A such that life expectancy equals `targetYears` (Newton's method on a smooth, decreasing
 * function; from a nearby start it converges in 2-3 steps, to 1e-7 years). `deathProbabilities`
 * (MAX_AGE + 1 entries), when given, receives the death probabilities of the returned level.
 */
export function solveGompertzLevel(
  targetYears: number,
  shape: GompertzShape,
  startLnLevel = -10,
  deathProbabilities?: Float64Array,
): number {
  if (!(targetYears > 20 && targetYears < 105)) {
    throw new FordelingError("FD_ERR_BAD_VALUE", `life expectancy ${targetYears} is outside 20…105 years`, { field: "lifeExpectancy" });
  }
  let x = startLnLevel;
  for (let iteration = 0; iteration < 60; iteration++) {
    const e = lifeExpectancyAtBirth(x, shape, deathProbabilities) - targetYears;
    if (Math.abs(e) < 1e-7) return x;
    const h = 1e-4;
    const slope = (lifeExpectancyAtBirth(x + h, shape) - targetYears - e) / h;
    const step = slope < 0 ? e / slope : -1;
    x -= Math.max(-2, Math.min(2, step));
  }
  throw new FordelingError("FD_ERR_BAD_VALUE", `cannot fit Gompertz mortality to life expectancy ${targetYears}`, {
    field: "lifeExpectancy",
  });
}
