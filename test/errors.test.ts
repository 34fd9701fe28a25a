import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, FordelingError, errorFromWire } from "../src/errors.js";
import { PACKAGE_ROOT } from "../src/paths.js";

describe("FordelingError", () => {
  it("keeps docs/ERRORS.md in sync with the table of codes", () => {
    const doc = readFileSync(`${PACKAGE_ROOT}/docs/ERRORS.md`, "utf8");
    const rows = [...doc.matchAll(/^\| (FD_ERR_\w+) \| (\d+) \| (\d+) \| (.+) \|$/gmu)].map((m) => ({
      code: m[1],
      exitCode: Number(m[2]),
      httpStatus: Number(m[3]),
      summary: m[4],
    }));
    const expected = Object.entries(ERROR_CODES).map(([code, v]) => ({ code, ...v }));
    expect(rows).toEqual(expected);
  });

  it("names file, row and column in its message", () => {
    const error = new FordelingError("FD_ERR_BAD_VALUE", "200 is out of range", { file: "p.csv", row: 7, column: "age" });
    expect(error.message).toBe("p.csv, row 7, column 'age': 200 is out of range");
    expect(error.exitCode).toBe(3);
  });

  it("survives the thread boundary as plain data", () => {
    const error = new FordelingError("FD_ERR_KERNEL", "status 3", { row: 4 });
    const wire = structuredClone(error.toWire());
    const rebuilt = errorFromWire(wire);
    expect(rebuilt).toBeInstanceOf(FordelingError);
    expect(rebuilt.code).toBe("FD_ERR_KERNEL");
    expect(rebuilt.message).toBe(error.message);
  });
});
