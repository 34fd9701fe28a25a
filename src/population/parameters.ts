/**
 * Every rate and share the synthetic population uses, each with its source or "assumption".
 * docs/MODEL.md tables them; data/README.md holds the provenance of the reference figures.
 * Reference data that come as files (age pyramids, national margins, civil status, municipal
 * marginals) are read from data/ by referenceData.ts and are not repeated here.
 */

/** A step function of age: values[i] applies from lowerBounds[i] up to the next bound. */
export interface AgeBands {
  lowerBounds: readonly number[];
  values: readonly number[];
}

export function valueAtAge(bands: AgeBands, ageYears: number): number {
  let value = bands.values[0] ?? 0;
  for (let i = 0; i < bands.lowerBounds.length; i++) {
    if (ageYears >= (bands.lowerBounds[i] ?? Infinity)) value = bands.values[i] ?? value;
  }
  return value;
}

/** Oldest age the generator produces; the schema allows up to 110 for real extracts. */
export const OLDEST_GENERATED_AGE_YEARS = 105;

export const POPULATION_PARAMETERS = {
  oldAgeSpread: {
    value: [0.4, 0.25, 0.15, 0.1, 0.06, 0.04],
    source:
      "assumption: the 2020 pyramids' open group '100+' spread over ages 100…105 with these shares (survival roughly halves every 1.5 years past 100)",
  },
  education: {
    primaryShareOfNonHigher: {
      value: 0.38,
      source:
        "assumption: about 24 % of 15–69-year-olds have primary school as highest education nationally; with 36.3 % having any higher education (data/README.md, 2022) that is 0.24 / 0.637 ≈ 0.38 of those without higher education, applied in every municipality",
    },
    levelOddsByAge: {
      value: {
        lowerBounds: [0, 70, 80],
        /** Odds multipliers per level (primary, upper secondary, short/medium higher, long higher). */
        values: [
          [1, 1, 1, 1],
          [1.5, 1, 0.7, 0.6],
          [2.0, 1, 0.5, 0.4],
        ],
      },
      source: "assumption: residents aged 70+ (outside the 15–69 education table) belong to cohorts with less higher education",
    },
    underThirtyUseParents: {
      value: true,
      source:
        "the national model classes residents under 30 by their parents' education; households are not modelled, so an under-30 draws the education of the municipality's 15–69 distribution (assumption: parents resemble that distribution)",
    },
  },
  menapt: {
    nationalShare: {
      value: 0.051,
      source:
        "≈ 304,000 immigrants and descendants from MENAPT countries in 2025, ≈ 5.1 % (DST via the integration barometer; data/README.md)",
    },
    relativeRiskByAge: {
      value: { lowerBounds: [0, 18, 30, 50, 65, 80], values: [1.2, 1.3, 1.4, 0.8, 0.3, 0.1] },
      source: "assumption: a young population (descendants are children, immigrants mostly of working age)",
    },
    municipalVariation: {
      value: "proportional to share_immigrants_descendants_all_origins_2026_01_01",
      source:
        "assumption: the MENAPT share is not published per municipality; it is taken proportional to the published share of immigrants and descendants of all origins (DST FOLK1E, 2026)",
    },
  },
  outsideLabourMarket: {
    nationalCount: {
      value: 226_700,
      source:
        "76,700 full-time equivalents on sickness benefit in 2023 (DST, data/README.md) plus an assumed 150,000 for flex jobs, rehabilitation and non-job-ready social assistance (part of the 756,200 publicly supported, excluding disability pension and the net unemployed); persons counted as full-time equivalents (assumption)",
    },
    ageRange: { value: [18, 66], source: "working ages below the state pension age (67 in 2026)" },
    relativeRiskByAge: {
      value: { lowerBounds: [18, 30, 40, 50, 60], values: [0.6, 0.85, 1.0, 1.25, 1.45] },
      source: "assumption: sickness benefit and flex jobs become more common with age",
    },
    unemploymentElasticity: {
      value: 0.8,
      source: "assumption: municipal rate ∝ (unemployment_rate_AUP02_2024 / national)^0.8",
    },
    incomeElasticity: {
      value: -0.5,
      source: "assumption: municipal rate ∝ (disp_income_avg_all_persons_2024 / national)^−0.5",
    },
  },
  chronicDisease: {
    nationalCountWithAny: {
      value: 1_000_000,
      source:
        "about 1 million residents have at least one of 7 selected chronic diseases (KL, Sep 2023; data/README.md). The same source says half are 80+, which cannot hold with 0.36 M residents aged 80+ in 2026; prevalence instead rises steeply with age (next row)",
    },
    relativeRiskByAge: {
      value: { lowerBounds: [0, 18, 40, 50, 60, 70, 80], values: [0.04, 0.08, 0.15, 0.25, 0.4, 0.6, 1.0] },
      source: "assumption: prevalence of at least one chronic disease rising with age, highest at 80+",
    },
    extraDiseasesMeanByAge: {
      value: { lowerBounds: [0, 40, 60, 80], values: [0.15, 0.3, 0.6, 0.9] },
      source: "assumption: among residents with at least one disease, the count is 1 + Poisson(mean) capped at 7, the mean rising with age",
    },
    incomeElasticity: {
      value: -0.3,
      source: "assumption: prevalence ∝ (disp_income_avg_all_persons_2024 / national)^−0.3 (social gradient in chronic disease)",
    },
    lifeExpectancyGradient: {
      value: 0.15,
      source:
        "assumption: prevalence ∝ exp(−0.15 × (life expectancy 2015–2019 − national mean)), so Lolland (−3 years) has about 1.6 × the national rate at the same age; municipalities without a published life expectancy get factor 1",
    },
  },
  psychiatric: {
    nationalShare: {
      value: 0.08,
      source:
        "assumption: 8 % with at least one current (treated) psychiatric disease; no prevalence is in the reference data, the figure is an order of magnitude for a treated mental disorder in one year",
    },
    relativeRiskByAge: {
      value: { lowerBounds: [0, 12, 18, 30, 50, 65, 80], values: [0.3, 0.9, 1.4, 1.2, 1.0, 0.7, 0.8] },
      source: "assumption: most common in young adults, rare in young children",
    },
    incomeElasticity: {
      value: -0.3,
      source: "assumption: prevalence ∝ (disp_income_avg_all_persons_2024 / national)^−0.3",
    },
  },
  clinicAssignment: {
    neighbourhoodShare: {
      value: 0.35,
      source:
        "assumption: clinics differ in patient mix as neighbourhoods do. With this probability a resident's clinic draw is their age rank within the municipality instead of a fresh uniform; a mixture of two uniforms is uniform, so each clinic still gets its capacity share of residents, but the chooser's order of clinics gives some clinics older and some younger lists. Tuned so about 80 % of clinics have a minimum list of 1,150–2,000 (docs/MODEL.md)",
    },
  },
  probabilityCap: {
    value: 0.95,
    source: "assumption: no cell of municipality × sex × age is given a characteristic with certainty",
  },
  independence: {
    value: true,
    source:
      "assumption: characteristics are drawn independently given municipality, sex and age (no joint distribution is published); this understates how need clusters in the same residents",
  },
} as const satisfies Record<string, unknown>;
