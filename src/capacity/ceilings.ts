import { toIsoDate } from "./rules.js";

/**
 * Which ceiling of allowed capacities is in force on a date (docs/CAPACITY.md, "Ceilings").
 *
 * The ordinance fixes each health council's allowed capacities twice: at the end of 2025 from
 * the population then, and at the end of 2026 from a population projected forward to that
 * date. After 2026 the law names no date; the engine recomputes the ceiling every 31 December
 * from the population of that day (**assumption**: annual recomputation). A ceiling stays in
 * force until the next one is fixed. Before 31 December 2025 no ceiling is fixed yet and the
 * weighed population's own need stands in (**assumption**).
 */
export interface CeilingInForce {
  /** The day the ceiling was fixed, `YYYY-MM-DD` (31 December of `populationYear`). */
  fixedOn: string;
  /** The ceiling counts the population at the end of this calendar year. */
  populationYear: number;
  /** Where the rule comes from: the ordinance's two dates, or the engine's annual assumption. */
  basis: "ordinance" | "ordinance, projected population" | "annual recomputation (assumption)" | "none fixed yet (assumption)";
}

/** The ordinance's first ceiling: the population at the end of 2025. */
export const FIRST_CEILING_YEAR = 2025;
/** The ordinance's second ceiling: a population projected to the end of 2026. */
export const PROJECTED_CEILING_YEAR = 2026;

export function ceilingInForce(asOf: string): CeilingInForce {
  const date = toIsoDate(asOf, "asOf");
  const year = Number(date.slice(0, 4));
  // A ceiling fixed on 31 December is in force from that day: 31 Dec of year Y uses Y's.
  const latest = date.slice(5) === "12-31" ? year : year - 1;
  if (latest < FIRST_CEILING_YEAR) {
    return { fixedOn: `${FIRST_CEILING_YEAR}-12-31`, populationYear: FIRST_CEILING_YEAR, basis: "none fixed yet (assumption)" };
  }
  const basis: CeilingInForce["basis"] =
    latest === FIRST_CEILING_YEAR
      ? "ordinance"
      : latest === PROJECTED_CEILING_YEAR
        ? "ordinance, projected population"
        : "annual recomputation (assumption)";
  return { fixedOn: `${latest}-12-31`, populationYear: latest, basis };
}
