import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Int32, tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { defaultGeography } from "../../../src/geo/geography.js";
import { defaultWeightTable } from "../../../src/model/weightTable.js";
import { openKernelPoolCount } from "../../../src/kernel/pool.js";
import type { WeighSums } from "../../../src/kernel/weigh/types.js";
import { weighPopulationFile, type WeighOptions } from "../../../src/kernel/weigh/file.js";
import { weighColumnsReference } from "../../../src/kernel/weigh/reference.js";
import { maxRelativeDifference, seededColumns } from "../fixtures.js";
import { writePopulationFile } from "./arrowFiles.js";

const geography = defaultGeography();
const weightTable = defaultWeightTable();
const dir = mkdtempSync(join(tmpdir(), "fordeling-weigh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 20_011;
const columns = seededColumns(ROWS, 42);
const populationFile = writePopulationFile(join(dir, "population.arrow"), columns, { batchRows: 3_000 });
const weigh = (overrides: Partial<WeighOptions> = {}): Promise<WeighSums> =>
  weighPopulationFile({ populationFile, weightTable, geography, threads: 2, ...overrides });

/** Every Float64 of the sums as raw bytes, so equality means equal bits. */
function sumBits(sums: WeighSums): Buffer {
  const arrays = (["municipality", "council", "clinic"] as const).flatMap((a) => [
    sums[a].residents,
    sums[a].weightSum,
    sums[a].weightSquaredSum,
  ]);
  return Buffer.concat([
    ...arrays.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)),
    Buffer.from(new Float64Array([sums.totalResidents, sums.totalWeight]).buffer),
  ]);
}

describe("weighPopulationFile", () => {
  it("matches the reference on a file of several record batches, and writes weights row for row", async () => {
    const out = join(dir, "weights.arrow");
    const progress: number[] = [];
    const sums = await weigh({ residentWeightsOut: out, onProgress: (done, total) => progress.push(done / total) });
    const referenceWeights = new Float64Array(ROWS);
    const reference = weighColumnsReference(columns, weightTable, geography, referenceWeights);
    if (!reference.ok) throw new Error("the reference must succeed");
    for (const area of ["municipality", "council", "clinic"] as const) {
      expect(maxRelativeDifference(sums[area].weightSum, reference.sums[area].weightSum), area).toBeLessThanOrEqual(1e-12);
      expect(maxRelativeDifference(sums[area].residents, reference.sums[area].residents), area).toBe(0);
    }
    expect(sums.totalResidents).toBe(ROWS);
    const written = tableFromIPC(readFileSync(out));
    expect(written.numRows).toBe(ROWS);
    const weights = written.getChild("weight")?.toArray() as Float64Array | undefined;
    expect(Buffer.from(weights?.buffer ?? new ArrayBuffer(0))).toEqual(Buffer.from(referenceWeights.buffer));
    expect(progress.at(-1)).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("splits each clinic's weighted list by the patients' municipality, exactly as the reference weights sum", async () => {
    const sums = await weigh({ clinicWeightsByMunicipality: true });
    const split = sums.clinicByMunicipality;
    if (split === undefined) throw new Error("asked for the split");
    const referenceWeights = new Float64Array(ROWS);
    weighColumnsReference(columns, weightTable, geography, referenceWeights);
    const expected = new Map<string, number>();
    for (let i = 0; i < ROWS; i++) {
      const key = `${columns.clinicId[i]}:${geography.municipalityIndexByCode[columns.municipalityCode[i] ?? 0]}`;
      expected.set(key, (expected.get(key) ?? 0) + (referenceWeights[i] ?? 0));
    }
    expect(split.clinicId.length).toBe(expected.size);
    split.clinicId.forEach((k, e) => {
      expect(split.weightSum[e]).toBeCloseTo(expected.get(`${k}:${split.municipalityIndex[e]}`) ?? Number.NaN, 9);
      if (e > 0)
        expect(k * 128 + (split.municipalityIndex[e] ?? 0)).toBeGreaterThan(
          (split.clinicId[e - 1] ?? 0) * 128 + (split.municipalityIndex[e - 1] ?? 0),
        );
    });
    expect(sums.clinicByMunicipality).toBeDefined();
    expect((await weigh()).clinicByMunicipality).toBeUndefined();
  });

  it("gives bit-identical sums for 1, 2 and 4 threads", async () => {
    const [one, two, four] = await Promise.all([weigh({ threads: 1 }), weigh({ threads: 2 }), weigh({ threads: 4 })]);
    expect(sumBits(two!).equals(sumBits(one!))).toBe(true);
    expect(sumBits(four!).equals(sumBits(one!))).toBe(true);
  });

  it("reads the Arrow stream format as well as the file format", async () => {
    // Same batches, so the same additions in the same order: equal bits.
    const stream = writePopulationFile(join(dir, "population.arrows"), columns, { batchRows: 3_000, format: "stream" });
    const [fromStream, fromFile] = await Promise.all([weigh({ populationFile: stream }), weigh()]);
    expect(sumBits(fromStream).equals(sumBits(fromFile))).toBe(true);
  });

  it("weighs a population file without residents to zero sums", async () => {
    const file = writePopulationFile(join(dir, "empty-population.arrow"), seededColumns(0));
    const sums = await weigh({ populationFile: file, residentWeightsOut: join(dir, "empty-weights.arrow") });
    expect(sums.totalResidents).toBe(0);
    expect(sums.council.weightSum.every((x) => x === 0)).toBe(true);
    expect(tableFromIPC(readFileSync(join(dir, "empty-weights.arrow"))).numRows).toBe(0);
  });

  it("names a missing column", async () => {
    const file = writePopulationFile(join(dir, "no-menapt.arrow"), seededColumns(50), { fieldOverrides: { menapt: null } });
    await expect(weigh({ populationFile: file })).rejects.toMatchObject({
      code: "FD_ERR_SCHEMA_MISMATCH",
      location: { file, column: "menapt" },
    });
  });

  it("names a column of the wrong type and the type expected", async () => {
    const file = writePopulationFile(join(dir, "int32-age.arrow"), seededColumns(50), {
      fieldOverrides: { ageYears: { type: new Int32(), data: new Int32Array(50).fill(40) } },
    });
    await expect(weigh({ populationFile: file })).rejects.toMatchObject({
      code: "FD_ERR_SCHEMA_MISMATCH",
      location: { column: "ageYears" },
      message: expect.stringMatching(/Int32.*expected Uint8/u),
    });
  });

  it("names column, global row and value of an out-of-range code in a later batch", async () => {
    const bad = seededColumns(10_000, 8);
    bad.chronicDiseaseCount[7_777] = 9;
    const file = writePopulationFile(join(dir, "bad-chronic.arrow"), bad, { batchRows: 1_000 });
    await expect(weigh({ populationFile: file })).rejects.toMatchObject({
      code: "FD_ERR_BAD_VALUE",
      location: { file, column: "chronicDiseaseCount", row: 7_777 },
      message: expect.stringMatching(/value 9 is out of range; allowed 0 … 7/u),
    });
  });

  it("reports the first bad row in file order whatever the thread count", async () => {
    const bad = seededColumns(10_000, 8);
    bad.sex[9_000] = 2;
    bad.municipalityCode[1_234] = 999;
    const file = writePopulationFile(join(dir, "two-bad.arrow"), bad, { batchRows: 700 });
    for (const threads of [1, 4]) {
      await expect(weigh({ populationFile: file, threads })).rejects.toMatchObject({
        code: "FD_ERR_UNKNOWN_MUNICIPALITY",
        location: { column: "municipalityCode", row: 1_234 },
      });
    }
  });

  it("names column and row of a missing (null) value", async () => {
    const file = writePopulationFile(join(dir, "null-education.arrow"), seededColumns(5_000, 4), {
      batchRows: 2_000,
      nullAt: { column: "education", row: 4_321 },
    });
    await expect(weigh({ populationFile: file })).rejects.toMatchObject({
      code: "FD_ERR_BAD_VALUE",
      location: { file, column: "education", row: 4_321 },
    });
  });

  it("rejects a truncated file as malformed", async () => {
    const file = join(dir, "truncated.arrow");
    writeFileSync(file, readFileSync(populationFile));
    truncateSync(file, Math.floor(readFileSync(populationFile).length / 2));
    await expect(weigh({ populationFile: file })).rejects.toMatchObject({ code: "FD_ERR_ARROW_MALFORMED", location: { file } });
  });

  it("rejects an empty file and a file that is not Arrow", async () => {
    const empty = join(dir, "empty.arrow");
    writeFileSync(empty, "");
    const text = join(dir, "text.arrow");
    writeFileSync(text, "municipalityCode,sex\n101,0\n");
    await expect(weigh({ populationFile: empty })).rejects.toMatchObject({ code: "FD_ERR_ARROW_MALFORMED" });
    await expect(weigh({ populationFile: text })).rejects.toMatchObject({ code: "FD_ERR_ARROW_MALFORMED" });
  });

  it("reports a missing file", async () => {
    await expect(weigh({ populationFile: join(dir, "absent.arrow") })).rejects.toMatchObject({ code: "FD_ERR_FILE_NOT_FOUND" });
  });

  it("rejects a weight table with a missing group before starting any worker", async () => {
    const broken = structuredClone(weightTable);
    broken.baseWeight.man.pop();
    await expect(weigh({ weightTable: broken })).rejects.toMatchObject({
      code: "FD_ERR_WEIGHT_TABLE",
      location: { field: "/baseWeight/man" },
    });
  });

  it("leaves no pool open after successes and failures", () => {
    expect(openKernelPoolCount()).toBe(0);
  });
});
