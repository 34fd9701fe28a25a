import { computeCapacityReport, type CapacityReportInput } from "./report.js";

/**
 * Calibrating the life-expectancy correction's redistributed share (docs/CAPACITY.md,
 * "Calibrating the redistributed share"). The official share is not public; the ministry's
 * description publishes what the corrected model gives, and these are the targets:
 */
export const SHARE_TARGETS = {
  /** Municipal average (corrected) weights span roughly 0.84 … 1.45. */
  lowestMunicipalAverageWeight: 0.84,
  highestMunicipalAverageWeight: 1.45,
  /** About 80 % of clinics have a minimum list between 1,150 and 2,000 per capacity. */
  shareOfClinicsInsideBand: 0.8,
  /** Aabenraa's average minimum list: 1,450 per capacity. */
  aabenraaMinimumPatientsPerCapacity: 1450,
} as const;

const AABENRAA_CODE = 580;

export interface ShareFit {
  share: number;
  lowestMunicipalAverageWeight: number;
  lowestMunicipality: string;
  highestMunicipalAverageWeight: number;
  highestMunicipality: string;
  /** Municipal minimum lists per capacity (target / average weight): the published 1,100 … 1,900. */
  lowestMunicipalMinimumList: number;
  highestMunicipalMinimumList: number;
  shareOfClinicsInsideBand: number;
  aabenraaMinimumPatientsPerCapacity: number;
  /** Σ of squared relative misses over the four targets; 0 = all met. */
  loss: number;
}

/** The corrected figures the targets speak of, under one share, on one weighing. */
export function evaluateShare(input: CapacityReportInput, share: number): ShareFit {
  const correction = { ...input.weightTable.lifeExpectancyCorrection, redistributedShare: share };
  const weightTable = { ...input.weightTable, lifeExpectancyCorrection: correction };
  const report = computeCapacityReport({ ...input, weightTable });
  const rows = report.municipalities.filter((m) => m.averageWeight !== null);
  const byWeight = [...rows].sort((a, b) => (a.averageWeight ?? 0) - (b.averageWeight ?? 0));
  const lowest = byWeight[0];
  const highest = byWeight[byWeight.length - 1];
  const lists = rows.map((m) => m.minimumPatientsPerCapacity ?? 0);
  const aabenraa = report.municipalities.find((m) => m.municipalityCode === AABENRAA_CODE)?.minimumPatientsPerCapacity ?? Number.NaN;
  const fit = {
    share,
    lowestMunicipalAverageWeight: lowest?.averageWeight ?? Number.NaN,
    lowestMunicipality: lowest?.municipalityName ?? "",
    highestMunicipalAverageWeight: highest?.averageWeight ?? Number.NaN,
    highestMunicipality: highest?.municipalityName ?? "",
    lowestMunicipalMinimumList: Math.min(...lists),
    highestMunicipalMinimumList: Math.max(...lists),
    shareOfClinicsInsideBand: report.national.shareInsideBand ?? Number.NaN,
    aabenraaMinimumPatientsPerCapacity: aabenraa,
  };
  // A figure the data cannot give (no clinic with patients, no Aabenraa) counts as a full miss.
  const miss = (value: number, target: number): number => (Number.isFinite(value) ? ((value - target) / target) ** 2 : 1);
  const t = SHARE_TARGETS;
  return {
    ...fit,
    loss:
      miss(fit.lowestMunicipalAverageWeight, t.lowestMunicipalAverageWeight) +
      miss(fit.highestMunicipalAverageWeight, t.highestMunicipalAverageWeight) +
      miss(fit.shareOfClinicsInsideBand, t.shareOfClinicsInsideBand) +
      miss(fit.aabenraaMinimumPatientsPerCapacity, t.aabenraaMinimumPatientsPerCapacity),
  };
}

/**
 * The procedure: evaluate every share on a grid (default 0 … 0.5 in steps of 0.005) and keep
 * the positive share with the smallest loss among the loss's local minima (a grid point no
 * worse than both neighbours); without one, the smallest loss overall. Share 0 is left out on
 * purpose: it switches off a correction the law prescribes, and a weight table tuned without
 * the correction (as the illustrative one was) meets the targets at 0 by construction. A grid,
 * not an optimiser: the loss has kinks where the lowest or highest municipality changes, and
 * 101 reports on one weighing take about a second.
 */
export function calibrateShare(
  input: CapacityReportInput,
  grid: readonly number[] = defaultShareGrid(),
): { best: ShareFit; fits: ShareFit[] } {
  const fits = grid.map((share) => evaluateShare(input, share));
  const lossAt = (i: number): number => fits[i]?.loss ?? Infinity;
  const isLocalMinimum = (i: number): boolean => (fits[i]?.share ?? 0) > 0 && lossAt(i) <= lossAt(i - 1) && lossAt(i) <= lossAt(i + 1);
  const candidates = fits.filter((_, i) => isLocalMinimum(i));
  const pool = candidates.length > 0 ? candidates : fits;
  const best = pool.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { best, fits };
}

export function defaultShareGrid(): number[] {
  return Array.from({ length: 101 }, (_, i) => Math.round(i * 5) / 1000);
}
