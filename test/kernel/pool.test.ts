import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeKernelMemory } from "../../src/kernel/memory.js";
import { makeKernelPool, openKernelPoolCount } from "../../src/kernel/pool.js";
import { WEIGH_WORKER_FILE } from "../../src/kernel/weigh/file.js";
import type { WeighTask } from "../../src/kernel/weigh/worker.js";

const fixtures = join(fileURLToPath(new URL(".", import.meta.url)), "poolFixtures");

describe("kernel pool", () => {
  it("stops a worker whose task does not finish in time, and closes", async () => {
    const pool = makeKernelPool({
      filename: join(fixtures, "hangingWorker.mjs"),
      memory: makeKernelMemory(65_536),
      threads: 1,
      taskTimeoutMs: 300,
    });
    await expect(pool.runAll([{}])).rejects.toMatchObject({
      code: "FD_ERR_WORKER",
      message: expect.stringMatching(/did not finish within 300 ms/u),
    });
    await pool.close();
    expect(openKernelPoolCount()).toBe(0);
  });

  it("reports a worker that dies mid-task as FD_ERR_WORKER", async () => {
    const pool = makeKernelPool({ filename: join(fixtures, "crashingWorker.mjs"), memory: makeKernelMemory(65_536), threads: 2 });
    try {
      await expect(pool.runAll([{}, {}])).rejects.toMatchObject({ code: "FD_ERR_WORKER" });
    } finally {
      await pool.close();
    }
    expect(openKernelPoolCount()).toBe(0);
  });

  it("turns a kernel trap (an address outside memory) into FD_ERR_KERNEL from the worker", async () => {
    const memory = makeKernelMemory(4 * 65_536);
    const pool = makeKernelPool({ filename: WEIGH_WORKER_FILE, memory, threads: 1 });
    const outside = 1 << 30;
    const task: WeighTask = {
      shard: 0,
      tables: outside,
      control: 65_536,
      statusRecord: 65_536 + 64,
      sums: 65_536 * 2,
      weights: 0,
      batches: [{ firstRow: 0, rows: 20, columns: Array<number>(10).fill(outside) }],
      segments: [{ batch: 0, rowBegin: 0, rowEnd: 20 }],
    };
    try {
      await expect(pool.runAll([task])).rejects.toMatchObject({ code: "FD_ERR_KERNEL", message: expect.stringMatching(/out of bounds/u) });
    } finally {
      await pool.close();
    }
  });

  it("names a worker module that has not been built", () => {
    expect(() => makeKernelPool({ filename: join(fixtures, "absent.js"), memory: makeKernelMemory(65_536), threads: 1 })).toThrow(
      expect.objectContaining({ code: "FD_ERR_WORKER", message: expect.stringMatching(/npm run build/u) }),
    );
    expect(openKernelPoolCount()).toBe(0);
  });

  it("rejects a thread count that is not a whole number of at least one", () => {
    expect(() => makeKernelPool({ filename: WEIGH_WORKER_FILE, memory: makeKernelMemory(65_536), threads: 0 })).toThrow(
      expect.objectContaining({ code: "FD_ERR_ARGUMENT" }),
    );
  });
});
