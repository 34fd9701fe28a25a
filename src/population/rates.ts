import type { Geography } from "../geo/geography.js";
import { POPULATION_PARAMETERS, valueAtAge, type AgeBands } from "./parameters.js";
import { AGE_COUNT, CELL_COUNT, type MunicipalMarginals } from "./referenceData.js";

/**
 * Probability tables the generator draws from, computed once per run from expected (fitted)
 * cell counts, so they do not depend on the seed. Flag probabilities use one form:
 *
 *   p[m][sex][age] = min(cap, c × relativeRisk(age) × municipalMultiplier[m])
 *
 * with c solved (bisection) so that the expected national count meets the national target.
 * Age structure and the municipal multiplier together give each municipality its own rate.
 */
export interface CharacteristicTables {
  /** By cell × 4 statuses (national, from data/national_civil_age_sex_2025q4.csv). */
  civilCumulative: Float64Array;
  /** By municipality × age × 4 levels. */
  educationCumulative: Float64Array;
  /** By municipality × cell. */
  menapt: Float64Array;
  outsideLabourMarket: Float64Array;
  chronicAny: Float64Array;
  psychiatric: Float64Array;
  /** By age: mean of the Poisson number of diseases beyond the first. */
  chronicExtraMean: Float64Array;
}

const P = POPULATION_PARAMETERS;

export function makeCharacteristicTables(
  geography: Geography,
  marginals: MunicipalMarginals,
  fittedCells: Float64Array,
  nationalTotal2026: number,
  civilCumulative: Float64Array,
): CharacteristicTables {
  const n = geography.municipalities.length;
  const residents = fittedCells.reduce((s, v) => s + v, 0);
  const perResident = residents / nationalTotal2026;
  const populations = Float64Array.from(geography.municipalities, (m) => m.population2026);
  const relative = (values: Float64Array, exponent: number): Float64Array => {
    const mean = weightedMean(values, populations);
    return values.map((v) => Math.pow(v / mean, exponent));
  };
  const incomeGradient = (elasticity: number): Float64Array => relative(marginals.disposableIncome, elasticity);
  const olm = P.outsideLabourMarket;
  const unemployment = relative(marginals.unemploymentRate, olm.unemploymentElasticity.value);
  const olmMultiplier = incomeGradient(olm.incomeElasticity.value).map((v, m) => v * unemployment[m]!);
  const [olmFrom, olmTo] = olm.ageRange.value;
  const lifeExpectancyFactor = lifeExpectancyFactors(geography);

  return {
    civilCumulative,
    educationCumulative: educationTables(marginals, n),
    menapt: flagTable(
      fittedCells,
      P.menapt.relativeRiskByAge.value,
      relative(marginals.immigrantShareAllOrigins, 1),
      P.menapt.nationalShare.value * residents,
    ),
    outsideLabourMarket: flagTable(
      fittedCells,
      P.outsideLabourMarket.relativeRiskByAge.value,
      olmMultiplier,
      olm.nationalCount.value * perResident,
      (age) => age >= olmFrom && age <= olmTo,
    ),
    chronicAny: flagTable(
      fittedCells,
      P.chronicDisease.relativeRiskByAge.value,
      incomeGradient(P.chronicDisease.incomeElasticity.value).map((v, m) => v * lifeExpectancyFactor[m]!),
      P.chronicDisease.nationalCountWithAny.value * perResident,
    ),
    psychiatric: flagTable(
      fittedCells,
      P.psychiatric.relativeRiskByAge.value,
      incomeGradient(P.psychiatric.incomeElasticity.value),
      P.psychiatric.nationalShare.value * residents,
    ),
    chronicExtraMean: Float64Array.from({ length: AGE_COUNT }, (_, age) => valueAtAge(P.chronicDisease.extraDiseasesMeanByAge.value, age)),
  };
}

/** exp(−gradient × (LE − mean LE)); 1 where the life expectancy is not published. */
function lifeExpectancyFactors(geography: Geography): Float64Array {
  const known = geography.municipalities.filter((m) => m.lifeExpectancyYears !== undefined);
  const mean = known.reduce((s, m) => s + m.lifeExpectancyYears! * m.population2026, 0) / known.reduce((s, m) => s + m.population2026, 0);
  const gradient = P.chronicDisease.lifeExpectancyGradient.value;
  return Float64Array.from(geography.municipalities, (m) =>
    m.lifeExpectancyYears === undefined ? 1 : Math.exp(-gradient * (m.lifeExpectancyYears - mean)),
  );
}

function weightedMean(values: Float64Array, weights: Float64Array): number {
  let sum = 0;
  let weight = 0;
  values.forEach((v, i) => {
    sum += v * weights[i]!;
    weight += weights[i]!;
  });
  return sum / weight;
}

function educationTables(marginals: MunicipalMarginals, municipalityCount: number): Float64Array {
  const table = new Float64Array(municipalityCount * AGE_COUNT * 4);
  const odds = P.education.levelOddsByAge.value;
  const primaryOfNonHigher = P.education.primaryShareOfNonHigher.value;
  for (let m = 0; m < municipalityCount; m++) {
    const longHigher = marginals.longHigherShare[m]!;
    const anyHigher = Math.max(marginals.anyHigherShare[m]!, longHigher);
    const base = [primaryOfNonHigher * (1 - anyHigher), (1 - primaryOfNonHigher) * (1 - anyHigher), anyHigher - longHigher, longHigher];
    for (let age = 0; age < AGE_COUNT; age++) {
      let band = 0;
      odds.lowerBounds.forEach((bound, i) => (band = age >= bound ? i : band));
      const multipliers = odds.values[band]!;
      const weights = base.map((p, level) => p * multipliers[level]!);
      const total = weights.reduce((s, w) => s + w, 0);
      let cumulative = 0;
      for (let level = 0; level < 4; level++) {
        cumulative += weights[level]! / total;
        table[(m * AGE_COUNT + age) * 4 + level] = level === 3 ? 1 : cumulative;
      }
    }
  }
  return table;
}

/** p = min(cap, c × risk) per municipality × cell, with c meeting the expected national count. */
export function flagTable(
  fittedCells: Float64Array,
  riskByAge: AgeBands,
  municipalMultiplier: Float64Array,
  targetCount: number,
  eligible: (ageYears: number) => boolean = () => true,
): Float64Array {
  const cap = P.probabilityCap.value;
  const risk = new Float64Array(fittedCells.length);
  for (let i = 0; i < fittedCells.length; i++) {
    const age = (i % CELL_COUNT) % AGE_COUNT;
    risk[i] = eligible(age) ? valueAtAge(riskByAge, age) * municipalMultiplier[Math.floor(i / CELL_COUNT)]! : 0;
  }
  const expected = (c: number): number => {
    let sum = 0;
    for (let i = 0; i < risk.length; i++) sum += fittedCells[i]! * Math.min(cap, c * risk[i]!);
    return sum;
  };
  let low = 0;
  let high = 1;
  while (expected(high) < targetCount && high < 1e9) high *= 2;
  // 60 halvings take the bracket below 1e-15 relative: c is exact to float precision.
  for (let k = 0; k < 60; k++) {
    const mid = (low + high) / 2;
    if (expected(mid) < targetCount) low = mid;
    else high = mid;
  }
  const c = (low + high) / 2;
  return risk.map((r) => Math.min(cap, c * r));
}
