import Negotiator from "negotiator";
import { FordelingError } from "../errors.js";
import { CSV_DIALECTS } from "../io/csv.js";

/** The result formats and their media types (Arrow: the IANA type of the IPC file format). */
export const RESULT_FORMATS = ["json", "csv", "arrow", "parquet", "xlsx"] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export const MEDIA_TYPES: Readonly<Record<ResultFormat, string>> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  arrow: "application/vnd.apache.arrow.file",
  parquet: "application/vnd.apache.parquet",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** File name endings for Content-Disposition. */
export const FILE_EXTENSIONS: Readonly<Record<ResultFormat, string>> = {
  json: "json",
  csv: "csv",
  arrow: "arrow",
  parquet: "parquet",
  xlsx: "xlsx",
};

/** The bare media types, in order of preference when the client accepts several equally (`*\/*` → JSON). */
const OFFERED: readonly string[] = RESULT_FORMATS.map((f) => MEDIA_TYPES[f].split(";")[0] ?? "");
const BY_MEDIA_TYPE: ReadonlyMap<string, ResultFormat> = new Map(RESULT_FORMATS.map((f, i) => [OFFERED[i] ?? "", f]));

/** The query parameters every tabular endpoint takes besides its selection, as documented in OpenAPI. */
export const OUTPUT_QUERY_PROPERTIES = {
  format: {
    type: "string",
    enum: [...RESULT_FORMATS],
    description: "json, csv, arrow (Arrow IPC file), parquet or xlsx; overrides the Accept header",
  },
  dialect: {
    type: "string",
    enum: [...CSV_DIALECTS],
    default: "rfc4180",
    description: "CSV flavour: rfc4180 (comma, decimal point) or excel-da (semicolon, decimal comma, UTF-8 byte-order mark)",
  },
  round: { type: "boolean", default: false, description: "round figures to the decimals the terminal shows (default: full precision)" },
} as const;

/**
 * `?format=` wins; otherwise the Accept header's most preferred type we serve, by the
 * `negotiator` library (q-values, wildcards, specificity); no Accept header means JSON. An
 * Accept header naming nothing we serve is a 406.
 */
export function negotiateFormat(format: ResultFormat | undefined, accept: string | undefined): ResultFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === "") return "json";
  const preferred = new Negotiator({ headers: { accept } }).mediaType(OFFERED as string[]);
  const chosen = preferred === undefined ? undefined : BY_MEDIA_TYPE.get(preferred);
  if (chosen !== undefined) return chosen;
  throw new FordelingError(
    "FD_ERR_NOT_ACCEPTABLE",
    `cannot answer with '${accept}'; results come as ${OFFERED.join(", ")} (or use ?format=${RESULT_FORMATS.join("|")})`,
    { field: "headers.accept" },
  );
}
