import { readdirSync, readFileSync } from "node:fs";
import { makeTestTempDir } from "../support/tempDirs.js";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { generatePopulationColumns, generatePopulationFile } from "../../src/population/generate.js";
import { readPopulationColumns, readPopulationMetadata, summarizePopulationFile } from "../../src/population/read.js";
import { RESIDENT_COLUMNS } from "../../src/population/schema.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import type { GpRegister } from "../../src/register/types.js";

const SCALE = 0.002;
const geography = defaultGeography();
const dir = makeTestTempDir("fordeling-population-");
let register: GpRegister;

beforeAll(() => {
  register = makeSyntheticRegister(geography, { seed: 3, scale: SCALE });
});

const generate = (name: string, seed: number, batchRows = 4096): Promise<unknown> =>
  generatePopulationFile({ outFile: join(dir, name), seed, scale: SCALE, geography, register, batchRows });

describe("population files", () => {
  it("are byte-identical for the same seed and differ for another seed", async () => {
    await generate("a.arrow", 11);
    await generate("b.arrow", 11);
    await generate("c.arrow", 12);
    const a = readFileSync(join(dir, "a.arrow"));
    expect(a.equals(readFileSync(join(dir, "b.arrow")))).toBe(true);
    expect(a.equals(readFileSync(join(dir, "c.arrow")))).toBe(false);
  });

  it("hold the same residents whatever the batch size", async () => {
    await generate("small-batches.arrow", 11, 1024);
    const small = readPopulationColumns(join(dir, "small-batches.arrow"), geography);
    const large = readPopulationColumns(join(dir, "a.arrow"), geography);
    for (const spec of RESIDENT_COLUMNS) expect(small[spec.name], spec.name).toEqual(large[spec.name]);
  });

  it("round-trip through apache-arrow's tableFromIPC with the schema's names, types and values", async () => {
    const summary = await generate("round-trip.arrow", 21);
    const table = tableFromIPC(readFileSync(join(dir, "round-trip.arrow")));
    const expected = generatePopulationColumns({ seed: 21, scale: SCALE, geography, register });
    expect(table.schema.fields.map((f) => f.name)).toEqual([...RESIDENT_COLUMNS.map((c) => c.name), "location_id"]);
    expect(String(table.getChild("location_id")!.type)).toBe("Uint16");
    expect(table.batches.length).toBeGreaterThan(1);
    for (const spec of RESIDENT_COLUMNS) {
      const column = table.getChild(spec.name)!;
      expect(String(column.type), spec.name).toBe(spec.arrowType);
      expect(column.nullCount).toBe(0);
      expect(column.toArray(), spec.name).toEqual(expected[spec.name]);
    }
    expect(table.numRows).toBe((summary as { residents: number }).residents);
    expect(readPopulationMetadata(join(dir, "round-trip.arrow")).get("fordeling.seed")).toBe("21");
    expect(summarizePopulationFile(join(dir, "round-trip.arrow"), geography)).toEqual(summary);
  });

  it("leave no output and no temporary file when generation fails part-way", async () => {
    const failing = join(dir, "failing");
    const outFile = join(failing, "never.arrow");
    await expect(
      generatePopulationFile({
        outFile,
        seed: 1,
        scale: SCALE,
        geography,
        register,
        batchRows: 1024,
        onProgress: (done) => {
          if (done > 2048) throw new Error("stopped by the caller");
        },
      }),
    ).rejects.toThrow("stopped by the caller");
    expect(readdirSync(failing)).toEqual([]);
  });

  it("reject a bad seed, scale or batch size with FD_ERR_ARGUMENT before writing", async () => {
    for (const bad of [{ seed: -1 }, { seed: 1.5 }, { scale: 0 }, { scale: Number.NaN }, { batchRows: 0 }]) {
      await expect(
        generatePopulationFile({ outFile: join(dir, "bad.arrow"), seed: 1, scale: SCALE, geography, register, ...bad }),
      ).rejects.toMatchObject({ code: "FD_ERR_ARGUMENT" });
    }
    expect(readdirSync(dir)).not.toContain("bad.arrow");
  });
});
