import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, makeTestApp, waitForRun } from "./helpers.js";

/** Parquet, xlsx, Danish-Excel CSV, conditional requests, compression and file names over HTTP. */
describe("results for analysts' tools", () => {
  const temp = makeTempDir();
  let app: FastifyInstance;
  let run = "";
  let url = "";
  beforeAll(async () => {
    ({ app } = await makeTestApp({ dataDir: temp.dir }));
    run = (await app.inject({ method: "POST", url: "/v1/runs", payload: { seed: 3, horizonYear: 2027 } })).json<{ id: string }>().id;
    await waitForRun(app, run);
    url = `/v1/runs/${run}/results/municipality`;
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });
  const get = (path: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url: path, headers });
  const csvNumbers = async (): Promise<Record<string, number>[]> =>
    parse((await get(`${url}?format=csv`)).body, { columns: true, cast: true }) as Record<string, number>[];

  describe("conditional requests", () => {
    it("answers 304 to If-None-Match with a list that holds the tag, its strong form, or *", async () => {
      const etag = String((await get(url)).headers["etag"]);
      expect(etag).toMatch(/^W\/"[\w-]+"$/u);
      for (const header of [`"nope", ${etag}, "other"`, etag.slice(2), "*", `W/"x",${etag.slice(2)}`]) {
        const response = await get(url, { "if-none-match": header });
        expect(response.statusCode, header).toBe(304);
        expect(response.body).toBe("");
      }
    });

    it("answers 200 with the body when no tag in the list matches, or the client asks for no-cache", async () => {
      const etag = String((await get(url)).headers["etag"]);
      expect((await get(url, { "if-none-match": `"a", W/"b"` })).statusCode).toBe(200);
      expect((await get(url, { "if-none-match": etag, "cache-control": "no-cache" })).statusCode).toBe(200);
    });

    it("gives each format and dialect its own tag", async () => {
      const tags = await Promise.all(
        ["json", "csv", "parquet", "csv&dialect=excel-da"].map(async (f) => (await get(`${url}?format=${f}`)).headers["etag"]),
      );
      expect(new Set(tags).size).toBe(4);
    });
  });

  describe("compression", () => {
    it.each([
      ["gzip", gunzipSync],
      ["br", brotliDecompressSync],
    ] as const)("sends %s when asked, and it decodes to the same bytes", async (encoding, decode) => {
      const plain = await get(`${url}?format=csv`);
      const packed = await get(`${url}?format=csv`, { "accept-encoding": encoding });
      expect(packed.headers["content-encoding"]).toBe(encoding);
      expect(packed.rawPayload.byteLength).toBeLessThan(plain.rawPayload.byteLength / 2);
      expect(Buffer.compare(decode(packed.rawPayload), plain.rawPayload)).toBe(0);
    });

    it("follows Accept-Encoding's q-values, prefers br on a tie, and caches the compressed bytes", async () => {
      const encodingFor = async (header: string) => (await get(url, { "accept-encoding": header })).headers["content-encoding"];
      expect(await encodingFor("br;q=0.1, gzip")).toBe("gzip");
      expect(await encodingFor("gzip, deflate, br")).toBe("br");
      expect(await encodingFor("*")).toBe("br");
      expect(await encodingFor("identity")).toBeUndefined();
      // deflate is not cached; @fastify/compress still serves a client that only takes deflate.
      expect(await encodingFor("deflate")).toBe("deflate");
      const first = await get(url, { "accept-encoding": "br" });
      const hits = app.fordeling.results.hits;
      const second = await get(url, { "accept-encoding": "br" });
      expect(app.fordeling.results.hits).toBe(hits + 1);
      expect(Buffer.compare(first.rawPayload, second.rawPayload)).toBe(0);
      expect(second.headers["vary"]).toBe("accept, accept-encoding");
    });

    it("sends small bodies, and Parquet, Arrow and xlsx (already compact), as they are", async () => {
      const small = await get(`/v1/runs/${run}/results/national?year=2026`, { "accept-encoding": "gzip" });
      expect(small.headers["content-encoding"]).toBeUndefined();
      for (const format of ["parquet", "arrow", "xlsx"]) {
        expect(
          (await get(`${url}?format=${format}`, { "accept-encoding": "gzip, br" })).headers["content-encoding"],
          format,
        ).toBeUndefined();
      }
    });
  });

  it("names downloads after run, level and selection, attachment for files and inline for JSON", async () => {
    const csv = await get(`${url}?format=csv&year=2027`);
    expect(csv.headers["content-disposition"]).toBe(`attachment; filename="fordeling-${run.slice(0, 12)}-municipality-2027.csv"`);
    expect((await get(url)).headers["content-disposition"]).toBe(`inline; filename="fordeling-${run.slice(0, 12)}-municipality.json"`);
  });

  it("serves Parquet by ?format= and by Accept, and DuckDB reads the CSV's numbers from it", async () => {
    const byAccept = await get(url, { accept: "application/vnd.apache.parquet" });
    expect(byAccept.headers["content-type"]).toBe("application/vnd.apache.parquet");
    const byQuery = await get(`${url}?format=parquet`);
    expect(Buffer.compare(byAccept.rawPayload, byQuery.rawPayload)).toBe(0);
    const file = join(temp.dir, "municipality.parquet");
    writeFileSync(file, byQuery.rawPayload);
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const rows = (await duck.runAndReadAll(`SELECT * FROM '${file}'`)).getRowObjectsJS();
    duck.closeSync();
    expect(rows).toEqual(await csvNumbers());
  });

  it("serves xlsx with the table, and an about sheet with the run, its seed and the selection", async () => {
    const response = await get(`${url}?format=xlsx`);
    expect(response.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet!.getRow(1).values as unknown[]).slice(1) as string[];
    const rows = (await csvNumbers()).map((_, r) =>
      Object.fromEntries(header.map((name, c) => [name, sheet?.getRow(r + 2).getCell(c + 1).value])),
    );
    expect(rows).toEqual(await csvNumbers());
    const about = new Map(((workbook.getWorksheet("about")?.getSheetValues() ?? []).slice(2) as unknown[][]).map((r) => [r[1], r[2]]));
    expect(about.get("run")).toBe(run);
    expect(about.get("seed")).toBe(3);
    expect(about.get("selection.year")).toBe("all");
  });

  it("serves CSV for Danish Excel with ?dialect=excel-da, and rounds only with ?round=true", async () => {
    const danish = await get(`/v1/runs/${run}/results/national?format=csv&dialect=excel-da`);
    expect(danish.body.startsWith("\uFEFFcountry;year;need_mean\r\n")).toBe(true);
    const [, first] = danish.body.split("\r\n");
    expect(first).toMatch(/^DK;2026;\d+,\d{5,}$/u);
    const rounded = await get(`/v1/runs/${run}/results/national?format=csv&dialect=excel-da&round=true`);
    expect(rounded.body.split("\r\n")[1]).toMatch(/^DK;2026;\d+(,\d{1,2})?$/u);
    const bad = await get(`/v1/runs/${run}/results/national?dialect=excel`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ location: { field: "query.dialect" } });
  });
});
