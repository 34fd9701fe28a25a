import { correctForLifeExpectancy, imputeLifeExpectancy } from "../capacity/lifeExpectancy.js";
import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";

/**
 * The law's need arithmetic for one projected year, on municipality sums: need = corrected
 * Σ weight / target, with src/capacity's two-stage life-expectancy correction (the same
 * functions `weigh` uses, so a projection's year 0 equals the capacity report).
 */
export interface AreaNeed {
  municipality: Float64Array;
  council: Float64Array;
  national: number;
}

export interface NeedContext {
  geography: Geography;
  lifeExpectancyYears: Float64Array;
  correction: WeightTable["lifeExpectancyCorrection"];
}

export function makeNeedContext(geography: Geography, weightTable: WeightTable): NeedContext {
  return { geography, lifeExpectancyYears: imputeLifeExpectancy(geography).years, correction: weightTable.lifeExpectancyCorrection };
}

export function needByArea(ctx: NeedContext, residents: Float64Array, weight: Float64Array, target: number): AreaNeed {
  const corrected = correctForLifeExpectancy({
    geography: ctx.geography,
    residents,
    weightSum: weight,
    lifeExpectancyYears: ctx.lifeExpectancyYears,
    correction: ctx.correction,
  });
  return {
    municipality: corrected.municipality.map((w) => w / target),
    council: corrected.council.map((w) => w / target),
    national: corrected.national / target,
  };
}
