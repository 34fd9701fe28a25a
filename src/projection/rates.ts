import { imputeLifeExpectancy } from "../capacity/lifeExpectancy.js";
import type { Geography } from "../geo/geography.js";
import type { ParameterValues } from "../model/parameters.js";
import { solveGompertzLevel, type GompertzShape } from "./mortality.js";
import type { PopulationProfile } from "./profile.js";
import { CELLS, STEP_AGES, STEP_MUNICIPALITIES } from "../kernel/step/layout.js";

/**
 * Yearly event probabilities of residents, calibrated for one replication's parameter draw.
 * Arrays by municipality use (municipality × 2 + sex) × 111 + age; national ones (sex × 111 + age).
 * docs/PROJECTION.md states each calibration rule.
 */
export interface ResidentRates {
  death: Float64Array;
  moveOut: Float64Array;
  moveIn: Float64Array;
  birth: Float64Array;
  /** × 8 by current chronic count: one more disease. */
  chronic: Float64Array;
  /** × 4 by civil status: never→married, married→divorced, divorced→married, widowed→married. */
  civilA: Float64Array;
  /** × 4 by civil status: married→widowed. */
  civilB: Float64Array;
  /** × 2 by current flag: toggle of outside-labour-market. */
  labour: Float64Array;
  /** The mortality level ln A by municipality × 2 + sex (a warm start for the next draw). */
  lnLevel: Float64Array;
}

/** National life expectancy 2015-2019 (data/README.md), the basis of the national mortality curve. */
export const NATIONAL_LIFE_EXPECTANCY_2015_2019 = 80.9;

/**
 * A probability never exceeds this. Assumption: competing events within one year are treated as
 * exclusive (an O(p²) approximation, docs/PROJECTION.md), which holds only while each is small.
 */
const MAX_EVENT_PROBABILITY = 0.5;
/** Shares are pooled over ages a − 2 … a + 2 (docs/PROJECTION.md: "pooled over 5 ages"). Assumption. */
const POOLED_AGES_EACH_SIDE = 2;
/** The minimum age of marriage in Denmark (the Marriage Act, ægteskabsloven): no civil-status change below it. */
const MARRIAGE_MIN_AGE_YEARS = 18;
/** The mortality solve's starting level ln A when no earlier draw gives one: numerical, not a model figure. */
const DEFAULT_LN_LEVEL = -10;

/** Migration by age relative to the mean: highest at the peak age; children move with their parents. */
function migrationProfile(age: number, peak: number, p: ParameterValues): number {
  const floor = p.num("migration.profileFloor");
  const height = p.num("migration.profilePeakHeight");
  const width = p.num("migration.profilePeakWidthYears");
  const childExtra = age < p.num("migration.childAgeBelowYears") ? p.num("migration.childExtra") : 0;
  return floor + height * Math.exp(-(((age - peak) / width) ** 2)) + childExtra;
}

/** A 0…1 ramp that is 1 inside [fullFrom, fullTo] and 0 outside (from, to). */
function ramp(age: number, from: number, fullFrom: number, fullTo: number, to: number): number {
  if (age <= from || age >= to) return 0;
  if (age < fullFrom) return (age - from) / (fullFrom - from);
  if (age > fullTo) return (to - age) / (to - fullTo);
  return 1;
}

/** Share with property k at age a, pooled over neighbouring ages so small populations are not noise. */
function pooledShare(counts: Float64Array, width: number, sex: number, age: number, pick: (k: number) => boolean): number {
  let hit = 0;
  let all = 0;
  for (let a = Math.max(0, age - POOLED_AGES_EACH_SIDE); a <= Math.min(STEP_AGES - 1, age + POOLED_AGES_EACH_SIDE); a++) {
    for (let k = 0; k < width; k++) {
      const n = counts[(sex * STEP_AGES + a) * width + k] ?? 0;
      all += n;
      if (pick(k)) hit += n;
    }
  }
  return all > 0 ? hit / all : 0;
}

/** What the calibration takes from the base population alone: computed once per profile. */
interface ProfileShares {
  /** max(0, chronic onset) by (sex × 111 + age) × 8 + count, before `chronic.onsetFactor`. */
  chronicOnset: Float64Array;
  /** Pooled share outside the labour market at age and at age + 1, by sex × 111 + age. */
  labourOutNow: Float64Array;
  labourOutNext: Float64Array;
}

const sharesByProfile = new WeakMap<PopulationProfile, ProfileShares>();

function profileShares(profile: PopulationProfile): ProfileShares {
  const cached = sharesByProfile.get(profile);
  if (cached !== undefined) return cached;
  const shares: ProfileShares = {
    chronicOnset: new Float64Array(CELLS * 8),
    labourOutNow: new Float64Array(CELLS),
    labourOutNext: new Float64Array(CELLS),
  };
  for (let sex = 0; sex < 2; sex++) {
    for (let age = 0; age < STEP_AGES; age++) {
      const cell = sex * STEP_AGES + age;
      const next = Math.min(STEP_AGES - 1, age + 1);
      for (let k = 0; k < 7; k++) {
        const atLeastNow = pooledShare(profile.chronic, 8, sex, age, (j) => j > k);
        const atLeastNext = pooledShare(profile.chronic, 8, sex, next, (j) => j > k);
        const exactlyNow = pooledShare(profile.chronic, 8, sex, age, (j) => j === k);
        const onset = exactlyNow > 0 ? (atLeastNext - atLeastNow) / exactlyNow : 0;
        shares.chronicOnset[cell * 8 + k] = Math.max(0, onset);
      }
      shares.labourOutNow[cell] = pooledShare(profile.labour, 2, sex, age, (k) => k === 1);
      shares.labourOutNext[cell] = pooledShare(profile.labour, 2, sex, next, (k) => k === 1);
    }
  }
  sharesByProfile.set(profile, shares);
  return shares;
}

/** The Gompertz–Makeham shape and the life-expectancy targets every mortality solve shares. */
interface MortalityInputs {
  shape: GompertzShape;
  shift: number;
  halfGap: number;
}

function mortalityInputs(p: ParameterValues): MortalityInputs {
  return {
    shape: {
      slopePerYear: p.num("mortality.gompertzSlopePerYear"),
      makehamPerYear: p.num("mortality.makehamHazardPerYear"),
      infantDeathProbability: p.num("mortality.infantDeathProbability"),
    },
    shift: p.num("mortality.lifeExpectancyShiftYears"),
    halfGap: p.num("mortality.sexGapYears") / 2,
  };
}

/** Life expectancy at birth by sex: the base figure shifted to today ± half the sex gap. */
function lifeExpectancyTarget(base: number, sex: number, m: MortalityInputs): number {
  return base + m.shift + (sex === 1 ? m.halfGap : -m.halfGap);
}

function allocateRates(): ResidentRates {
  const size = STEP_MUNICIPALITIES * CELLS;
  return {
    death: new Float64Array(size),
    moveOut: new Float64Array(size),
    moveIn: new Float64Array(size),
    birth: new Float64Array(size),
    chronic: new Float64Array(CELLS * 8),
    civilA: new Float64Array(CELLS * 4),
    civilB: new Float64Array(CELLS * 4),
    labour: new Float64Array(CELLS * 2),
    lnLevel: new Float64Array(STEP_MUNICIPALITIES * 2),
  };
}

/**
 * Mortality per municipality and sex, calibrated to life expectancy. The solve leaves the death
 * probabilities of its level (deathProbability's, bit for bit); municipalities with the same
 * target and warm start (the published figures have one decimal: 38 distinct of 98) share one
 * solve, so its result is the same as solving each.
 */
function calibrateMortality(rates: ResidentRates, geography: Geography, mortality: MortalityInputs, warmStart?: Float64Array): void {
  // Islands without a published figure get their council's mean (src/capacity's rule).
  const lifeExpectancy = imputeLifeExpectancy(geography).years;
  const solved = new Map<number, { start: number; lnLevel: number; at: number }>();
  for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
    for (let sex = 0; sex < 2; sex++) {
      const target = lifeExpectancyTarget(lifeExpectancy[m] ?? NATIONAL_LIFE_EXPECTANCY_2015_2019, sex, mortality);
      const start = warmStart?.[m * 2 + sex] ?? DEFAULT_LN_LEVEL;
      const at = (m * 2 + sex) * STEP_AGES;
      const same = solved.get(target);
      if (same !== undefined && same.start === start) {
        rates.lnLevel[m * 2 + sex] = same.lnLevel;
        rates.death.copyWithin(at, same.at, same.at + STEP_AGES);
        continue;
      }
      const lnLevel = solveGompertzLevel(target, mortality.shape, start, rates.death.subarray(at, at + STEP_AGES));
      rates.lnLevel[m * 2 + sex] = lnLevel;
      solved.set(target, { start, lnLevel, at });
    }
  }
}

/** Residents of municipality m by sex and age in the base population. */
function cellCount(profile: PopulationProfile, m: number, sex: number, age: number): number {
  return profile.cells[(m * 2 + sex) * STEP_AGES + age] ?? 0;
}

/**
 * Births: a normal-shaped fertility profile over the fertile ages, levelled per municipality so
 * expected births equal the 0-year-olds of the base population.
 */
function calibrateBirths(rates: ResidentRates, profile: PopulationProfile, p: ParameterValues): void {
  const meanAge = p.num("births.meanAgeOfMotherYears");
  const sdAge = p.num("births.sdAgeOfMotherYears");
  const fromAge = p.num("births.fertileFromAgeYears");
  const toAge = p.num("births.fertileToAgeYears");
  const fertility = new Float64Array(STEP_AGES);
  let fertilitySum = 0;
  for (let age = fromAge; age <= toAge; age++) {
    fertility[age] = Math.exp(-0.5 * ((age - meanAge) / sdAge) ** 2);
    fertilitySum += fertility[age]!;
  }
  for (let age = fromAge; age <= toAge; age++) fertility[age]! /= fertilitySum;
  const levelFactor = p.num("births.levelFactor");
  for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
    let exposure = 0;
    for (let age = fromAge; age <= toAge; age++) exposure += cellCount(profile, m, 1, age) * fertility[age]!;
    const infants = cellCount(profile, m, 0, 0) + cellCount(profile, m, 1, 0);
    const level = exposure > 0 ? (infants / exposure) * levelFactor : 0;
    for (let age = fromAge; age <= toAge; age++) {
      rates.birth[(m * 2 + 1) * STEP_AGES + age] = Math.min(MAX_EVENT_PROBABILITY, level * fertility[age]!);
    }
  }
}

/**
 * Migration: a gross flow out and in (by an age profile), plus the net flow that makes each
 * municipality's expected change equal its observed change 2025→2026. Needs births and deaths.
 */
function calibrateMigration(rates: ResidentRates, profile: PopulationProfile, geography: Geography, p: ParameterValues): void {
  const peak = p.num("migration.peakAgeYears");
  const gross = p.num("migration.grossOutRate");
  const netFactor = p.num("migration.netFactor");
  // The profile by age, once (it is called per municipality, sex and age below).
  const profileByAge = Float64Array.from({ length: STEP_AGES }, (_, age) => migrationProfile(age, peak, p));
  let profileMass = 0;
  let residents = 0;
  for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
    for (let sex = 0; sex < 2; sex++) {
      for (let age = 0; age < STEP_AGES; age++) {
        profileMass += cellCount(profile, m, sex, age) * (profileByAge[age] ?? 0);
        residents += cellCount(profile, m, sex, age);
      }
    }
  }
  const meanProfile = residents > 0 ? profileMass / residents : 1;
  for (const muni of geography.municipalities) {
    const m = muni.index;
    let people = 0,
      natural = 0,
      exposure = 0;
    for (let sex = 0; sex < 2; sex++) {
      for (let age = 0; age < STEP_AGES; age++) {
        const n = cellCount(profile, m, sex, age);
        const cell = (m * 2 + sex) * STEP_AGES + age;
        people += n;
        natural += n * ((rates.birth[cell] ?? 0) - (rates.death[cell] ?? 0));
        exposure += (n * (profileByAge[age] ?? 0)) / meanProfile;
      }
    }
    const observedGrowth = muni.population2025 > 0 ? (muni.population2026 - muni.population2025) / muni.population2025 : 0;
    const netPerExposure = exposure > 0 ? ((observedGrowth * people - natural) / exposure) * netFactor : 0;
    for (let sex = 0; sex < 2; sex++) {
      for (let age = 0; age < STEP_AGES; age++) {
        const cell = (m * 2 + sex) * STEP_AGES + age;
        const shape = (profileByAge[age] ?? 0) / meanProfile;
        rates.moveOut[cell] = Math.min(MAX_EVENT_PROBABILITY, (gross + Math.max(0, -netPerExposure)) * shape);
        rates.moveIn[cell] = Math.min(MAX_EVENT_PROBABILITY, (gross + Math.max(0, netPerExposure)) * shape);
      }
    }
  }
}

/** Chronic onset: the cohort's count distribution next year follows the cross-section at age + 1. */
function calibrateChronic(rates: ResidentRates, shares: ProfileShares, p: ParameterValues): void {
  const onsetFactor = p.num("chronic.onsetFactor");
  for (let cell = 0; cell < CELLS; cell++) {
    for (let k = 0; k < 7; k++) {
      rates.chronic[cell * 8 + k] = Math.min(MAX_EVENT_PROBABILITY, (shares.chronicOnset[cell * 8 + k] ?? 0) * onsetFactor);
    }
  }
}

/**
 * Civil status by sex and age: first marriage, divorce and remarriage by age ramps; widowhood is
 * the national death probability of a spouse of the other sex `civil.spouseAgeGapYears` apart.
 */
function calibrateCivilStatus(rates: ResidentRates, p: ParameterValues, mortality: MortalityInputs, lnLevelStart: Float64Array): void {
  // The national life tables by sex (the solve fills them; deathProbability's values).
  const nationalDeaths = [new Float64Array(STEP_AGES), new Float64Array(STEP_AGES)] as const;
  for (let sex = 0; sex < 2; sex++) {
    const target = lifeExpectancyTarget(NATIONAL_LIFE_EXPECTANCY_2015_2019, sex, mortality);
    solveGompertzLevel(target, mortality.shape, lnLevelStart[sex] ?? DEFAULT_LN_LEVEL, nationalDeaths[sex]);
  }
  const adult = MARRIAGE_MIN_AGE_YEARS;
  const marriage = p.num("civil.marriageRatePeak");
  const marriageRamp = [
    adult,
    p.num("civil.marriagePeakFromAgeYears"),
    p.num("civil.marriagePeakToAgeYears"),
    p.num("civil.marriageToAgeYears"),
  ] as const;
  const divorce = p.num("civil.divorceRate");
  const divorceRamp = [adult - 1, adult, p.num("civil.divorceFullBelowAgeYears"), p.num("civil.divorceToAgeYears")] as const;
  const remarriage = p.num("civil.remarriageRate");
  const remarriageRamp = [adult - 1, adult, p.num("civil.remarriageFullBelowAgeYears"), p.num("civil.remarriageToAgeYears")] as const;
  const widowedShare = p.num("civil.widowedRemarriageShare");
  const spouseGap = p.num("civil.spouseAgeGapYears");
  for (let sex = 0; sex < 2; sex++) {
    for (let age = 0; age < STEP_AGES; age++) {
      const cell = sex * STEP_AGES + age;
      const spouseAge = Math.max(0, Math.min(STEP_AGES - 1, Math.round(sex === 1 ? age + spouseGap : age - spouseGap)));
      rates.civilA[cell * 4 + 0] = age >= adult ? marriage * ramp(age, ...marriageRamp) : 0;
      rates.civilA[cell * 4 + 1] = divorce * ramp(age, ...divorceRamp);
      rates.civilA[cell * 4 + 2] = remarriage * ramp(age, ...remarriageRamp);
      rates.civilA[cell * 4 + 3] = remarriage * widowedShare * ramp(age, ...remarriageRamp);
      rates.civilB[cell * 4 + 1] = age >= adult ? Math.min(MAX_EVENT_PROBABILITY, nationalDeaths[1 - sex]?.[spouseAge] ?? 1) : 0;
    }
  }
}

/** Labour market: returns at `labour.returnRate`, exits calibrated so the cohort follows the cross-section. */
function calibrateLabour(rates: ResidentRates, shares: ProfileShares, p: ParameterValues): void {
  const returnRate = p.num("labour.returnRate");
  for (let cell = 0; cell < CELLS; cell++) {
    const outNow = shares.labourOutNow[cell] ?? 0;
    const outNext = shares.labourOutNext[cell] ?? 0;
    let back = outNow > 0 ? returnRate : 0;
    let exit = outNow < 1 ? (outNext - outNow * (1 - back)) / (1 - outNow) : 0;
    if (exit < 0) {
      exit = 0;
      back = outNow > 0 ? Math.min(1, 1 - outNext / outNow) : 0;
    }
    rates.labour[cell * 2 + 0] = Math.min(MAX_EVENT_PROBABILITY, exit);
    rates.labour[cell * 2 + 1] = Math.min(1, back);
  }
}

/**
 * One replication's rates, phase by phase (docs/PROJECTION.md states each rule): mortality,
 * births, migration (which balances the two), then the national changes of state.
 */
export function calibrateResidentRates(
  profile: PopulationProfile,
  geography: Geography,
  p: ParameterValues,
  warmStart?: Float64Array,
): ResidentRates {
  const rates = allocateRates();
  const mortality = mortalityInputs(p);
  calibrateMortality(rates, geography, mortality, warmStart);
  calibrateBirths(rates, profile, p);
  calibrateMigration(rates, profile, geography, p);
  const shares = profileShares(profile);
  calibrateChronic(rates, shares, p);
  calibrateCivilStatus(rates, p, mortality, rates.lnLevel);
  calibrateLabour(rates, shares, p);
  return rates;
}
