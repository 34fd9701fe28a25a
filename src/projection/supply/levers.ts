import type { Geography } from "../../geo/geography.js";
import type { ScenarioLevers } from "../../model/levers.js";
import type { ParameterValues } from "../../model/parameters.js";

/**
 * A scenario's levers (src/model/levers.ts) spread over municipalities: what the GP model reads
 * per municipality. A council-wide amount a year (premises support, extra tendering) is split
 * over its municipalities by population, so municipal costs add up to the council's.
 */
export interface MunicipalLevers {
  retentionYears: Float64Array;
  retentionFromAge: Float64Array;
  retentionDkkPerGpYear: Float64Array;
  settlingDkkPerEntrant: Float64Array;
  /** Utility added to the municipality's attractiveness by settling subsidy and premises support. */
  utility: Float64Array;
  /** Room for orphaned lists per capacity, as a factor on the target (1 = none raised). */
  listRoomFactor: Float64Array;
  /** Tender delay and staffing failure where a lever sets them, NaN elsewhere (the parameters apply). */
  tenderDelayYears: Float64Array;
  tenderFailureProbability: Float64Array;
  /** DKK a year the levers cost regardless of uptake (premises support, extra tendering). */
  fixedDkkPerYear: Float64Array;
}

export function resolveLevers(levers: ScenarioLevers | undefined, geography: Geography, p: ParameterValues): MunicipalLevers {
  const n = geography.municipalities.length;
  const filled = (v: number): Float64Array => new Float64Array(n).fill(v);
  const out: MunicipalLevers = {
    retentionYears: filled(0),
    retentionFromAge: filled(Infinity),
    retentionDkkPerGpYear: filled(0),
    settlingDkkPerEntrant: filled(0),
    utility: filled(0),
    listRoomFactor: filled(1),
    tenderDelayYears: filled(Number.NaN),
    tenderFailureProbability: filled(Number.NaN),
    fixedDkkPerYear: filled(0),
  };
  const councilIndex = new Map(geography.councils.map((c) => [c.id, c]));
  const each = (councils: readonly string[], f: (m: number, populationShare: number) => void): void => {
    for (const id of councils) {
      const council = councilIndex.get(id);
      if (council === undefined) continue; // checked when the scenario was read
      const total = council.municipalityIndices.reduce((s, m) => s + (geography.municipalities[m]?.population2026 ?? 0), 0);
      for (const m of council.municipalityIndices) f(m, total > 0 ? (geography.municipalities[m]?.population2026 ?? 0) / total : 0);
    }
  };
  const subsidyUtility = p.num("settle.subsidyUtilityPer100kDkk");
  const premisesUtility = p.num("settle.premisesUtilityPerMillionDkk");
  for (const e of levers?.retentionSubsidy ?? []) {
    each(e.councils, (m) => {
      out.retentionYears[m] = e.yearsAdded;
      out.retentionFromAge[m] = e.fromAgeYears;
      out.retentionDkkPerGpYear[m] = e.dkkPerGpYear;
    });
  }
  for (const e of levers?.settlingSubsidy ?? []) {
    each(e.councils, (m) => {
      out.settlingDkkPerEntrant[m] = e.dkkPerEntrant;
      out.utility[m]! += (subsidyUtility * e.dkkPerEntrant) / 100_000;
    });
  }
  for (const e of levers?.premisesSupport ?? []) {
    // The council's amount is spread over its municipalities; its effect on attractiveness is the council's.
    each(e.councils, (m, share) => {
      out.utility[m]! += (premisesUtility * e.dkkPerYear) / 1_000_000;
      out.fixedDkkPerYear[m]! += e.dkkPerYear * share;
    });
  }
  for (const e of levers?.largerLists ?? []) each(e.councils, (m) => (out.listRoomFactor[m] = 1 + e.minimumListRaisePercent / 100));
  for (const e of levers?.tenderedClinics ?? []) {
    each(e.councils, (m, share) => {
      out.tenderDelayYears[m] = e.delayYears;
      out.tenderFailureProbability[m] = e.staffingFailureProbability;
      out.fixedDkkPerYear[m]! += e.dkkPerYear * share;
    });
  }
  return out;
}
