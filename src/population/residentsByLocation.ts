import type { RecordBatch } from "apache-arrow";
import { FordelingError } from "../errors.js";
import { locationColumnIndex, openReader, uint16Values } from "./read.js";
import { LOCATION_COLUMN, NO_LOCATION } from "./schema.js";
import type { Geography } from "../geo/geography.js";
import type { LocationTable } from "../geo/locations.js";

/**
 * Residents per location, counted from a population file's municipality and location_id columns
 * only (one pass over 2 × 2 bytes a resident). Residents without a location (files made before
 * the column existed, or rows with 65535) are spread over their municipality's locations by the
 * table's expected shares, so old files still give an access measure, marked as estimated.
 */
export interface ResidentsByLocation {
  residents: Float64Array;
  /** Residents whose place was not in the file and was spread by expected shares. */
  residentsPlacedByShare: number;
  totalResidents: number;
}

export function countResidentsByLocation(file: string, table: LocationTable, geography: Geography): ResidentsByLocation {
  const { reader, schema } = openReader(file);
  const municipalityIndex = schema.fields.findIndex((f) => f.name === "municipalityCode");
  if (municipalityIndex < 0)
    throw new FordelingError("FD_ERR_SCHEMA_MISMATCH", "required column is missing", { file, column: "municipalityCode" });
  const locationIndex = locationColumnIndex(file, schema);
  const madeWith = schema.metadata.get("fordeling.locations");
  if (locationIndex >= 0 && madeWith !== undefined && madeWith !== table.version) {
    throw new FordelingError(
      "FD_ERR_UNKNOWN_LOCATION",
      `the file's location ids refer to table ${madeWith}, not to this one (${table.version}); regenerate or convert it again`,
      {
        file,
        column: LOCATION_COLUMN.name,
      },
    );
  }
  const residents = new Float64Array(table.locations.length);
  const unplaced = new Float64Array(geography.municipalities.length);
  const byCode = geography.municipalityIndexByCode;
  const municipalityOf = Int16Array.from(table.locations, (l) => l.municipalityIndex);
  let firstRow = 0;
  for (const batch of reader as Iterable<RecordBatch>) {
    const codes = uint16Values(file, batch, municipalityIndex, "municipalityCode", firstRow);
    const ids = locationIndex < 0 ? undefined : uint16Values(file, batch, locationIndex, LOCATION_COLUMN.name, firstRow);
    for (let r = 0; r < codes.length; r++) {
      const m = byCode[codes[r]!] ?? -1;
      if (m < 0)
        throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `${codes[r]} is not one of the 98 municipality codes`, {
          file,
          column: "municipalityCode",
          row: firstRow + r + 1,
        });
      const id = ids === undefined ? NO_LOCATION : ids[r]!;
      if (id === NO_LOCATION) {
        unplaced[m]!++;
      } else if (municipalityOf[id] === m) {
        residents[id]!++;
      } else {
        const why =
          id >= table.locations.length
            ? `beyond the table's ${table.locations.length} locations`
            : `a location of municipality ${table.locations[id]!.municipalityCode}`;
        throw new FordelingError("FD_ERR_UNKNOWN_LOCATION", `${id} is ${why}, not of this resident's municipality ${codes[r]}`, {
          file,
          column: LOCATION_COLUMN.name,
          row: firstRow + r + 1,
        });
      }
    }
    firstRow += codes.length;
  }
  let residentsPlacedByShare = 0;
  geography.municipalities.forEach((m) => {
    const count = unplaced[m.index]!;
    if (count === 0) return;
    residentsPlacedByShare += count;
    for (const id of table.byMunicipality[m.index] ?? []) residents[id]! += count * table.locations[id]!.residentShare;
  });
  return { residents, residentsPlacedByShare, totalResidents: firstRow };
}
