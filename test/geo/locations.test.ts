import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { municipalityAt, polygonContains } from "../../src/geo/boundaries.js";
import { defaultGeography } from "../../src/geo/geography.js";
import { MAINLAND } from "../../src/geo/islands.js";
import { buildLocationTable, defaultLocationTable } from "../../src/geo/locations.js";
import { makePlaceResolver } from "../../src/geo/resolve.js";
import { countResidentsByLocation } from "../../src/population/residentsByLocation.js";
import { populationCsvToArrow } from "../../src/population/csvImport.js";
import { locationIdsForMunicipality } from "../../src/population/placement.js";
import { readPopulationBatches } from "../../src/population/read.js";
import { ResidentFileWriter } from "../../src/population/residentFile.js";
import { allocateResidentColumns, RESIDENT_COLUMNS } from "../../src/population/schema.js";
import { readRegisterCsv } from "../../src/register/registerCsv.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";

const geography = defaultGeography();
const table = defaultLocationTable();
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "fordeling-locations-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const code = (c: number): number => geography.municipalityIndexByCode[c]!;

describe("the locations table", () => {
  it("is the same table on every build: same ids, same version", () => {
    const again = buildLocationTable(geography);
    expect(again.version).toBe(table.version);
    expect(again.locations.length).toBe(table.locations.length);
  });

  it("fits 2-byte ids and gives every municipality locations whose shares sum to 1", () => {
    expect(table.locations.length).toBeGreaterThan(3000);
    expect(table.locations.length).toBeLessThan(0xffff);
    for (const m of geography.municipalities) {
      const ids = table.byMunicipality[m.index]!;
      expect(ids.length, m.name).toBeGreaterThan(0);
      expect(
        ids.reduce((s, id) => s + table.locations[id]!.residentShare, 0),
        m.name,
      ).toBeCloseTo(1, 9);
    }
  });

  it("lists every non-bridged island: the five island municipalities and 27 small islands with their populations", () => {
    const municipalities = table.islands.filter((i) => i.kind === "municipality").map((i) => i.name);
    expect(municipalities).toEqual(["Bornholm", "Ærø", "Fanø", "Samsø", "Læsø"]);
    const small = table.islands.filter((i) => i.kind === "small");
    expect(small).toHaveLength(27);
    expect(small.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        "Fur",
        "Anholt",
        "Omø",
        "Agersø",
        "Fejø",
        "Femø",
        "Askø",
        "Sejerø",
        "Nekselø",
        "Endelave",
        "Tunø",
        "Hjarnø",
        "Mandø",
        "Venø",
      ]),
    );
    for (const island of small) {
      const here = table.locations.filter((l) => l.islandId === island.id);
      expect(
        here.map((l) => l.kind),
        island.name,
      ).toEqual(["island"]);
      const m = geography.municipalities[island.municipalityIndex]!;
      expect(here[0]!.residentShare * m.population2026, island.name).toBeCloseTo(island.populationPublished, 6);
    }
    expect(table.islands.find((i) => i.name === "Orø")!.populationPublished).toBe(968);
  });

  it("puts every location of an island municipality on its island, and no small island's town on the mainland", () => {
    const bornholm = table.islands.find((i) => i.name === "Bornholm")!;
    expect(table.byMunicipality[code(400)]!.every((id) => table.locations[id]!.islandId === bornholm.id)).toBe(true);
    const fur = table.islands.find((i) => i.name === "Fur")!;
    const onFur = table.locations.filter(
      (l) => l.islandId === MAINLAND && l.municipalityCode === 779 && polygonContains(fur.polygon!, l.lat, l.lon),
    );
    expect(onFur).toEqual([]);
  });

  it("never offers a clinic site in the water: every town site lies inside its municipality's detailed polygon", () => {
    const towns = table.locations.filter((l) => l.kind === "town" && l.clinicWeight > 0);
    expect(towns.length).toBeGreaterThan(3000);
    for (const l of towns)
      expect(
        table.boundaries.polygons[l.municipalityIndex]!.some((p) => polygonContains(p, l.lat, l.lon)),
        l.name,
      ).toBe(true);
    // A point in the Kattegat lies in no municipality: the test the clinic sites pass.
    expect(municipalityAt(table.boundaries, 56.5, 11.0)).toBe(-1);
    expect(municipalityAt(table.boundaries, 56.15, 10.2)).toBe(code(751));
  });
});

describe("residents' and clinics' places", () => {
  it("gives each municipality's residents exact counts per location, the same for the same seed", () => {
    const fur = table.locations.find((l) => l.kind === "island" && l.name === "Fur")!;
    const ids = locationIdsForMunicipality(table, code(779), 779, 44_104, 5);
    expect(ids.filter((id) => id === fur.id)).toHaveLength(912);
    expect(ids.every((id) => table.locations[id]!.municipalityCode === 779)).toBe(true);
    expect(locationIdsForMunicipality(table, code(779), 779, 44_104, 5)).toEqual(ids);
    expect(locationIdsForMunicipality(table, code(779), 779, 44_104, 6)).not.toEqual(ids);
  });

  it("places synthetic clinics on land locations of their own municipality", () => {
    const register = makeSyntheticRegister(geography, { seed: 3, scale: 0.05 });
    const sites = new Set(table.locations.filter((l) => l.clinicWeight > 0).map((l) => `${l.municipalityIndex}:${l.lat},${l.lon}`));
    for (const c of register.clinics) expect(sites.has(`${c.municipalityIndex}:${c.lat},${c.lon}`), `clinic ${c.clinicId}`).toBe(true);
  });
});

describe("resolving postal codes and coordinates", () => {
  const resolver = makePlaceResolver(table, geography);
  const where = { file: "x.csv", row: 4, column: "postal_code" };

  it("resolves a code inside Copenhagen's grouped range and a code that spans two municipalities", () => {
    expect(table.locations[resolver.byPostalCode(code(101), "1050", where)]!.postalCode).toBe("1000-1499");
    expect(table.locations[resolver.byPostalCode(code(707), "8500", where)]!.name).toBe("8500 Grenaa");
  });

  it("resolves the postal code of a small island to the island", () => {
    const fur = table.islands.find((i) => i.name === "Fur")!;
    expect(table.locations[resolver.byPostalCode(code(779), "7884", where)]!.islandId).toBe(fur.id);
  });

  it("rejects an unknown code and a code of another municipality, naming file, row and column", () => {
    expect(() => resolver.byPostalCode(code(101), "0999", where)).toThrow(
      expect.objectContaining({
        code: "FD_ERR_UNKNOWN_POSTAL_CODE",
        message: expect.stringMatching(/x\.csv, row 4, column 'postal_code'/u),
      }),
    );
    expect(() => resolver.byPostalCode(code(101), "8000", where)).toThrow(
      expect.objectContaining({ code: "FD_ERR_UNKNOWN_POSTAL_CODE", message: expect.stringContaining("751") }),
    );
    expect(() => resolver.byPostalCode(code(101), "abc", where)).toThrow(expect.objectContaining({ code: "FD_ERR_UNKNOWN_POSTAL_CODE" }));
  });

  it("resolves coordinates to the nearest location of the municipality, and rejects a point in another one or abroad", () => {
    const aarhus = table.locations.find((l) => l.kind === "town" && l.name === "Aarhus")!;
    expect(resolver.byCoordinates(code(751), aarhus.lat + 0.001, aarhus.lon, where)).toBe(aarhus.id);
    expect(() => resolver.byCoordinates(code(101), aarhus.lat, aarhus.lon, where)).toThrow(
      expect.objectContaining({ code: "FD_ERR_OUTSIDE_MUNICIPALITY" }),
    );
    expect(() => resolver.byCoordinates(code(101), 48.85, 2.35, where)).toThrow(expect.objectContaining({ code: "FD_ERR_BAD_VALUE" }));
  });

  it("resolves a point on a small island to the island, never to the mainland across the water", () => {
    const fur = table.islands.find((i) => i.name === "Fur")!;
    const id = resolver.byCoordinates(code(779), fur.lat + 0.01, fur.lon, where);
    expect(table.locations[id]!.islandId).toBe(fur.id);
  });
});

describe("extracts and registers with places", () => {
  const header = RESIDENT_COLUMNS.map((c) => c.name).join(",");
  const resident = (municipality: number): string => `${municipality},1,40,1,1,0,0,0,0,65535`;

  it("converts a CSV with postal codes and coordinates into location ids; rows without a place stay unknown", async () => {
    const dir = tempDir();
    const csv = join(dir, "r.csv");
    writeFileSync(csv, `${header},postal_code,lat,lon\n${resident(751)},8000,,\n${resident(101)},,55.6867,12.5701\n${resident(101)},,,\n`);
    await populationCsvToArrow(csv, join(dir, "r.arrow"));
    const [batch] = [...readPopulationBatches(join(dir, "r.arrow"))];
    // Rows come out grouped by municipality: the two of 101 first, in file order.
    const ids = [...batch!.locationIds!];
    expect(table.locations[ids[0]!]!.name).toBe("København");
    expect(ids[1]).toBe(0xffff);
    expect(table.locations[ids[2]!]!.postalCode).toBe("8000");
    const counted = countResidentsByLocation(join(dir, "r.arrow"), table, geography);
    expect(counted.residentsPlacedByShare).toBe(1);
    expect(counted.residents.reduce((s, v) => s + v, 0)).toBeCloseTo(3, 9);
  });

  it("rejects location ids of another municipality, and ids made with another locations table", async () => {
    const dir = tempDir();
    const columns = { ...allocateResidentColumns(2) };
    columns.municipalityCode.set([101, 101]);
    columns.clinicId.fill(0xffff);
    const aarhus = table.byMunicipality[code(751)]![0]!;
    const copenhagen = table.byMunicipality[code(101)]![0]!;
    const write = async (file: string, ids: number[], version: string): Promise<string> => {
      const writer = await ResidentFileWriter.open(join(dir, file), { "fordeling.locations": version });
      await writer.write(columns, 2, Uint16Array.from(ids));
      await writer.commit();
      return join(dir, file);
    };
    const wrongPlace = await write("wrong.arrow", [copenhagen, aarhus], table.version);
    expect(() => countResidentsByLocation(wrongPlace, table, geography)).toThrow(
      expect.objectContaining({ code: "FD_ERR_UNKNOWN_LOCATION", location: { file: wrongPlace, column: "location_id", row: 2 } }),
    );
    const otherTable = await write("other.arrow", [copenhagen, copenhagen], "locations/1/000000000000");
    expect(() => countResidentsByLocation(otherTable, table, geography)).toThrow(
      expect.objectContaining({ code: "FD_ERR_UNKNOWN_LOCATION" }),
    );
    expect(
      countResidentsByLocation(await write("ok.arrow", [copenhagen, copenhagen], table.version), table, geography).residents[copenhagen],
    ).toBe(2);
  });

  it("rejects an unknown postal code in an extract with its line", async () => {
    const dir = tempDir();
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, `${header},postal_code\n${resident(751)},8000\n${resident(751)},9999\n`);
    await expect(populationCsvToArrow(csv, join(dir, "bad.arrow"))).rejects.toMatchObject({
      code: "FD_ERR_UNKNOWN_POSTAL_CODE",
      location: { row: 3, column: "postal_code" },
    });
  });

  it("reads a register whose clinics carry postal codes, and rejects coordinates outside the clinic's municipality", () => {
    const dir = tempDir();
    const good = join(dir, "good.csv");
    writeFileSync(
      good,
      "gp_id,clinic_id,municipality_code,gp_age_years,capacity,tendered,postal_code\n0,0,751,50,1,0,8000\n1,0,751,60,1,0,8000\n",
    );
    const register = readRegisterCsv(good, geography);
    expect(register.clinics[0]!.lat).toBeGreaterThan(56);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "gp_id,clinic_id,municipality_code,gp_age_years,capacity,tendered,lat,lon\n0,0,751,50,1,0,55.6867,12.5701\n");
    expect(() => readRegisterCsv(bad, geography)).toThrow(
      expect.objectContaining({ code: "FD_ERR_OUTSIDE_MUNICIPALITY", location: { file: bad, row: 2, column: "lat" } }),
    );
  });
});
