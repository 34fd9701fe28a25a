import { FordelingError } from "../errors.js";

/** The three result formats and their media types (Arrow: the IANA type of the IPC file format). */
export const RESULT_FORMATS = ["json", "csv", "arrow"] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export const MEDIA_TYPES: Readonly<Record<ResultFormat, string>> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  arrow: "application/vnd.apache.arrow.file",
};

const BY_MEDIA_TYPE: ReadonlyMap<string, ResultFormat> = new Map([
  ["application/json", "json"],
  ["text/csv", "csv"],
  ["application/vnd.apache.arrow.file", "arrow"],
]);

/** The `format` query parameter as documented in OpenAPI. */
export const FORMAT_QUERY_SCHEMA = {
  type: "string",
  enum: [...RESULT_FORMATS],
  description: "json, csv or arrow (Arrow IPC file); overrides the Accept header",
} as const;

/**
 * `?format=` wins; otherwise the Accept header's most preferred type we serve (q-values,
 * wildcards); no Accept header means JSON. An Accept header naming nothing we serve is a 406.
 */
export function negotiateFormat(format: ResultFormat | undefined, accept: string | undefined): ResultFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === "") return "json";
  const ranges = accept
    .split(",")
    .map((part, order) => {
      const [type = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { type, quality: Number.isFinite(quality) ? quality : 0, order };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  for (const range of ranges) {
    const exact = BY_MEDIA_TYPE.get(range.type);
    if (exact !== undefined) return exact;
    if (range.type === "*/*" || range.type === "application/*") return "json";
    if (range.type === "text/*") return "csv";
  }
  throw new FordelingError(
    "FD_ERR_NOT_ACCEPTABLE",
    `cannot answer with '${accept}'; results come as ${[...BY_MEDIA_TYPE.keys()].join(", ")} (or use ?format=${RESULT_FORMATS.join("|")})`,
    { field: "headers.accept" },
  );
}
