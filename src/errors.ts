/**
 * One error class with stable codes. Every failure a user can cause (bad file, bad
 * scenario, bad request) surfaces as a FordelingError whose code is listed here and in
 * docs/ERRORS.md (a test keeps the two in sync).
 */

export const ERROR_CODES = {
  FD_ERR_FILE_NOT_FOUND: { exitCode: 2, httpStatus: 404, summary: "an input file does not exist" },
  FD_ERR_CSV_MALFORMED: { exitCode: 3, httpStatus: 400, summary: "a CSV file cannot be parsed" },
  FD_ERR_MISSING_COLUMN: { exitCode: 3, httpStatus: 400, summary: "a required column is missing" },
  FD_ERR_BAD_VALUE: { exitCode: 3, httpStatus: 400, summary: "a value has the wrong type or is out of range" },
  FD_ERR_UNKNOWN_MUNICIPALITY: { exitCode: 3, httpStatus: 400, summary: "a municipality code is not one of the 98" },
  FD_ERR_UNKNOWN_POSTAL_CODE: {
    exitCode: 3,
    httpStatus: 400,
    summary: "a postal code is not a Danish postal area or does not reach the given municipality",
  },
  FD_ERR_OUTSIDE_MUNICIPALITY: { exitCode: 3, httpStatus: 400, summary: "coordinates lie outside the given municipality" },
  FD_ERR_UNKNOWN_LOCATION: { exitCode: 3, httpStatus: 400, summary: "a location id is not in the locations table the file was made with" },
  FD_ERR_REFERENCE_DATA: { exitCode: 3, httpStatus: 500, summary: "the reference data fail validation" },
  FD_ERR_ARROW_MALFORMED: { exitCode: 3, httpStatus: 400, summary: "an Arrow IPC file is truncated or unreadable" },
  FD_ERR_SCHEMA_MISMATCH: { exitCode: 3, httpStatus: 400, summary: "a file's columns or types differ from the expected schema" },
  FD_ERR_WEIGHT_TABLE: { exitCode: 3, httpStatus: 400, summary: "a weight table is invalid or incomplete" },
  FD_ERR_NONPOSITIVE_WEIGHT: {
    exitCode: 3,
    httpStatus: 400,
    summary: "a weight table lets a combination of characteristics weigh zero or less",
  },
  FD_ERR_REGISTER: { exitCode: 3, httpStatus: 400, summary: "a GP register is invalid" },
  FD_ERR_SCENARIO: { exitCode: 3, httpStatus: 400, summary: "a scenario is invalid" },
  FD_ERR_KERNEL: { exitCode: 4, httpStatus: 500, summary: "the WASM kernel reported a failure status" },
  FD_ERR_WORKER: { exitCode: 4, httpStatus: 500, summary: "a worker thread failed" },
  FD_ERR_ARGUMENT: { exitCode: 2, httpStatus: 400, summary: "a command-line argument is invalid" },
  FD_ERR_OUTPUT: { exitCode: 5, httpStatus: 500, summary: "an output file could not be written" },
  FD_ERR_CANCELLED: { exitCode: 130, httpStatus: 409, summary: "the work was cancelled" },
  FD_ERR_NOT_FOUND: { exitCode: 2, httpStatus: 404, summary: "a requested resource does not exist" },
  FD_ERR_QUEUE_FULL: { exitCode: 6, httpStatus: 429, summary: "the run queue is full" },
  FD_ERR_UNAUTHORIZED: { exitCode: 2, httpStatus: 401, summary: "a write request lacks a valid API key" },
  FD_ERR_REQUEST_TOO_LARGE: { exitCode: 2, httpStatus: 413, summary: "a request body exceeds the size limit" },
  FD_ERR_HEADERS_TOO_LARGE: { exitCode: 2, httpStatus: 431, summary: "the request headers exceed the size limit" },
  FD_ERR_REQUEST_TIMEOUT: { exitCode: 2, httpStatus: 408, summary: "a request was not received in time" },
  FD_ERR_UNSUPPORTED_MEDIA_TYPE: { exitCode: 2, httpStatus: 415, summary: "a request body is not JSON" },
  FD_ERR_NOT_ACCEPTABLE: { exitCode: 2, httpStatus: 406, summary: "no supported format matches the requested media type" },
  FD_ERR_CONFLICT: {
    exitCode: 2,
    httpStatus: 409,
    summary: "a resource exists with other content or is not in a state that allows the request",
  },
  FD_ERR_UNAVAILABLE: { exitCode: 1, httpStatus: 503, summary: "the server is shutting down" },
  FD_ERR_NOT_COMPARABLE: { exitCode: 3, httpStatus: 422, summary: "two runs cannot be compared, or a run lacks what an analysis needs" },
  FD_ERR_STORE_CORRUPT: {
    exitCode: 5,
    httpStatus: 500,
    summary: "a file the server stored in its data dir is damaged or leads outside it",
  },
  FD_ERR_JOB_PAYLOAD: { exitCode: 3, httpStatus: 400, summary: "a distributed job's payload is invalid or too large" },
  FD_ERR_JOB_FAILED: { exitCode: 4, httpStatus: 500, summary: "a distributed job failed on every attempt" },
  FD_ERR_DATA_HASH: { exitCode: 3, httpStatus: 400, summary: "fetched run data do not match their SHA-256" },
  FD_ERR_INTERNAL: { exitCode: 1, httpStatus: 500, summary: "an unexpected internal failure" },
} as const satisfies Record<string, { exitCode: number; httpStatus: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in an input the problem sits; every field optional, shown when present. */
export interface ErrorLocation {
  file?: string;
  column?: string;
  row?: number;
  field?: string;
}

export class FordelingError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  /** The message without the location prefix, for re-raising the error at another location. */
  detail: string;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatMessage(message, location), options);
    this.name = "FordelingError";
    this.code = code;
    this.location = location;
    this.detail = message;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus;
  }

  /** Plain data that survives postMessage; see `errorFromWire`. */
  toWire(): WireError {
    return { ok: false, code: this.code, message: this.message, location: this.location };
  }
}

/** The shape workers return: error classes do not survive the thread boundary. */
export interface WireError {
  ok: false;
  code: ErrorCode;
  message: string;
  location: ErrorLocation;
}

export function errorFromWire(wire: WireError): FordelingError {
  const error = new FordelingError(wire.code, "", wire.location);
  error.message = wire.message;
  error.detail = wire.message;
  return error;
}

export function isFordelingError(value: unknown): value is FordelingError {
  return value instanceof FordelingError;
}

function formatMessage(message: string, location: ErrorLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column !== undefined) parts.push(`column '${location.column}'`);
  if (location.field !== undefined) parts.push(`field '${location.field}'`);
  return parts.length > 0 ? `${parts.join(", ")}: ${message}` : message;
}
