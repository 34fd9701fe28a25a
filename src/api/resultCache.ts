import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Table } from "../io/table.js";
import { serializeTable, type TableOutputOptions } from "../io/writeTable.js";
import { MEDIA_TYPES, type ResultFormat } from "./formats.js";

/** A response body ready to send: bytes, media type and an ETag. */
export interface SerialisedBody {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * Serialised results by request key, least recently used evicted first once the bytes exceed
 * the budget (the `lru-cache` library does the bookkeeping). A stored result never changes
 * (its run id is a hash of its inputs), so an entry never goes stale. Serialising once and
 * sending bytes is what lets one core answer thousands of result requests a second.
 */
export class ResultCache {
  private readonly entries: LRUCache<string, SerialisedBody>;
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    // lru-cache wants sizes of at least 1; an empty body still costs its key and headers.
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry) => Math.max(1, entry.body.byteLength) });
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
 * by Content-Encoding (gzip, br or none), while the representation is the same.
 */
export async function serialiseTable(table: Table, format: ResultFormat, options: TableOutputOptions = {}): Promise<SerialisedBody> {
  const data = await serializeTable(table, format, options);
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, contentType: MEDIA_TYPES[format], etag };
}
