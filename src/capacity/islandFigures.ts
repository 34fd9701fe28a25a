import { applyCapRule } from "./capRule.js";
import { defaultCapacityPolicy, type CapacityPolicy } from "./policy.js";
import type { CapacityReport } from "./types.js";
import { tableFromRecords, type Table } from "../io/table.js";
import { ageGroupByAge, residentWeight, type WeightTable } from "../model/weightTable.js";
import { readPopulationBatches } from "../population/read.js";
import { NO_LOCATION } from "../population/schema.js";
import type { GpRegister } from "../register/types.js";
import { gpSitesFromRegister } from "./accessReport.js";
import type { Geography } from "../geo/geography.js";
import type { Island } from "../geo/islands.js";
import type { LocationTable } from "../geo/locations.js";

/**
 * Every non-bridged island with what the island exception needs (docs/GEOGRAPHY.md): its
 * residents, need, the GPs and capacities on the island itself, and the extra capacities it may
 * open before the exception ends. The five island municipalities take their municipality's row
 * of the capacity report; a small island is weighed from its own residents (the population's
 * location_id), its need corrected for life expectancy by its municipality's factor.
 */
export interface IslandRow {
  island: Island;
  residents: number;
  /** Σ weight of the island's residents before the life-expectancy correction. */
  weightSum: number;
  need: number;
  /** The island's share of its municipality's need under the ceiling in force: what the exception compares. */
  ceilingNeed: number;
  supply: number;
  gps: number;
  clinics: number;
  councilStatus: "open" | "closed";
  islandException: boolean;
  extraCapacitiesAllowed: number;
  /** True when the file has no places and the island's share of its municipality was assumed. */
  estimated: boolean;
}

export interface IslandFiguresInput {
  populationFile: string;
  report: CapacityReport;
  register: GpRegister;
  weightTable: WeightTable;
  geography: Geography;
  table: LocationTable;
  /** The policy the report was made under (default: data/model/parameters.json's). */
  policy?: CapacityPolicy;
}

/**
 * Residents and Σ weight per small island (index = island id), from the residents whose location
 * is on it; `placed` is false for a file without locations. The projection weighs its islands'
 * need with it too (src/projection/accessGrid.ts).
 */
export function weighSmallIslands(input: Pick<IslandFiguresInput, "populationFile" | "table" | "weightTable" | "geography">): {
  residents: Float64Array;
  weightSum: Float64Array;
  placed: boolean;
} {
  const { table, weightTable, geography } = input;
  const islandOfLocation = Int32Array.from(table.locations, (l) => (table.islands[l.islandId - 1]?.kind === "small" ? l.islandId : 0));
  const residents = new Float64Array(table.islands.length + 1);
  const weightSum = new Float64Array(table.islands.length + 1);
  const groups = ageGroupByAge(weightTable);
  let placed = false;
  for (const { columns: c, rows, locationIds } of readPopulationBatches(input.populationFile, geography)) {
    if (locationIds === undefined) continue;
    placed = true;
    for (let r = 0; r < rows; r++) {
      const id = locationIds[r]!;
      const island = id === NO_LOCATION ? 0 : (islandOfLocation[id] ?? 0);
      if (island === 0) continue;
      residents[island]!++;
      weightSum[island]! += residentWeight(
        weightTable,
        groups[c.ageYears[r]!]!,
        c.sex[r]!,
        c.civilStatus[r]!,
        c.education[r]!,
        c.chronicDiseaseCount[r]!,
        c.psychiatric[r]!,
        c.menapt[r]!,
        c.outsideLabourMarket[r]!,
      );
    }
  }
  return { residents, weightSum, placed };
}

export function computeIslandRows(input: IslandFiguresInput): IslandRow[] {
  const { report, table, register } = input;
  const { sites } = gpSitesFromRegister(register, table, input.geography);
  const supply = new Float64Array(table.islands.length + 1);
  const gps = new Float64Array(table.islands.length + 1);
  const clinics = new Float64Array(table.islands.length + 1);
  register.clinics.forEach((clinic, i) => {
    const island = sites[i]!.islandId;
    supply[island]! += clinic.capacities;
    gps[island]! += clinic.gpIds.length;
    clinics[island]!++;
  });
  const weighed = weighSmallIslands(input);
  // An island municipality's own island excludes the small islands inside it (Birkholm in Ærø).
  const smallInside = (island: Island, values: Float64Array): number =>
    table.islands
      .filter((i) => i.kind === "small" && i.municipalityIndex === island.municipalityIndex)
      .reduce((s, i) => s + values[i.id]!, 0);
  const figures = table.islands.map((island) => {
    const m = report.municipalities[island.municipalityIndex]!;
    let residents = m.residents;
    let weightSum = m.weightSum;
    let estimated = false;
    if (island.kind === "municipality" && weighed.placed) {
      residents -= smallInside(island, weighed.residents);
      weightSum -= smallInside(island, weighed.weightSum);
    } else if (island.kind === "small") {
      if (weighed.placed) {
        residents = weighed.residents[island.id]!;
        weightSum = weighed.weightSum[island.id]!;
      } else {
        const share = island.populationPublished / input.geography.municipalities[island.municipalityIndex]!.population2026;
        residents = share * m.residents;
        weightSum = share * m.weightSum;
        estimated = true;
      }
    }
    // The municipality's correction (and its ceiling's) apply to its islands' share of its weight.
    const share = m.weightSum > 0 ? weightSum / m.weightSum : 0;
    return { island, m, residents, weightSum, need: share * m.need, ceilingNeed: share * m.ceilingNeed, estimated };
  });

  // The law's rule with the whole island list (src/capacity/capRule.ts), councils and municipalities as the report decided them.
  const decision = applyCapRule({
    asOf: report.national.asOf,
    policy: input.policy ?? defaultCapacityPolicy(),
    councils: report.councils.map((c) => ({ ceiling: c.ceilingNeed, supply: c.supply })),
    municipalities: report.municipalities.map((m) => ({
      councilIndex: m.councilIndex,
      ceiling: m.ceilingNeed,
      supply: m.supply,
      growthShare: m.growthShare,
    })),
    islands: figures.map((f) => ({
      id: f.island.kind === "municipality" ? String(f.island.municipalityCode) : f.island.name,
      name: f.island.name,
      councilIndex: f.m.councilIndex,
      municipalityIndex: f.island.municipalityIndex,
      residents: f.residents,
      need: f.ceilingNeed,
      supply: supply[f.island.id]!,
    })),
  });

  return figures.map(
    (f, k): IslandRow => ({
      island: f.island,
      residents: f.residents,
      weightSum: f.weightSum,
      need: f.need,
      ceilingNeed: f.ceilingNeed,
      supply: supply[f.island.id]!,
      gps: gps[f.island.id]!,
      clinics: clinics[f.island.id]!,
      councilStatus: f.m.councilStatus,
      islandException: decision.islands[k]!.exceptionInForce,
      extraCapacitiesAllowed: decision.islands[k]!.extraCapacitiesAllowed,
      estimated: f.estimated,
    }),
  );
}

/**
 * The capacity report with every non-bridged island's decision in its municipality, council and
 * national rows: the report itself applies the rule to the five island municipalities only (it
 * has no places), so a municipality with a small island (Skive with Fur, Odder with Tunø) shows
 * its islands' extra capacities only after this.
 */
export function withIslandDecisions(report: CapacityReport, rows: readonly IslandRow[]): CapacityReport {
  const municipalities = report.municipalities.map((m) => {
    const own = rows.filter((r) => r.island.municipalityIndex === m.municipalityIndex);
    return {
      ...m,
      islandException: own.some((r) => r.islandException),
      islandExtraCapacitiesAllowed: own.reduce((s, r) => s + r.extraCapacitiesAllowed, 0),
    };
  });
  const islandExtra = (indices: readonly number[]): number =>
    indices.reduce((s, i) => s + (municipalities[i]?.islandExtraCapacitiesAllowed ?? 0), 0);
  const councils = report.councils.map((c) => ({
    ...c,
    islandExtraCapacitiesAllowed: islandExtra(
      municipalities.filter((m) => m.councilIndex === c.councilIndex).map((m) => m.municipalityIndex),
    ),
  }));
  const national = { ...report.national, islandExtraCapacitiesAllowed: councils.reduce((s, c) => s + c.islandExtraCapacitiesAllowed, 0) };
  return { ...report, national, councils, municipalities };
}

export function islandTable(rows: readonly IslandRow[], geography: Geography): Table {
  const municipality = (r: IslandRow): Geography["municipalities"][number] => geography.municipalities[r.island.municipalityIndex]!;
  return tableFromRecords("islands", rows, [
    { name: "island", type: "string", value: (r) => r.island.name },
    { name: "kind", type: "string", value: (r) => r.island.kind },
    { name: "municipality_code", type: "int", value: (r) => r.island.municipalityCode },
    { name: "municipality_name", type: "string", value: (r) => municipality(r).name },
    { name: "council_id", type: "string", value: (r) => geography.councils[municipality(r).councilIndex]!.id },
    { name: "residents", type: "float", unit: "persons", decimals: 0, value: (r) => r.residents },
    { name: "residents_published", type: "int", unit: "persons", value: (r) => r.island.populationPublished },
    { name: "residents_published_year", type: "string", value: (r) => String(r.island.populationYear) },
    { name: "need", type: "float", unit: "capacities", decimals: 2, value: (r) => r.need },
    { name: "ceiling_need", type: "float", unit: "capacities", decimals: 2, value: (r) => r.ceilingNeed },
    { name: "supply", type: "float", unit: "capacities", decimals: 1, value: (r) => r.supply },
    { name: "gap", type: "float", unit: "capacities", decimals: 2, value: (r) => r.supply - r.need },
    { name: "gps", type: "int", value: (r) => r.gps },
    { name: "clinics", type: "int", value: (r) => r.clinics },
    { name: "council_status", type: "string", value: (r) => r.councilStatus },
    { name: "island_exception", type: "int", value: (r) => (r.islandException ? 1 : 0) },
    { name: "extra_capacities_allowed", type: "int", unit: "capacities", value: (r) => r.extraCapacitiesAllowed },
    { name: "estimated", type: "int", value: (r) => (r.estimated ? 1 : 0) },
  ]);
}
