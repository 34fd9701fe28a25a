import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { baselineScenario } from "../../src/model/scenario.js";
import { runProjection, type ProjectionResult } from "../../src/projection/run.js";
import { writeProjectionResult } from "../../src/projection/write.js";
import {
  REPLICATION_FILES,
  replicationDataFromIpc,
  replicationOutcomesToIpc,
  replicationParametersToIpc,
} from "../../src/results/replicationArrow.js";
import { valuesAt } from "../../src/results/replicationData.js";
import { makeSmallWorld } from "../projection/fixture.js";
import { makeReplicationData } from "./fixtures.js";

describe("per-replication tables", () => {
  it("refuses a table with a row missing, naming the expected count", () => {
    const short = tableFromArrays({
      replication: Uint32Array.of(0, 0, 1),
      year: Uint16Array.of(2025, 2025, 2025),
      level: ["council", "national", "council"],
      area_id: ["north", "DK", "north"],
      gap: Float32Array.of(1, 2, 3),
    });
    expect(() => replicationDataFromIpc(tableToIPC(short, "file"), replicationParametersToIpc(2, []))).toThrow(
      /not replications × years × areas = 4/u,
    );
  });

  it("round-trips hand-made replications in compact types", () => {
    const data = makeReplicationData({
      replications: 3,
      years: [2025, 2026, 2027],
      columns: ["need", "gap"],
      value: (c, r, y, a) => (c === "need" ? 100 + r * 10 + y + a / 4 : -r - y / 2),
      parameters: [{ key: "training.fillRate", value: (r) => 0.7 + r / 100 }],
    });
    const outcomes = replicationOutcomesToIpc(data);
    const table = tableFromIPC(outcomes);
    expect(table.numRows).toBe(3 * 3 * 2);
    expect(String(table.schema.fields.find((f) => f.name === "need")?.type)).toBe("Float32");
    expect(String(table.schema.fields.find((f) => f.name === "year")?.type)).toBe("Uint16");
    const back = replicationDataFromIpc(outcomes, replicationParametersToIpc(3, data.parameters));
    expect(back.years).toEqual([2025, 2026, 2027]);
    expect(back.areas.map((a) => a.id)).toEqual(["north", "DK"]);
    expect([...valuesAt(back, "need", 2, 1)]).toEqual([102.25, 112.25, 122.25]);
    expect([...(back.parameters[0]?.values ?? [])]).toEqual([0.7, 0.71, 0.72]);
  });
});

describe("a projection's per-replication tables", () => {
  let world: Awaited<ReturnType<typeof makeSmallWorld>>;
  let result: ProjectionResult;
  beforeAll(async () => {
    world = await makeSmallWorld();
    result = await runProjection({ scenario: baselineScenario(), replications: 5, seed: 3, horizonYear: 2027, ...world, threads: 2 });
  });
  afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

  it("are written with the result and agree with its summary means", async () => {
    const out = join(world.dir, "result");
    await writeProjectionResult(result, out);
    const data = replicationDataFromIpc(
      readFileSync(join(out, REPLICATION_FILES.outcomes)),
      readFileSync(join(out, REPLICATION_FILES.parameters)),
    );
    expect(data.replications).toBe(5);
    expect(data.areas).toHaveLength(18);
    expect(data.parameters.map((p) => p.key)).toContain("training.fillRate");
    // The councils' and the nation's summaries of stored metrics are computed from these very values.
    const column = (table: typeof result.tables.national, name: string) => table.columns.find((c) => c.name === name)?.values as number[];
    const national = result.tables.national;
    data.years.forEach((_, y) => {
      for (const [metric, summary] of [
        ["gap", "gap_mean"],
        ["need", "need_mean"],
        ["residents_without_gp", "without_gp_mean"],
      ] as const) {
        const values = valuesAt(data, metric, y, data.areas.length - 1);
        expect(values.reduce((s, v) => s + v, 0) / values.length).toBe(column(national, summary)[y]);
      }
      const sorted = valuesAt(data, "supply", y, 0).sort();
      expect(column(result.tables.council, "supply_p50")[y]).toBe(sorted[2]);
    });
  });

  it("record supply flows that add up to each year's supply change", () => {
    const data = result.replications;
    for (let a = 0; a < data.areas.length; a++) {
      for (let r = 0; r < data.replications; r++) {
        for (let y = 1; y < data.years.length; y++) {
          const at = (yy: number): number => (r * data.years.length + yy) * data.areas.length + a;
          const m = (c: string, yy: number): number => data.metrics.get(c)?.[at(yy)] ?? Number.NaN;
          const change = m("supply", y) - m("supply", y - 1);
          const delta = (c: string): number => m(c, y) - m(c, y - 1);
          const flows =
            m("gp_entrant_capacities", y) +
            m("gp_mover_capacities_net", y) -
            m("gp_retired_capacities", y) +
            delta("tendered_supply") +
            delta("temporary_supply");
          expect(flows).toBeCloseTo(change, 3);
        }
      }
    }
  });
});
