import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { Bench } from "tinybench";
import { makeTable, type Table } from "../src/io/table.js";
import { serializeTable, type TableFormat } from "../src/io/writeTable.js";
import { Xoshiro128 } from "../src/population/rng.js";

/**
 * The table writers on a result-sized table (98 municipalities × 16 years × 40 columns, the
 * shape of a projection to 2040), every figure from one run: time per table and bytes per
 * format, as ratios to CSV; and what compressing the CSV once costs (the API caches it).
 * Serialising happens once per result and selection (the API keeps the bytes), so these
 * figures bound the first request, not the throughput.
 */

function resultShapedTable(): Table {
  const rng = new Xoshiro128(20260101);
  const random = (): number => rng.nextFloat();
  const rows = 98 * 16;
  const floats = Array.from({ length: 36 }, (_, c) => ({
    name: `metric_${c}_p50`,
    type: "float" as const,
    decimals: 1,
    values: Array.from({ length: rows }, () => random() * 100),
  }));
  return makeTable("municipalities", [
    { name: "municipality_code", type: "int", values: Array.from({ length: rows }, (_, r) => 101 + (r % 98)) },
    { name: "municipality_name", type: "string", values: Array.from({ length: rows }, (_, r) => `Kommune ${r % 98} Ærø`) },
    { name: "council_id", type: "string", values: Array.from({ length: rows }, (_, r) => `council-${r % 17}`) },
    { name: "year", type: "int", values: Array.from({ length: rows }, (_, r) => 2025 + Math.floor(r / 98)) },
    ...floats,
  ]);
}

const FORMATS: readonly TableFormat[] = ["csv", "json", "arrow", "parquet", "xlsx"];

async function main(): Promise<void> {
  const table = resultShapedTable();
  const bytes = new Map<string, number>();
  const bench = new Bench({ time: 0, iterations: 10, warmupIterations: 2, warmupTime: 0 });
  for (const format of FORMATS) {
    bench.add(format, async () => {
      const data = await serializeTable(table, format);
      bytes.set(format, typeof data === "string" ? Buffer.byteLength(data) : data.byteLength);
    });
  }
  const csv = Buffer.from(String(await serializeTable(table, "csv")));
  // The API uses Brotli 4 and gzip 6; the higher levels show what they would cost.
  for (const quality of [4, 9]) {
    const name = `csv → br (quality ${quality})`;
    bench.add(name, () => {
      bytes.set(name, brotliCompressSync(csv, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } }).byteLength);
    });
  }
  for (const level of [6, 9]) {
    const name = `csv → gzip (level ${level})`;
    bench.add(name, () => {
      bytes.set(name, gzipSync(csv, { level }).byteLength);
    });
  }
  await bench.run();
  const mean = (name: string): number =>
    (bench.tasks.find((t) => t.name === name)?.result as { latency?: { mean?: number } } | undefined)?.latency?.mean ?? Number.NaN;
  const csvMs = mean("csv");
  const csvBytes = bytes.get("csv") ?? Number.NaN;
  console.log(`table: ${table.rowCount} rows × ${table.columns.length} columns`);
  for (const task of bench.tasks) {
    const ms = mean(task.name);
    const size = bytes.get(task.name) ?? Number.NaN;
    console.log(
      `${task.name.padEnd(22)} ${ms.toFixed(2).padStart(8)} ms  (${(ms / csvMs).toFixed(2)}× csv)  ` +
        `${(size / 1024).toFixed(0).padStart(6)} KiB  (${(size / csvBytes).toFixed(2)}× csv)`,
    );
  }
}

await main();
