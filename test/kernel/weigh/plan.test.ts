import { afterAll, describe, expect, it } from "vitest";
import { defaultGeography } from "../../../src/geo/geography.js";
import { defaultWeightTable } from "../../../src/model/weightTable.js";
import { makeKernelPool } from "../../../src/kernel/pool.js";
import type { WeighSums } from "../../../src/kernel/weigh/types.js";
import { planWeighingColumns, reduceWeighing, runWeighing, WEIGH_WORKER_FILE } from "../../../src/kernel/weigh/plan.js";
import { seededColumns } from "../fixtures.js";

const geography = defaultGeography();
const weightTable = defaultWeightTable();

function bits(sums: WeighSums): Buffer {
  const arrays = (["municipality", "council", "clinic"] as const).flatMap((a) => [
    sums[a].residents,
    sums[a].weightSum,
    sums[a].weightSquaredSum,
  ]);
  return Buffer.concat(arrays.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)));
}

describe("a weighing plan reused pass after pass", () => {
  const columns = seededColumns(30_000, 77);
  const plan = planWeighingColumns(columns, weightTable, geography);
  const pool = makeKernelPool({ filename: WEIGH_WORKER_FILE, memory: plan.arena.memory, threads: 2 });
  afterAll(() => pool.close());

  it("gives the same bits on every pass: each shard clears exactly what it dirtied", async () => {
    expect(await runWeighing(pool, plan, "memory")).toBeUndefined();
    const first = bits(reduceWeighing(plan, geography));
    expect(await runWeighing(pool, plan, "memory")).toBeUndefined();
    expect(bits(reduceWeighing(plan, geography)).equals(first)).toBe(true);
    const fresh = planWeighingColumns(columns, weightTable, geography);
    const freshPool = makeKernelPool({ filename: WEIGH_WORKER_FILE, memory: fresh.arena.memory, threads: 1 });
    try {
      expect(await runWeighing(freshPool, fresh, "memory")).toBeUndefined();
      expect(bits(reduceWeighing(fresh, geography)).equals(first)).toBe(true);
    } finally {
      await freshPool.close();
    }
  });

  it("recovers after a pass that stopped part way at a bad value", async () => {
    await runWeighing(pool, plan, "memory");
    const clean = bits(reduceWeighing(plan, geography));
    const sexColumn = plan.batches[0]!.columns[1]!;
    plan.arena.bytes[sexColumn + 20_000] = 7;
    expect(await runWeighing(pool, plan, "memory")).toMatchObject({ code: "FD_ERR_BAD_VALUE", location: { row: 20_000, column: "sex" } });
    plan.arena.bytes[sexColumn + 20_000] = columns.sex[20_000]!;
    expect(await runWeighing(pool, plan, "memory")).toBeUndefined();
    expect(bits(reduceWeighing(plan, geography)).equals(clean)).toBe(true);
  });
});

describe("residents with no clinic", () => {
  it("are counted in slot 65535 on every pass, also when a whole shard has no clinic", async () => {
    const columns = seededColumns(16_000, 5);
    columns.clinicId.fill(0xffff, 0, 6_000);
    const plan = planWeighingColumns(columns, weightTable, geography);
    const pool = makeKernelPool({ filename: WEIGH_WORKER_FILE, memory: plan.arena.memory, threads: 2 });
    try {
      const passes: WeighSums[] = [];
      for (let pass = 0; pass < 2; pass++) {
        expect(await runWeighing(pool, plan, "memory")).toBeUndefined();
        passes.push(reduceWeighing(plan, geography));
      }
      const expected = columns.clinicId.reduce((n, id) => n + (id === 0xffff ? 1 : 0), 0);
      expect(passes.map((s) => s.clinic.residents[0xffff])).toEqual([expected, expected]);
      expect(bits(passes[1]!).equals(bits(passes[0]!))).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
