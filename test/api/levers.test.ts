import { describe, expect, it } from "vitest";
import { useTestApp } from "./helpers.js";

describe("scenarios with regional levers over HTTP", () => {
  const server = useTestApp();
  const create = (payload: object) => server.app.inject({ method: "POST", url: "/v1/scenarios", payload });

  it("refuses an unknown council with 400, naming the field", async () => {
    const response = await create({ id: "bad-council", levers: { settlingSubsidy: [{ councils: ["atlantis"], dkkPerEntrant: 1 }] } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ location: { field: "body.levers.settlingSubsidy.0.councils.0" } });
  });

  it("stores and returns a scenario with levers as given", async () => {
    const scenario = { id: "subsidy", parameters: {}, levers: { settlingSubsidy: [{ councils: ["vendsyssel"], dkkPerEntrant: 400_000 }] } };
    expect((await create(scenario)).statusCode).toBe(201);
    expect((await server.app.inject({ method: "GET", url: "/v1/scenarios/subsidy" })).json()).toEqual(scenario);
  });
});
