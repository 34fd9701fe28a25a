import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { DEFAULT_MARGINALS_FILE, loadUnderservedFlags } from "../../src/register/underserved.js";
import { caught, writeTemp } from "./helpers.js";

const geography = defaultGeography();
const lines = readFileSync(DEFAULT_MARGINALS_FILE, "utf8").trimEnd().split(/\r?\n/u);

describe("shortage flags", () => {
  it("rejects a municipality code that is not one of the 98, naming row and column", () => {
    const file = writeTemp("m.csv", [...lines, (lines[1] ?? "").replace(/^101,/u, "102,")].join("\n"));
    expect(caught(() => loadUnderservedFlags(geography, file))).toMatchObject({
      code: "FD_ERR_UNKNOWN_MUNICIPALITY",
      location: { file, row: 100, column: "kommunekode" },
    });
  });

  it("rejects a file that leaves a municipality without a flag, naming it", () => {
    const file = writeTemp("m.csv", lines.filter((l) => !l.startsWith("147,")).join("\n"));
    const error = caught(() => loadUnderservedFlags(geography, file));
    expect(error).toMatchObject({ code: "FD_ERR_REFERENCE_DATA", location: { file, column: "plo_laegedaekningstruet_2019" } });
    expect(error.message).toMatch(/147/u);
  });

  it("flags the 42 municipalities PLO named, København and Lolland among them", () => {
    const flags = loadUnderservedFlags(geography);
    expect(flags.reduce((s, f) => s + f, 0)).toBe(42);
    for (const code of [101, 360]) expect(flags[geography.municipalityIndexByCode[code] ?? -1]).toBe(1);
  });
});
