import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortByMunicipalityAndClinic } from "../../src/projection/basePopulation.js";
import { allocateStepColumns } from "../../src/kernel/step/layout.js";

describe("base row order", () => {
  it("sorts rows by municipality, then clinic, keeping the file order within a clinic", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 97 }), fc.integer({ min: 0, max: 9 })), { minLength: 0, maxLength: 300 }),
        (pairs) => {
          const rows = pairs.length;
          const columns = allocateStepColumns(rows);
          pairs.forEach(([m, c], i) => {
            columns.muni[i] = m;
            columns.clinic[i] = c;
            columns.code[i] = i; // the original row, to check stability
            columns.age[i] = i % 111;
          });
          const sorted = sortByMunicipalityAndClinic(columns, rows, 10);
          const key = (i: number): number => (sorted.muni[i] ?? 0) * 10 + (sorted.clinic[i] ?? 0);
          for (let i = 1; i < rows; i++) {
            expect(key(i)).toBeGreaterThanOrEqual(key(i - 1));
            if (key(i) === key(i - 1)) expect(sorted.code[i]).toBeGreaterThan(sorted.code[i - 1] ?? 0);
          }
          expect([...sorted.code].sort((a, b) => a - b)).toEqual(pairs.map((_, i) => i));
          for (let i = 0; i < rows; i++) expect(sorted.age[i]).toBe((sorted.code[i] ?? 0) % 111);
        },
      ),
      { numRuns: 100 },
    );
  });
});
