import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { scenarioFromJson } from "../../src/model/scenario.js";

function scenarioError(levers: unknown): FordelingError {
  try {
    scenarioFromJson({ id: "levers", levers }, "s.json");
  } catch (error) {
    if (error instanceof FordelingError) return error;
    throw error;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("regional levers in a scenario", () => {
  it("rejects a negative subsidy, naming the field", () => {
    const error = scenarioError({ settlingSubsidy: [{ councils: ["fyn"], dkkPerEntrant: -5 }] });
    expect(error.code).toBe("FD_ERR_SCENARIO");
    expect(error.location.field).toBe("levers.settlingSubsidy.0.dkkPerEntrant");
    expect(error.message).toMatch(/dkkPerEntrant' must be >= 0/u);
  });

  it("rejects an unknown council, naming the entry and the allowed ids", () => {
    const error = scenarioError({ premisesSupport: [{ councils: ["fyn", "atlantis"], dkkPerYear: 1_000_000 }] });
    expect(error.code).toBe("FD_ERR_SCENARIO");
    expect(error.location.field).toBe("levers.premisesSupport.0.councils.1");
    expect(error.message).toMatch(/unknown council 'atlantis'.*allowed: .*fyn/u);
  });

  it("rejects a probability above 1, naming the field", () => {
    const error = scenarioError({
      tenderedClinics: [{ councils: ["fyn"], delayYears: 0, staffingFailureProbability: 1.2, dkkPerYear: 0 }],
    });
    expect(error.location.field).toBe("levers.tenderedClinics.0.staffingFailureProbability");
    expect(error.message).toMatch(/must be <= 1/u);
  });

  it("rejects an unknown lever and a missing field, naming them", () => {
    expect(scenarioError({ freeCoffee: [] }).location.field).toBe("levers.freeCoffee");
    expect(scenarioError({ largerLists: [{ councils: ["fyn"] }] }).message).toMatch(/minimumListRaisePercent/u);
  });

  it("keeps valid levers as given", () => {
    const levers = { retentionSubsidy: [{ councils: ["vendsyssel"], yearsAdded: 2, fromAgeYears: 62, dkkPerGpYear: 250_000 }] };
    expect(scenarioFromJson({ id: "ok", levers }).levers).toEqual(levers);
  });
});
