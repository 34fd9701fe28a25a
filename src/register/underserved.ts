import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { CsvColumns, readCsv } from "../io/csv.js";
import { dataFile } from "../paths.js";

export const DEFAULT_MARGINALS_FILE = dataFile("kommune_marginals.csv");
const FLAG_COLUMN = "plo_laegedaekningstruet_2019";

/**
 * Which municipalities the GPs' organisation (PLO) named as threatened by GP shortage in 2019:
 * 1 at the municipality's index, else 0. The register gives them fewer capacities per resident
 * and most of the tendered clinics. Every one of the 98 must have a flag.
 */
export function loadUnderservedFlags(geography: Geography, file = DEFAULT_MARGINALS_FILE): Uint8Array {
  const table = readCsv(file);
  const col = new CsvColumns(table, ["kommunekode", FLAG_COLUMN]);
  const flags = new Uint8Array(geography.municipalities.length).fill(0xff);
  for (let r = 0; r < col.rowCount; r++) {
    const code = col.number(r, "kommunekode", { integer: true });
    const index = geography.municipalityIndexByCode[code] ?? -1;
    if (index < 0) {
      throw new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `${code} is not one of the 98 municipality codes`, {
        file,
        row: r + 2,
        column: "kommunekode",
      });
    }
    flags[index] = col.number(r, FLAG_COLUMN, { min: 0, max: 1, integer: true });
  }
  const missing = geography.municipalities.filter((m) => flags[m.index] === 0xff).map((m) => m.code);
  if (missing.length > 0) {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", `no shortage flag for municipalities ${missing.join(", ")}`, {
      file,
      column: FLAG_COLUMN,
    });
  }
  return flags;
}
