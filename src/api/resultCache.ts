import { createHash } from "node:crypto";
import { toArrowIpc } from "../io/arrow.js";
import { toCsv } from "../io/csv.js";
import { toJson } from "../io/json.js";
import type { Table } from "../io/table.js";
import { MEDIA_TYPES, type ResultFormat } from "./formats.js";

/** A response body ready to send: bytes, media type and a strong ETag. */
export interface SerialisedBody {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * Serialised results by request key, least recently used evicted first once the bytes exceed
 * the budget. A stored result never changes (its run id is a hash of its inputs), so an entry
 * never goes stale. Serialising once and sending bytes is what lets one core answer thousands
 * of result requests a second (per-request serialisation caps throughput: docs/API.md, "Performance").
 */
export class ResultCache {
  private readonly entries = new Map<string, SerialisedBody>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): SerialisedBody | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: SerialisedBody): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) this.bytes -= previous.body.byteLength;
    this.entries.delete(key);
    if (entry.body.byteLength > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.body.byteLength;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.body.byteLength;
    }
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}

export function serialiseTable(table: Table, format: ResultFormat): SerialisedBody {
  const data = format === "json" ? toJson(table) : format === "csv" ? toCsv(table) : toArrowIpc(table);
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, contentType: MEDIA_TYPES[format], etag };
}
