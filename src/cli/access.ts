import { existsSync } from "node:fs";
import { Command, Option } from "commander";
import { FordelingError } from "../errors.js";
import { accessGeojson } from "../capacity/accessGeojson.js";
import { accessMapSvg } from "../capacity/accessMap.js";
import { computeAccessReport, type AccessReport } from "../capacity/accessReport.js";
import { ACCESS_LEVELS, accessTable, type AccessLevel } from "../capacity/accessTables.js";
import { defaultGeography, type Geography } from "../geo/geography.js";
import { defaultLocationTable } from "../geo/locations.js";
import { defaultGeoParameters } from "../geo/parameters.js";
import { countResidentsByLocation } from "../population/residentsByLocation.js";
import { writeFileAtomic } from "../io/atomic.js";
import { formatTable } from "../io/terminal.js";
import { aboutEntries, fordelingVersion } from "../io/about.js";
import type { CsvDialect } from "../io/csv.js";
import {
  formatFromFileName,
  refuseBinaryOnTerminal,
  TABLE_FORMATS,
  writeTable,
  type TableFormat,
  type TableOutputOptions,
} from "../io/writeTable.js";
import { readRegisterCsv } from "../register/registerCsv.js";
import { addTableOutputOptions, choice, numberOption } from "./options.js";
import { inputFiles } from "./weigh.js";

interface AccessFlags {
  population?: string;
  register?: string;
  by: AccessLevel;
  format?: TableFormat;
  out?: string;
  geojson?: string;
  map?: string;
  detourFactor?: number;
  radiusKm?: number;
  csvDialect: CsvDialect;
  round?: boolean;
}

export function makeAccessCommand(): Command {
  const p = defaultGeoParameters();
  const command = new Command("access")
    .summary("residents who cannot choose between two GPs within 15 km, per municipality and council")
    .description(
      "The coverage rule: every resident must be able to choose between at least two GPs within 15 km of home. " +
        "For every location (docs/GEOGRAPHY.md) the GPs within the radius (great-circle km × detour factor, GPs on the " +
        "same non-bridged island only) and the nearest and second-nearest GP; per municipality and council the residents " +
        "failing the rule, their share and the nearest GP's distance P50/P90.",
    )
    .option("--population <file>", "resident Arrow IPC file (default: the built-in synthetic population of 1 Jan 2026)")
    .option("--register <file>", "GP register CSV (default: the register generated with the population, <population>.register.csv)")
    .addOption(
      new Option("--by <level>", `rows of the table: ${ACCESS_LEVELS.join(", ")}`)
        .default("municipality")
        .argParser(choice("--by", ACCESS_LEVELS)),
    )
    .addOption(
      new Option("--format <format>", `output format: ${TABLE_FORMATS.join(", ")} (default: table, or from --out's ending)`).argParser(
        choice("--format", TABLE_FORMATS),
      ),
    )
    .option("--out <file>", "also write the table to this file (.csv, .json, .arrow, .parquet, .xlsx…); written whole or not at all")
    .option("--geojson <file>", "also write the municipalities as GeoJSON with the figures as properties")
    .option("--map <file.svg>", "also draw an SVG choropleth of the share failing per municipality")
    .addOption(
      new Option(
        "--detour-factor <x>",
        `road km per great-circle km, 1…3 (default ${p.detourFactor}, data/model/geo-parameters.json)`,
      ).argParser(numberOption("--detour-factor", { min: 1, max: 3, integer: false })),
    )
    .addOption(
      new Option("--radius-km <km>", `the rule's radius (default ${p.radiusKm})`).argParser(
        numberOption("--radius-km", { min: 0.1, max: 200, integer: false }),
      ),
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  fordeling access                                   municipalities, default data\n" +
        "  fordeling access --by council --out councils.csv   the 17 councils as CSV\n" +
        "  fordeling access --geojson access.geojson --map access.svg\n" +
        "  fordeling access --detour-factor 1.3               roads 30 % longer than the crow flies",
    )
    .action(async (flags: AccessFlags) => {
      await runAccess(flags);
    });
  return addTableOutputOptions(command);
}

async function runAccess(flags: AccessFlags): Promise<void> {
  const fileFormat = flags.out === undefined ? undefined : (flags.format ?? formatFromFileName(flags.out));
  if (flags.out === undefined && flags.format !== undefined) refuseBinaryOnTerminal(flags.format);
  if (flags.map !== undefined && !flags.map.toLowerCase().endsWith(".svg")) {
    throw new FordelingError("FD_ERR_ARGUMENT", `--map writes SVG; give a file name ending in .svg (got ${flags.map})`, { field: "--map" });
  }
  for (const [option, file] of [
    ["--population", flags.population],
    ["--register", flags.register],
  ] as const) {
    if (file !== undefined && !existsSync(file))
      throw new FordelingError("FD_ERR_FILE_NOT_FOUND", `the file given to ${option} does not exist`, { file });
  }
  const geography = defaultGeography();
  const { populationFile, registerFile } = await inputFiles(flags);
  const register = readRegisterCsv(registerFile, geography);
  const started = performance.now();
  const table = defaultLocationTable();
  const counted = countResidentsByLocation(populationFile, table, geography);
  const p = defaultGeoParameters();
  const rule = { radiusKm: flags.radiusKm ?? p.radiusKm, minimumGps: p.minimumGps, detourFactor: flags.detourFactor ?? p.detourFactor };
  const report = computeAccessReport(table, counted.residents, register, geography, rule);
  const seconds = (performance.now() - started) / 1000;
  const count = (v: number): string => Math.round(v).toLocaleString("en-US");
  process.stderr.write(
    `fordeling: access for ${count(counted.totalResidents)} residents at ${count(table.locations.length)} locations ` +
      `in ${seconds.toFixed(2)} s\n`,
  );
  if (counted.residentsPlacedByShare > 0) {
    process.stderr.write(
      `fordeling: ${count(counted.residentsPlacedByShare)} residents have no location in the file; ` +
        "spread over their municipality by expected shares\n",
    );
  }
  if (report.clinicsPlacedByDefault > 0) {
    process.stderr.write(
      `fordeling: ${report.clinicsPlacedByDefault} clinics have no place in the register; put at their municipality's largest town\n`,
    );
  }

  const result = accessTable(report, flags.by, geography, table);
  const output: TableOutputOptions = {
    csvDialect: flags.csvDialect,
    round: flags.round === true,
    about: aboutEntries({
      command: "fordeling access",
      rule: ruleText(report),
      population_file: populationFile,
      register_file: registerFile,
      locations: table.version,
      fordeling_version: fordelingVersion(),
    }),
  };
  if (flags.out !== undefined && fileFormat !== undefined) {
    await writeTable(result, fileFormat, flags.out, output);
    process.stderr.write(`fordeling: wrote ${flags.out} (${fileFormat}, by ${flags.by})\n`);
  }
  if (flags.geojson !== undefined || flags.map !== undefined) {
    const collection = accessGeojson(report, geography);
    if (flags.geojson !== undefined) {
      await writeFileAtomic(flags.geojson, JSON.stringify(collection) + "\n");
      process.stderr.write(`fordeling: wrote ${flags.geojson} (GeoJSON, ${collection.features.length} municipalities)\n`);
    }
    if (flags.map !== undefined) {
      await writeFileAtomic(flags.map, accessMapSvg(collection, mapTitle(report)));
      process.stderr.write(`fordeling: wrote ${flags.map} (SVG map)\n`);
    }
  }
  const screenFormat = flags.out === undefined ? (flags.format ?? "table") : "table";
  if (screenFormat === "table") process.stdout.write(heading(report) + formatTable(result) + footer(report, geography));
  else await writeTable(result, screenFormat, undefined, output);
}

function ruleText(report: AccessReport): string {
  const r = report.rule;
  return `at least ${r.minimumGps} GPs within ${r.radiusKm} km (great-circle × ${r.detourFactor})`;
}

function mapTitle(report: AccessReport): string {
  return `Residents without ${ruleText(report)}`;
}

function heading(report: AccessReport): string {
  return `Access to GPs: residents who cannot choose between ${ruleText(report)}\n\n`;
}

function footer(report: AccessReport, geography: Geography): string {
  const n = report.national;
  const failing = geography.municipalities
    .map((m) => ({ m, a: report.municipalities[m.index]! }))
    .filter((x) => x.a.residentsFailing >= 0.5)
    .sort((a, b) => b.a.residentsFailing - a.a.residentsFailing);
  const count = (v: number): string => Math.round(v).toLocaleString("en-US");
  const km = (v: number | null): string => (v === null ? "n/a" : `${v.toFixed(1)} km`);
  const share = (100 * (n.shareFailing ?? 0)).toFixed(2);
  return (
    `\nNationally: ${count(n.residentsFailing)} of ${count(n.residents)} residents (${share} %) fail the rule, ` +
    `in ${failing.length} of ${geography.municipalities.length} municipalities; ` +
    `nearest GP P50 ${km(n.nearestGpKmP50)}, P90 ${km(n.nearestGpKmP90)}.\n`
  );
}
