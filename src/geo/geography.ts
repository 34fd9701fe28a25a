import { FordelingError } from "../errors.js";
import { CsvColumns, readCsv } from "../io/csv.js";
import { dataFile } from "../paths.js";

/** One of the 98 municipalities (kommuner), as in data/kommuner.csv. */
export interface Municipality {
  /** Dense index 0…97 in ascending code order: the index kernels and arrays use. */
  index: number;
  /** Official 3-digit code (101 København … 860 Hjørring). */
  code: number;
  name: string;
  /** Index into `Geography.councils`. */
  councilIndex: number;
  region2007: string;
  region2027: string;
  population2025: number;
  population2026: number;
  areaKm2: number;
  lat: number;
  lon: number;
  /** Wholly non-bridged island (the island exception before 1 Jan 2027). */
  islandNoBridge: boolean;
  /** Life expectancy at birth 2015–2019; undefined where DST suppresses it. */
  lifeExpectancyYears: number | undefined;
}

/** One of the 17 health councils (sundhedsråd). */
export interface Council {
  index: number;
  /** Stable slug used in files and the API, e.g. `amager-og-vestegnen`. */
  id: string;
  /** The Danish name, e.g. `Sundhedsråd Amager og Vestegnen`. */
  name: string;
  municipalityIndices: number[];
}

export interface Geography {
  municipalities: Municipality[];
  councils: Council[];
  /** code → municipality index, −1 for codes that are not municipalities; sized for codes 0…999. */
  municipalityIndexByCode: Int16Array;
}

export const MUNICIPALITY_COUNT = 98;
export const COUNCIL_COUNT = 17;
/** Documented in data/README.md: FOLK1A 2026K1 summed over the 98 municipalities. */
export const POPULATION_2026_TOTAL = 6_025_511;
export const POPULATION_2025_TOTAL = 5_992_644;
export const MAX_MUNICIPALITY_CODE = 999;

const REQUIRED = [
  "kommunekode",
  "kommune",
  "region_2007_2026",
  "sundhedsraad",
  "region_2027",
  "population_2025_01_01",
  "population_2026_01_01",
  "area_km2",
  "lat",
  "lon",
  "island_no_bridge",
  "life_expectancy_2015_2019",
] as const;

/** `Sundhedsråd Amager og Vestegnen` → `amager-og-vestegnen`: the one place Danish labels map to ids. */
export function councilIdFromName(name: string): string {
  return name
    .replace(/^Sundhedsråd\s+/u, "")
    .toLowerCase()
    .replace(/æ/gu, "ae")
    .replace(/ø/gu, "oe")
    .replace(/å/gu, "aa")
    .replace(/[^a-z0-9]+/gu, "-")
    .replace(/^-|-$/gu, "");
}

export function loadGeography(file = dataFile("kommuner.csv")): Geography {
  const table = readCsv(file);
  const col = new CsvColumns(table, REQUIRED);
  const raw = table.rows.map((_, r) => ({
    row: r + 2,
    code: col.number(r, "kommunekode", { min: 100, max: MAX_MUNICIPALITY_CODE, integer: true }),
    name: col.text(r, "kommune"),
    councilName: col.text(r, "sundhedsraad"),
    region2007: col.text(r, "region_2007_2026"),
    region2027: col.text(r, "region_2027"),
    population2025: col.number(r, "population_2025_01_01", { min: 0, integer: true }),
    population2026: col.number(r, "population_2026_01_01", { min: 0, integer: true }),
    areaKm2: col.number(r, "area_km2", { min: 0 }),
    lat: col.number(r, "lat", { min: 54, max: 58 }),
    lon: col.number(r, "lon", { min: 7, max: 16 }),
    islandNoBridge: col.number(r, "island_no_bridge", { min: 0, max: 1, integer: true }) === 1,
    lifeExpectancyYears: col.optionalNumber(r, "life_expectancy_2015_2019"),
  }));
  raw.sort((a, b) => a.code - b.code);

  const councilNames = [...new Set(raw.map((m) => m.councilName))].sort((a, b) => a.localeCompare(b, "da"));
  const councils: Council[] = councilNames.map((name, index) => ({
    index,
    id: councilIdFromName(name),
    name,
    municipalityIndices: [],
  }));
  const councilIndexByName = new Map(councils.map((c) => [c.name, c.index]));

  const municipalityIndexByCode = new Int16Array(MAX_MUNICIPALITY_CODE + 1).fill(-1);
  const municipalities: Municipality[] = raw.map((m, index) => {
    if (municipalityIndexByCode[m.code] !== -1) {
      throw new FordelingError("FD_ERR_REFERENCE_DATA", `municipality code ${m.code} appears twice`, {
        file,
        row: m.row,
        column: "kommunekode",
      });
    }
    if (m.name === "" || m.councilName === "") {
      throw new FordelingError("FD_ERR_REFERENCE_DATA", "name and health council must not be empty", { file, row: m.row });
    }
    municipalityIndexByCode[m.code] = index;
    const councilIndex = councilIndexByName.get(m.councilName) ?? -1;
    councils[councilIndex]?.municipalityIndices.push(index);
    const { row: _row, councilName: _council, ...rest } = m;
    return { ...rest, index, councilIndex };
  });

  validateTotals(file, municipalities, councils);
  return { municipalities, councils, municipalityIndexByCode };
}

function validateTotals(file: string, municipalities: Municipality[], councils: Council[]): void {
  const fail = (message: string): never => {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", message, { file });
  };
  if (municipalities.length !== MUNICIPALITY_COUNT) fail(`expected ${MUNICIPALITY_COUNT} municipalities, found ${municipalities.length}`);
  if (councils.length !== COUNCIL_COUNT) fail(`expected ${COUNCIL_COUNT} health councils, found ${councils.length}`);
  const total2026 = municipalities.reduce((s, m) => s + m.population2026, 0);
  const total2025 = municipalities.reduce((s, m) => s + m.population2025, 0);
  if (total2026 !== POPULATION_2026_TOTAL) fail(`population 1 Jan 2026 sums to ${total2026}, documented ${POPULATION_2026_TOTAL}`);
  if (total2025 !== POPULATION_2025_TOTAL) fail(`population 1 Jan 2025 sums to ${total2025}, documented ${POPULATION_2025_TOTAL}`);
  const regions2007 = new Set(municipalities.map((m) => m.region2007));
  const regions2027 = new Set(municipalities.map((m) => m.region2027));
  if (regions2007.size !== 5) fail(`expected 5 regions until 2026, found ${regions2007.size}`);
  if (regions2027.size !== 4) fail(`expected 4 regions from 2027, found ${regions2027.size}`);
  for (const council of councils) {
    // A council belongs to exactly one 2027 region: the reform draws councils inside regions.
    const regions = new Set(council.municipalityIndices.map((i) => municipalities[i]?.region2027));
    if (regions.size !== 1) fail(`health council '${council.name}' spans ${regions.size} regions`);
  }
}

let cached: Geography | undefined;
/** The built-in reference geography, loaded once per process. */
export function defaultGeography(): Geography {
  cached ??= loadGeography();
  return cached;
}
