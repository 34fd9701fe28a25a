import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";

/**
 * Regional levers a scenario may pull, each for the health councils it names (council ids as in
 * the result tables, e.g. `vendsyssel`). Every lever is a list of entries, so different councils can
 * get different amounts. Their effects and costs are applied in src/projection/supply/ and
 * documented in docs/PROJECTION.md; the per-unit effects that are uncertain are parameters
 * (settle.subsidyUtilityPer100kDkk, settle.premisesUtilityPerMillionDkk).
 */
export interface RetentionSubsidy {
  councils: string[];
  /** Years added before retirement for GPs at or above `fromAgeYears`. */
  yearsAdded: number;
  fromAgeYears: number;
  dkkPerGpYear: number;
}
export interface SettlingSubsidy {
  councils: string[];
  dkkPerEntrant: number;
}
export interface PremisesSupport {
  councils: string[];
  dkkPerYear: number;
}
export interface LargerLists {
  councils: string[];
  /** The minimum list each capacity takes raised by this percentage: clinics have that much more room for orphaned lists. */
  minimumListRaisePercent: number;
}
export interface MoreTenderedClinics {
  councils: string[];
  delayYears: number;
  staffingFailureProbability: number;
  dkkPerYear: number;
}

export interface ScenarioLevers {
  retentionSubsidy?: RetentionSubsidy[];
  settlingSubsidy?: SettlingSubsidy[];
  premisesSupport?: PremisesSupport[];
  largerLists?: LargerLists[];
  tenderedClinics?: MoreTenderedClinics[];
}

export const LEVER_NAMES = ["retentionSubsidy", "settlingSubsidy", "premisesSupport", "largerLists", "tenderedClinics"] as const;

const number = (description: string, minimum: number, maximum: number, integer = false): Record<string, unknown> => ({
  type: integer ? "integer" : "number",
  minimum,
  maximum,
  description,
});

const entry = (fields: Record<string, Record<string, unknown>>): Record<string, unknown> => ({
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["councils", ...Object.keys(fields)],
    properties: {
      councils: {
        type: "array",
        minItems: 1,
        items: { type: "string" },
        description: "health council ids (e.g. vendsyssel) the lever applies to",
      },
      ...fields,
    },
  },
});

/** The `levers` property of data/model/scenario.schema.json. */
export const LEVERS_JSON_SCHEMA: Readonly<Record<string, unknown>> = {
  type: "object",
  additionalProperties: false,
  description: "regional levers, each a list of entries naming the councils it applies to (docs/PROJECTION.md)",
  properties: {
    retentionSubsidy: entry({
      yearsAdded: number("years added before retirement for GPs at or above fromAgeYears", 0, 10),
      fromAgeYears: number("the age from which GPs get the subsidy", 50, 80, true),
      dkkPerGpYear: number("DKK per subsidised GP per year", 0, 10_000_000),
    }),
    settlingSubsidy: entry({ dkkPerEntrant: number("DKK paid once per GP who settles in the councils", 0, 10_000_000) }),
    premisesSupport: entry({ dkkPerYear: number("DKK a year of premises support per council", 0, 1_000_000_000) }),
    largerLists: entry({ minimumListRaisePercent: number("percent by which the minimum list per capacity is raised", 0, 100) }),
    tenderedClinics: entry({
      delayYears: number("years before a tendered clinic opens for an orphaned list", 0, 5, true),
      staffingFailureProbability: number("probability that a tendered clinic finds no doctors in a year", 0, 1),
      dkkPerYear: number("DKK a year of extra tendering per council", 0, 1_000_000_000),
    }),
  },
};

/** Every council a lever names must exist: FD_ERR_SCENARIO naming the entry otherwise. */
export function checkLeverCouncils(levers: ScenarioLevers, geography: Geography, source: string): void {
  const ids = geography.councils.map((c) => c.id);
  for (const name of LEVER_NAMES) {
    (levers[name] ?? []).forEach((e, i) => {
      e.councils.forEach((id, j) => {
        if (!ids.includes(id)) {
          const message = `unknown council '${id}' in levers.${name}[${i}].councils (allowed: ${ids.join(", ")})`;
          throw new FordelingError("FD_ERR_SCENARIO", message, {
            file: source,
            field: `levers.${name}.${i}.councils.${j}`,
          });
        }
      });
    });
  }
}
