import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";

/**
 * The two-stage life-expectancy correction (docs/CAPACITY.md). With s the redistributed share:
 *
 *   stage 1, councils:        C'_c = (1 − s)·W_c + s·W · L_c / Σ L
 *   stage 2, municipalities:  M'_m = (1 − s)·C'_c · W_m / W_c + s·C'_c · L_m / L_c
 *
 * W = weight sums (Σ disease weight), L = lost life years = residents × max(0, reference − life
 * expectancy), with a council's life expectancy the resident-weighted mean of its
 * municipalities'. Stage 1 keeps the national total W; stage 2 keeps every council total C'_c.
 * Works on plain arrays so the projection can run it for every replication and year.
 */

export interface LifeExpectancyByMunicipality {
  /** Years per municipality index; islands without a published figure are imputed. */
  years: Float64Array;
  imputed: boolean[];
}

/**
 * Statistics Denmark suppresses life expectancy for the four smallest islands (Ærø, Fanø, Læsø,
 * Samsø). Assumption: they share the population-weighted (1 Jan 2026) mean of the other
 * municipalities in their council; the national mean if a council has no figure at all.
 */
export function imputeLifeExpectancy(geography: Geography): LifeExpectancyByMunicipality {
  const meanOf = (indices: readonly number[]): number | undefined => {
    let years = 0;
    let people = 0;
    for (const i of indices) {
      const m = geography.municipalities[i];
      if (m?.lifeExpectancyYears === undefined) continue;
      years += m.lifeExpectancyYears * m.population2026;
      people += m.population2026;
    }
    return people > 0 ? years / people : undefined;
  };
  const national = meanOf(geography.municipalities.map((m) => m.index));
  if (national === undefined) {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", "no municipality has a life expectancy; the correction needs at least one", {
      column: "life_expectancy_2015_2019",
    });
  }
  const years = new Float64Array(geography.municipalities.length);
  const imputed = geography.municipalities.map((m) => {
    if (m.lifeExpectancyYears !== undefined) {
      years[m.index] = m.lifeExpectancyYears;
      return false;
    }
    years[m.index] = meanOf(geography.councils[m.councilIndex]?.municipalityIndices ?? []) ?? national;
    return true;
  });
  return { years, imputed };
}

export interface CorrectionInput {
  geography: Geography;
  /** Per municipality index. */
  residents: ArrayLike<number>;
  /** Σ disease weight per municipality index, before correction. */
  weightSum: ArrayLike<number>;
  /** Per municipality index, e.g. `imputeLifeExpectancy(geography).years`. */
  lifeExpectancyYears: ArrayLike<number>;
  correction: WeightTable["lifeExpectancyCorrection"];
}

export interface CorrectedWeights {
  /** Corrected Σ weight per municipality index. */
  municipality: Float64Array;
  /** Corrected Σ weight per council index (= Σ of its municipalities). */
  council: Float64Array;
  /** Uncorrected Σ weight per council index. */
  councilUncorrected: Float64Array;
  municipalityLostLifeYears: Float64Array;
  councilLostLifeYears: Float64Array;
  /** Resident-weighted; the 1 Jan 2026 population weights a council without residents. */
  councilLifeExpectancyYears: Float64Array;
  /** Σ weight nationally: the same before and after. */
  national: number;
}

export function correctForLifeExpectancy(input: CorrectionInput): CorrectedWeights {
  const { geography, residents, weightSum, lifeExpectancyYears } = input;
  const { redistributedShare: s, referenceLifeExpectancyYears: reference } = input.correction;
  const lost = (people: number, years: number): number => people * Math.max(0, reference - years);
  const at = (values: ArrayLike<number>, i: number): number => values[i] ?? 0;

  const councilCount = geography.councils.length;
  const municipalityLost = new Float64Array(geography.municipalities.length);
  const councilLost = new Float64Array(councilCount);
  const councilUncorrected = new Float64Array(councilCount);
  const councilLife = new Float64Array(councilCount);
  let national = 0;
  for (const council of geography.councils) {
    let people = 0;
    let peopleYears = 0;
    let referencePeople = 0;
    let referenceYears = 0;
    for (const i of council.municipalityIndices) {
      const years = at(lifeExpectancyYears, i);
      municipalityLost[i] = lost(at(residents, i), years);
      councilUncorrected[council.index] = at(councilUncorrected, council.index) + at(weightSum, i);
      people += at(residents, i);
      peopleYears += at(residents, i) * years;
      const population = geography.municipalities[i]?.population2026 ?? 0;
      referencePeople += population;
      referenceYears += population * years;
    }
    councilLife[council.index] = people > 0 ? peopleYears / people : referencePeople > 0 ? referenceYears / referencePeople : reference;
    councilLost[council.index] = lost(people, at(councilLife, council.index));
    national += at(councilUncorrected, council.index);
  }

  const lostTotal = councilLost.reduce((sum, value) => sum + value, 0);
  const council = new Float64Array(councilCount);
  const municipality = new Float64Array(geography.municipalities.length);
  for (const c of geography.councils) {
    const own = at(councilUncorrected, c.index);
    // No lost life years anywhere (everyone at the reference): the correction changes nothing.
    const corrected = lostTotal > 0 ? (1 - s) * own + (s * national * at(councilLost, c.index)) / lostTotal : own;
    council[c.index] = corrected;
    const lostInCouncil = c.municipalityIndices.reduce((sum, i) => sum + at(municipalityLost, i), 0);
    for (const i of c.municipalityIndices) {
      // Fallbacks keep the council total whole: without weight the lost years carry both
      // parts, without lost years the weight does (an empty council has nothing to share).
      const weightShare =
        own > 0 ? at(weightSum, i) / own : lostInCouncil > 0 ? at(municipalityLost, i) / lostInCouncil : 1 / c.municipalityIndices.length;
      const lostShare = lostInCouncil > 0 ? at(municipalityLost, i) / lostInCouncil : weightShare;
      municipality[i] = corrected * ((1 - s) * weightShare + s * lostShare);
    }
  }
  return {
    municipality,
    council,
    councilUncorrected,
    municipalityLostLifeYears: municipalityLost,
    councilLostLifeYears: councilLost,
    councilLifeExpectancyYears: councilLife,
    national,
  };
}
