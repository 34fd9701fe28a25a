import { makeTable, type Table } from "../../src/io/table.js";

/** One table with every awkward case the writers must handle: it backs the golden files. */
export function sampleTable(): Table {
  return makeTable("sample", [
    { name: "municipality", type: "string", values: ["Ærø", "Lolland, Falster", 'The "Isle"', "Two\nlines", ""] },
    { name: "code", type: "int", values: [492, 360, 0, -7, 2_147_483_647] },
    { name: "residents", type: "int", unit: "persons", values: [5_766, 39_847, 0, 1_234_567, 12] },
    { name: "need", type: "float", unit: "capacities", decimals: 2, values: [3.6041666666666665, 27.25, 0, -0.004, 1e21] },
    { name: "averageWeight", type: "float", decimals: 3, nullable: true, values: [1.25, null, 0.1 + 0.2, 1e-7, 1] },
  ]);
}
