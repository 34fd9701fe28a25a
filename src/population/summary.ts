import type { Geography } from "../geo/geography.js";
import { POPULATION_PARAMETERS } from "./parameters.js";
import { CIVIL_STATUS, EDUCATION, NO_CLINIC, SEX, type ResidentColumns } from "./schema.js";

/** National shares a summary reports; each is a fraction of all residents unless named "…Adults". */
export const SHARE_NAMES = [
  "women",
  "age0to17",
  "age65plus",
  "age80plus",
  "neverMarried",
  "married",
  "divorcedAdults",
  "widowedAdults",
  "primarySchool",
  "upperSecondary",
  "shortOrMediumHigher",
  "longHigherOrPhd",
  "menapt",
  "outsideLabourMarket",
  "chronicAny",
  "chronicTwoPlus",
  "psychiatric",
  "listedWithClinic",
] as const;
export type ShareName = (typeof SHARE_NAMES)[number];

export interface PopulationSummary {
  residents: number;
  meanAgeYears: number;
  shares: Record<ShareName, number>;
  /** In ascending code order (Geography order). */
  municipalities: { code: number; name: string; councilId: string; residents: number }[];
  councils: { id: string; name: string; residents: number }[];
}

/** The published or assumed national figures a generated population should reproduce. */
export const CALIBRATION_TARGETS: Partial<Record<ShareName, { value: number; basis: string }>> = {
  divorcedAdults: { value: 0.1174, basis: "18+, DST 2025Q4" },
  widowedAdults: { value: 0.0585, basis: "18+, DST 2025Q4" },
  menapt: { value: POPULATION_PARAMETERS.menapt.nationalShare.value, basis: "DST 2025" },
  outsideLabourMarket: { value: POPULATION_PARAMETERS.outsideLabourMarket.nationalCount.value / 6_025_603, basis: "DST 2023 + assumption" },
  chronicAny: { value: POPULATION_PARAMETERS.chronicDisease.nationalCountWithAny.value / 6_025_603, basis: "KL 2023" },
  psychiatric: { value: POPULATION_PARAMETERS.psychiatric.nationalShare.value, basis: "assumption" },
};

/** Adds up batches of residents (already validated) into a PopulationSummary. */
export class PopulationSummaryAccumulator {
  private readonly byMunicipality: Float64Array;
  private readonly counts = new Float64Array(SHARE_NAMES.length);
  private adults = 0;
  private ageSum = 0;
  private residents = 0;

  constructor(private readonly geography: Geography) {
    this.byMunicipality = new Float64Array(geography.municipalities.length);
  }

  add(columns: ResidentColumns, rowCount = columns.sex.length): void {
    const k = Object.fromEntries(SHARE_NAMES.map((name, i) => [name, i])) as Record<ShareName, number>;
    const counts = this.counts;
    const index = this.geography.municipalityIndexByCode;
    for (let r = 0; r < rowCount; r++) {
      const age = columns.ageYears[r]!;
      const civil = columns.civilStatus[r]!;
      const education = columns.education[r]!;
      const chronic = columns.chronicDiseaseCount[r]!;
      this.byMunicipality[index[columns.municipalityCode[r]!]!]!++;
      this.ageSum += age;
      if (columns.sex[r] === SEX.woman) counts[k.women]!++;
      if (age < 18) counts[k.age0to17]!++;
      else this.adults++;
      if (age >= 65) counts[k.age65plus]!++;
      if (age >= 80) counts[k.age80plus]!++;
      if (civil === CIVIL_STATUS.neverMarried) counts[k.neverMarried]!++;
      else if (civil === CIVIL_STATUS.married) counts[k.married]!++;
      else if (age >= 18) counts[civil === CIVIL_STATUS.divorced ? k.divorcedAdults : k.widowedAdults]!++;
      if (education === EDUCATION.primarySchool) counts[k.primarySchool]!++;
      else if (education === EDUCATION.upperSecondary) counts[k.upperSecondary]!++;
      else if (education === EDUCATION.shortOrMediumHigher) counts[k.shortOrMediumHigher]!++;
      else counts[k.longHigherOrPhd]!++;
      if (columns.menapt[r] === 1) counts[k.menapt]!++;
      if (columns.outsideLabourMarket[r] === 1) counts[k.outsideLabourMarket]!++;
      if (chronic >= 1) counts[k.chronicAny]!++;
      if (chronic >= 2) counts[k.chronicTwoPlus]!++;
      if (columns.psychiatric[r] === 1) counts[k.psychiatric]!++;
      if (columns.clinicId[r] !== NO_CLINIC) counts[k.listedWithClinic]!++;
    }
    this.residents += rowCount;
  }

  result(): PopulationSummary {
    const { geography } = this;
    const divide = (count: number, by: number): number => (by > 0 ? count / by : 0);
    const shares = Object.fromEntries(
      SHARE_NAMES.map((name, i) => [name, divide(this.counts[i]!, name.endsWith("Adults") ? this.adults : this.residents)]),
    ) as Record<ShareName, number>;
    const municipalities = geography.municipalities.map((m) => ({
      code: m.code,
      name: m.name,
      councilId: geography.councils[m.councilIndex]?.id ?? "",
      residents: this.byMunicipality[m.index]!,
    }));
    const councils = geography.councils.map((c) => ({
      id: c.id,
      name: c.name,
      residents: c.municipalityIndices.reduce((s, m) => s + this.byMunicipality[m]!, 0),
    }));
    return { residents: this.residents, meanAgeYears: divide(this.ageSum, this.residents), shares, municipalities, councils };
  }
}

export function summarizeColumns(columns: ResidentColumns, geography: Geography): PopulationSummary {
  const accumulator = new PopulationSummaryAccumulator(geography);
  accumulator.add(columns);
  return accumulator.result();
}
