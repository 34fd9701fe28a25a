/**
 * GPs' exits by age: a logistic hazard h(a) = ceiling / (1 + e^(−(a − mid) / spread)), the
 * probability that a GP aged a (at the start of the year) leaves practice within the year, and
 * certain exit at 80 (the oldest age at sale, data/README.md). The ceiling lets the hazard stay
 * moderate past the mid age: the register has 28 % aged 65+ while only ≈ 6 % leave a year, which
 * a hazard rising to 1 cannot reconcile with a mean retirement age near 66. Its three numbers
 * are calibrated once per run (at the central parameters) to three published facts in
 * data/README.md, by least squares over a grid:
 *   - exits per GP in the first year (203 of about 3,400 GPs sold their practice in 2022–23);
 *   - the share of GPs aged 65+ in 2030 (the GPs' organisation projected 43 %), projecting the
 *     register's ages with the hazard and the expected entrants;
 *   - the mean retirement age (about 66) of a GP who practises from the entry age on.
 * The three need not agree exactly for a given register; the fit and its error go to the
 * manifest and docs/PROJECTION.md.
 */
export interface RetirementHazard {
  midAgeYears: number;
  spreadYears: number;
  ceiling: number;
}

export interface RetirementTargets {
  exitsPerGp: number;
  share65PlusIn2030: number;
  meanRetirementAgeYears: number;
  /** Years from the register's date (1 Jan 2026) to 2030. */
  yearsTo2030: number;
  /** Expected entrants per year (all of the register's population) and their age. */
  entrantsPerYear: number;
  entryAgeYears: number;
}

export interface RetirementFit extends RetirementHazard {
  exitsPerGp: number;
  share65PlusIn2030: number;
  meanRetirementAgeYears: number;
}

const MAX_AGE = 100;
export const CERTAIN_EXIT_AGE_YEARS = 80;

export function exitProbability(ageYears: number, h: RetirementHazard): number {
  if (ageYears >= CERTAIN_EXIT_AGE_YEARS) return 1;
  return h.ceiling / (1 + Math.exp(-(ageYears - h.midAgeYears) / h.spreadYears));
}

/** Mean age at exit of a GP practising from `entryAge` on (exits at mid-year of the age they leave in). */
export function meanRetirementAge(h: RetirementHazard, entryAge: number): number {
  let staying = 1;
  let sum = 0;
  for (let a = entryAge; a <= MAX_AGE; a++) {
    const leave = staying * exitProbability(a, h);
    sum += leave * (a + 0.5);
    staying -= leave;
  }
  return sum;
}

/** The expected outcome of a hazard on the register's ages: first-year exits per GP and the 65+ share after `years`. */
export function projectAges(
  ages: readonly number[],
  h: RetirementHazard,
  t: RetirementTargets,
): { exitsPerGp: number; share65Plus: number } {
  let count = new Float64Array(MAX_AGE + 1);
  for (const a of ages) count[Math.min(MAX_AGE, Math.max(0, Math.round(a)))]! += 1;
  let firstExits = 0;
  for (let year = 0; year < t.yearsTo2030; year++) {
    const next = new Float64Array(MAX_AGE + 1);
    let exits = 0;
    count.forEach((n, a) => {
      const leave = n * exitProbability(a, h);
      exits += leave;
      if (a < MAX_AGE) next[a + 1]! += n - leave;
    });
    if (year === 0) firstExits = exits;
    next[Math.min(MAX_AGE, t.entryAgeYears)]! += t.entrantsPerYear;
    count = next;
  }
  const total = count.reduce((s, n) => s + n, 0);
  const old = count.slice(65).reduce((s, n) => s + n, 0);
  return { exitsPerGp: ages.length > 0 ? firstExits / ages.length : 0, share65Plus: total > 0 ? old / total : 0 };
}

/**
 * The grid point (mid 55…75 by 0.5, spread 0.5…6 by 0.5, ceiling 0.05…1 by 0.05) closest to the
 * three targets (squared errors in units of each fact's precision).
 */
export function calibrateRetirement(ages: readonly number[], t: RetirementTargets): RetirementFit {
  let best: RetirementFit | undefined;
  let bestLoss = Infinity;
  for (let mid = 55; mid <= 75; mid += 0.5) {
    for (let spread = 0.5; spread <= 6; spread += 0.5)
      for (let c = 1; c <= 20; c++) {
        const h = { midAgeYears: mid, spreadYears: spread, ceiling: c / 20 };
        const { exitsPerGp, share65Plus } = projectAges(ages, h, t);
        const mean = meanRetirementAge(h, t.entryAgeYears);
        // Errors in units of what each fact's precision allows: 10 % of the exits, 5 points of the share, 1 year of age.
        const loss =
          ((exitsPerGp - t.exitsPerGp) / (0.1 * t.exitsPerGp)) ** 2 +
          ((share65Plus - t.share65PlusIn2030) / 0.05) ** 2 +
          (mean - t.meanRetirementAgeYears) ** 2;
        if (loss < bestLoss) {
          bestLoss = loss;
          best = { ...h, exitsPerGp, share65PlusIn2030: share65Plus, meanRetirementAgeYears: mean };
        }
      }
  }
  return best!;
}
