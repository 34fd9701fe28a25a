import { describe, expect, it } from "vitest";
import { FordelingError } from "../../src/errors.js";
import { makeTable, pickColumns, recordAt, tableFromRecords } from "../../src/io/table.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof FordelingError ? `${error.code} ${error.message}` : String(error);
  }
  return undefined;
}

describe("makeTable", () => {
  it("accepts a table with no columns as zero rows", () => {
    expect(makeTable("none", []).rowCount).toBe(0);
  });

  it("refuses NaN and Infinity, naming table, column and row", () => {
    expect(codeOf(() => makeTable("t", [{ name: "need", type: "float", values: [1, Number.NaN] }]))).toBe(
      "FD_ERR_INTERNAL row 1, column 'need': table 't': NaN is not a finite number",
    );
    expect(codeOf(() => makeTable("t", [{ name: "need", type: "float", values: [Infinity] }]))).toMatch(/Infinity/u);
  });

  it("refuses null unless the column is declared nullable", () => {
    expect(codeOf(() => makeTable("t", [{ name: "w", type: "float", values: [null] }]))).toMatch(/not nullable/u);
    expect(makeTable("t", [{ name: "w", type: "float", nullable: true, values: [null] }]).rowCount).toBe(1);
  });

  it("refuses fractions and values outside int32 in int columns", () => {
    expect(codeOf(() => makeTable("t", [{ name: "n", type: "int", values: [1.5] }]))).toMatch(/whole number/u);
    expect(codeOf(() => makeTable("t", [{ name: "n", type: "int", values: [2 ** 31] }]))).toMatch(/int32/u);
  });

  it("refuses columns of unequal length and repeated names", () => {
    expect(
      codeOf(() =>
        makeTable("t", [
          { name: "a", type: "int", values: [1, 2] },
          { name: "b", type: "int", values: [1] },
        ]),
      ),
    ).toMatch(/has 1 values, the table has 2 rows/u);
    expect(
      codeOf(() =>
        makeTable("t", [
          { name: "a", type: "int", values: [1] },
          { name: "a", type: "int", values: [1] },
        ]),
      ),
    ).toMatch(/appears twice/u);
  });

  it("builds columns from records and picks a subset in a new order", () => {
    const table = tableFromRecords(
      "areas",
      [
        { id: "x", n: 2, w: 1.5 },
        { id: "y", n: 3, w: 0.5 },
      ],
      [
        { name: "id", type: "string", value: (r) => r.id },
        { name: "residents", type: "int", value: (r) => r.n },
        { name: "weight", type: "float", value: (r) => r.w },
      ],
    );
    expect(recordAt(table, 1)).toEqual({ id: "y", residents: 3, weight: 0.5 });
    expect(pickColumns(table, ["weight", "id"]).columns.map((c) => c.name)).toEqual(["weight", "id"]);
    expect(codeOf(() => pickColumns(table, ["nope"]))).toMatch(/no column 'nope'/u);
  });
});
