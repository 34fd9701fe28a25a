import { describe, expect, it } from "vitest";
import { computeAccessReport, gpSitesFromRegister } from "../../src/capacity/accessReport.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultLocationTable } from "../../src/geo/locations.js";
import { defaultGeoParameters } from "../../src/geo/parameters.js";
import { DEFAULT_SEED } from "../../src/population/defaults.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";

/**
 * The rule on the default data, with each location's expected residents (share × 1 Jan 2026
 * population) instead of generating 6 M residents: the findings docs/GEOGRAPHY.md reports.
 */
describe("two GPs within 15 km on the default data", () => {
  const geography = defaultGeography();
  const table = defaultLocationTable();
  const register = makeSyntheticRegister(geography, { seed: DEFAULT_SEED, scale: 1 });
  const residents = Float64Array.from(
    table.locations,
    (l) => l.residentShare * geography.municipalities[l.municipalityIndex]!.population2026,
  );
  const report = computeAccessReport(table, residents, register, geography, defaultGeoParameters());
  const byCode = (code: number) => report.municipalities[geography.municipalityIndexByCode[code]!]!;

  it("leaves no resident of København or Aarhus without a choice of two GPs", () => {
    expect(byCode(101).residentsFailing).toBe(0);
    expect(byCode(751).residentsFailing).toBe(0);
  });

  it("fails the residents of small islands without a GP, and under 1 % of Danes", () => {
    const { sites } = gpSitesFromRegister(register, table, geography);
    const withoutGp = table.locations.filter((l) => l.kind === "island" && !sites.some((s) => s.islandId === l.islandId));
    expect(withoutGp.length).toBeGreaterThan(10);
    for (const island of withoutGp) expect(report.location.gpsWithinRadius[island.id], island.name).toBe(0);
    expect(report.national.shareFailing).toBeGreaterThan(0);
    expect(report.national.shareFailing).toBeLessThan(0.01);
  });
});
