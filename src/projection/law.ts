import { correctForLifeExpectancy, imputeLifeExpectancy } from "../capacity/lifeExpectancy.js";
import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";

/**
 * The law's need arithmetic for one projected year, on municipality sums: need = corrected
 * Σ weight / target, with src/capacity's two-stage life-expectancy correction (the same
 * functions `weigh` uses, so a projection's year 0 equals the capacity report). The ceiling a
 * year's decisions use is the need of an earlier year (src/capacity/ceilings.ts).
 */
export interface AreaNeed {
  municipality: Float64Array;
  council: Float64Array;
  national: number;
  /**
   * Corrected / uncorrected Σ weight per municipality (1 without weight): the factor every
   * resident's weight takes, used for clinics' corrected average weights and minimum lists.
   */
  correctionFactor: Float64Array;
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
    correctionFactor: corrected.municipality.map((w, i) => ((weight[i] ?? 0) > 0 ? w / (weight[i] ?? 1) : 1)),
  };
}
