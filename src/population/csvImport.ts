import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { parse } from "csv-parse";
import { FordelingError } from "../errors.js";
import { defaultGeography, type Geography } from "../geo/geography.js";
import { locationTableFor } from "../geo/locations.js";
import { makePlaceResolver, type PlaceResolver } from "../geo/resolve.js";
import { DEFAULT_BATCH_ROWS } from "./generate.js";
import { ResidentFileWriter } from "./residentFile.js";
import { allocateResidentColumns, NO_LOCATION, RESIDENT_COLUMNS, type ResidentColumns } from "./schema.js";

/**
 * CSV import for register extracts: the resident schema's column names as the header (any
 * order, extra columns ignored), one resident per line, whole numbers in each column's range.
 * Rows are validated as they stream in (errors name file, column and line; the header is line
 * 1), then grouped by municipality in ascending code order, the order the weighting kernel
 * reads fastest, and written as an Arrow IPC file (temp name, then rename).
 *
 * Optional place columns become the location_id column (docs/GEOGRAPHY.md): `postal_code`, or
 * `lat` and `lon` (WGS84 degrees); a row may leave them empty (location unknown). Unknown postal
 * codes and coordinates outside the row's municipality are coded errors naming line and column.
 */

const CHUNK_ROWS = 1 << 16;

export async function populationCsvToArrow(
  csvFile: string,
  outFile: string,
  geography: Geography = defaultGeography(),
): Promise<{ rows: number }> {
  const { chunks, placed } = await readResidentCsv(csvFile, geography);
  const { sorted, locationIds } = groupByMunicipality(chunks, geography);
  const metadata: Record<string, string> = { "fordeling.source": "csv" };
  if (placed) metadata["fordeling.locations"] = locationTableFor(geography).version;
  const writer = await ResidentFileWriter.open(outFile, metadata);
  const total = sorted.sex.length;
  try {
    for (let start = 0; start < total; start += DEFAULT_BATCH_ROWS) {
      const end = Math.min(total, start + DEFAULT_BATCH_ROWS);
      const slice = Object.fromEntries(
        RESIDENT_COLUMNS.map((c) => [c.name, sorted[c.name].subarray(start, end)]),
      ) as unknown as ResidentColumns;
      await writer.write(slice, end - start, locationIds.subarray(start, end));
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
  return { rows: total };
}

interface Chunk {
  columns: ResidentColumns;
  locationIds: Uint16Array;
  rows: number;
}

const newChunk = (): Chunk => ({
  columns: allocateResidentColumns(CHUNK_ROWS),
  locationIds: new Uint16Array(CHUNK_ROWS).fill(NO_LOCATION),
  rows: 0,
});

/** Which place columns the header has, and a resolver when it has any. */
interface PlaceColumns {
  postal: number;
  lat: number;
  lon: number;
  resolver: PlaceResolver | undefined;
}

function placeColumns(header: string[], geography: Geography): PlaceColumns {
  const postal = header.indexOf("postal_code");
  const lat = header.indexOf("lat");
  const lon = header.indexOf("lon");
  const any = postal >= 0 || (lat >= 0 && lon >= 0);
  return { postal, lat, lon, resolver: any ? makePlaceResolver(locationTableFor(geography), geography) : undefined };
}

function rowLocation(record: string[], m: number, place: PlaceColumns, file: string, line: number): number {
  if (place.resolver === undefined) return NO_LOCATION;
  const lat = record[place.lat] ?? "";
  const lon = record[place.lon] ?? "";
  if (place.lat >= 0 && place.lon >= 0 && lat !== "" && lon !== "") {
    return place.resolver.byCoordinates(m, Number(lat), Number(lon), { file, column: "lat", row: line });
  }
  const postal = place.postal >= 0 ? (record[place.postal] ?? "") : "";
  return postal === "" ? NO_LOCATION : place.resolver.byPostalCode(m, postal, { file, column: "postal_code", row: line });
}

async function readResidentCsv(file: string, geography: Geography): Promise<{ chunks: Chunk[]; placed: boolean }> {
  const input = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    input.once("open", () => resolve());
    input.once("error", (cause) => reject(new FordelingError("FD_ERR_FILE_NOT_FOUND", "cannot read the CSV file", { file }, { cause })));
  });
  await opened;
  // pipeline, not pipe: a read error part-way (EISDIR for a directory, EIO) reaches the parser and
  // ends the loop below with that error; with pipe it was lost and the process exited silently.
  const parser = pipeline(input, parse({ bom: true, trim: true, skip_empty_lines: true, info: true }), () => undefined);
  const chunks: Chunk[] = [];
  let current = newChunk();
  let indices: number[] | undefined;
  let place: PlaceColumns | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (indices === undefined) {
        const duplicate = record.find((name, i) => name !== "" && record.indexOf(name) !== i);
        if (duplicate !== undefined) {
          const where = { file, column: duplicate, row: 1 };
          throw new FordelingError("FD_ERR_CSV_MALFORMED", "the header names this column twice; which one is meant is unclear", where);
        }
        indices = RESIDENT_COLUMNS.map((spec) => {
          const i = record.indexOf(spec.name);
          if (i < 0)
            throw new FordelingError("FD_ERR_MISSING_COLUMN", `required column is missing (found: ${record.join(", ")})`, {
              file,
              column: spec.name,
              row: 1,
            });
          return i;
        });
        place = placeColumns(record, geography);
        continue;
      }
      if (current.rows === CHUNK_ROWS) {
        chunks.push(current);
        current = newChunk();
      }
      const row = current.rows++;
      RESIDENT_COLUMNS.forEach((spec, c) => {
        const raw = record[indices![c]!] ?? "";
        const value = raw === "" || !/^\d+$/u.test(raw) ? Number.NaN : Number(raw);
        const where = { file, column: spec.name, row: info.lines };
        if (Number.isNaN(value))
          throw new FordelingError("FD_ERR_BAD_VALUE", `'${raw}' is not a whole number (allowed ${spec.min} to ${spec.max})`, where);
        if (spec.name === "municipalityCode") {
          if ((geography.municipalityIndexByCode[value] ?? -1) < 0)
            throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `${value} is not one of the 98 municipality codes`, where);
        } else if (value < spec.min || value > spec.max) {
          throw new FordelingError(
            "FD_ERR_BAD_VALUE",
            `${value} is out of range (allowed ${spec.min} to ${spec.max}: ${spec.description})`,
            where,
          );
        }
        current.columns[spec.name][row] = value;
      });
      const m = geography.municipalityIndexByCode[current.columns.municipalityCode[row]!]!;
      current.locationIds[row] = rowLocation(record, m, place!, file, info.lines);
    }
  } catch (cause) {
    input.destroy();
    if (cause instanceof FordelingError) throw cause;
    const errno = (cause as NodeJS.ErrnoException).code;
    if (errno === "EISDIR") throw new FordelingError("FD_ERR_FILE_NOT_FOUND", "is a directory, not a CSV file", { file }, { cause });
    if (typeof errno === "string" && errno.startsWith("E") && (cause as NodeJS.ErrnoException).syscall !== undefined) {
      throw new FordelingError("FD_ERR_FILE_NOT_FOUND", `cannot read the CSV file: ${(cause as Error).message}`, { file }, { cause });
    }
    const line = (cause as { lines?: number }).lines;
    throw new FordelingError(
      "FD_ERR_CSV_MALFORMED",
      `cannot parse CSV: ${(cause as Error).message}`,
      line === undefined ? { file } : { file, row: line },
      { cause },
    );
  }
  if (indices === undefined) throw new FordelingError("FD_ERR_CSV_MALFORMED", "the file is empty (no header row)", { file });
  if (chunks.length === 0 && current.rows === 0)
    throw new FordelingError("FD_ERR_CSV_MALFORMED", "the file has a header but no resident rows", { file });
  chunks.push(current);
  return { chunks, placed: place?.resolver !== undefined };
}

/** Counting sort on the municipality index: stable, O(rows), one pass per column. */
function groupByMunicipality(chunks: Chunk[], geography: Geography): { sorted: ResidentColumns; locationIds: Uint16Array } {
  const total = chunks.reduce((s, c) => s + c.rows, 0);
  const offsets = new Float64Array(geography.municipalities.length + 1);
  for (const chunk of chunks) {
    for (let r = 0; r < chunk.rows; r++) offsets[geography.municipalityIndexByCode[chunk.columns.municipalityCode[r]!]! + 1]!++;
  }
  for (let m = 1; m < offsets.length; m++) offsets[m]! += offsets[m - 1]!;
  const target = new Int32Array(total);
  let i = 0;
  for (const chunk of chunks) {
    for (let r = 0; r < chunk.rows; r++) target[i++] = offsets[geography.municipalityIndexByCode[chunk.columns.municipalityCode[r]!]!]!++;
  }
  const sorted = allocateResidentColumns(total);
  const locationIds = new Uint16Array(total);
  const scatter = (out: Uint8Array | Uint16Array, values: (chunk: Chunk) => Uint8Array | Uint16Array): void => {
    let k = 0;
    for (const chunk of chunks) {
      const v = values(chunk);
      for (let r = 0; r < chunk.rows; r++) out[target[k++]!] = v[r]!;
    }
  };
  for (const spec of RESIDENT_COLUMNS) scatter(sorted[spec.name], (chunk) => chunk.columns[spec.name]);
  scatter(locationIds, (chunk) => chunk.locationIds);
  return { sorted, locationIds };
}
