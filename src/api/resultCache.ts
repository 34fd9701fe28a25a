import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { Table } from "../io/table.js";
import { serializeTable, type TableOutputOptions } from "../io/writeTable.js";
import { MEDIA_TYPES, type ResultFormat } from "./formats.js";

/** Encodings a result body is kept in besides identity, most preferred first. */
export const BODY_ENCODINGS = ["br", "gzip"] as const;
export type BodyEncoding = (typeof BODY_ENCODINGS)[number];

/** A response body ready to send: bytes, media type, an ETag, and compressed twins of text bodies. */
export interface SerialisedBody {
  body: Buffer;
  contentType: string;
  etag: string;
  encoded?: Readonly<Record<BodyEncoding, Buffer>>;
}

/** Text formats gain 3–10× from compression; Parquet, Arrow and xlsx are compact already. */
const COMPRESSED_FORMATS: ReadonlySet<ResultFormat> = new Set(["json", "csv"]);
/** Below this a compressed body saves less than its headers cost (as @fastify/compress's default). */
const MIN_COMPRESSED_BYTES = 1024;
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Serialised results by request key, least recently used evicted first once the bytes exceed
 * the budget (the `lru-cache` library does the bookkeeping). A stored result never changes
 * (its run id is a hash of its inputs), so an entry never goes stale. Serialising once and
 * sending bytes is what lets one core answer thousands of result requests a second
 * (per-request serialisation caps throughput: docs/API.md, "Performance").
 */
export class ResultCache {
  private readonly entries: LRUCache<string, SerialisedBody>;
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    // lru-cache wants sizes of at least 1; an empty body still costs its key and headers.
    const bytesOf = (entry: SerialisedBody): number =>
      entry.body.byteLength + (entry.encoded === undefined ? 0 : entry.encoded.br.byteLength + entry.encoded.gzip.byteLength);
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry) => Math.max(1, bytesOf(entry)) });
  }

  get(key: string): SerialisedBody | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) this.misses++;
    else this.hits++;
    return entry;
  }

  /** An entry larger than the whole budget is not kept (lru-cache refuses it). */
  set(key: string, entry: SerialisedBody): void {
    this.entries.set(key, entry);
  }

  get sizeBytes(): number {
    return this.entries.calculatedSize;
  }
}

/**
 * A table serialised for a response. The ETag is weak (`W/"…"`): the bytes on the wire differ
 * by Content-Encoding (gzip, br or none), while the representation is the same. JSON and CSV
 * bodies are compressed here, once, and cached with the plain bytes: compressing on every
 * request (what @fastify/compress does for other responses) cut result throughput about 3×
 * for clients that send Accept-Encoding. zlib's async calls run on libuv's thread pool.
 */
export async function serialiseTable(table: Table, format: ResultFormat, options: TableOutputOptions = {}): Promise<SerialisedBody> {
  const data = await serializeTable(table, format, options);
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const entry: SerialisedBody = { body, contentType: MEDIA_TYPES[format], etag };
  if (!COMPRESSED_FORMATS.has(format) || body.byteLength < MIN_COMPRESSED_BYTES) return entry;
  // Brotli 4 and gzip 6 (the libraries' usual levels): on a 92 KB result CSV, Brotli 9 took 9× and
  // gzip 9 3× as long for under 1 % fewer bytes; bench/formats.ts compares the levels.
  const [br, gz] = await Promise.all([
    brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } }),
    gzipAsync(body, { level: 6 }),
  ]);
  return { ...entry, encoded: { br, gzip: gz } };
}
