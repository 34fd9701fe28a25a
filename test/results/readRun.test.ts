import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { readRun } from "../../src/results/readRun.js";
import { REPLICATION_FILES, replicationOutcomesToIpc, replicationParametersToIpc } from "../../src/results/replicationArrow.js";
import { makeReplicationData, makeStoredRun } from "./fixtures.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "fd-read-run-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const codeOf = async (dir: string): Promise<string> => {
  const error = await readRun(dir).catch((e: unknown) => e);
  return error instanceof FordelingError ? error.code : "no error";
};

describe("readRun", () => {
  it("names what is wrong with a directory that is not a readable result", async () => {
    const dir = tempDir();
    expect(await codeOf(dir)).toBe("FD_ERR_FILE_NOT_FOUND");
    writeFileSync(join(dir, "manifest.json"), "{ not json");
    expect(await codeOf(dir)).toBe("FD_ERR_SCHEMA_MISMATCH");
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ kind: "something else" }));
    expect(await codeOf(dir)).toBe("FD_ERR_SCHEMA_MISMATCH");
  });

  it("refuses a result written without per-replication tables, asking for a new run", async () => {
    const dir = tempDir();
    const data = makeReplicationData({ replications: 2, years: [2025, 2026], columns: ["gap"], value: () => 1 });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(makeStoredRun("a", data).manifest));
    const error = await readRun(dir).catch((e: unknown) => e as FordelingError);
    expect(error).toMatchObject({ code: "FD_ERR_NOT_COMPARABLE" });
    expect(String(error)).toContain("run the projection again");
  });

  it("reads a manifest and both tables back", async () => {
    const dir = tempDir();
    const data = makeReplicationData({
      replications: 2,
      years: [2025, 2026],
      columns: ["gap"],
      value: (_c, r) => r,
      parameters: [{ key: "p", value: (r) => r / 2 }],
    });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(makeStoredRun("a", data).manifest));
    writeFileSync(join(dir, REPLICATION_FILES.outcomes), replicationOutcomesToIpc(data));
    writeFileSync(join(dir, REPLICATION_FILES.parameters), replicationParametersToIpc(2, data.parameters));
    const run = await readRun(dir, "run-a");
    expect(run.label).toBe("run-a");
    expect(run.data.replications).toBe(2);
    expect([...(run.data.parameters[0]?.values ?? [])]).toEqual([0, 0.5]);
  });
});
