import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { defaultWeightTable, type WeightTable } from "../../src/model/weightTable.js";
import { allocateResidentColumns, MAX_AGE_YEARS, RESIDENT_COLUMNS, type ResidentColumns } from "../../src/population/schema.js";
import { placeColumns, weighPlaced } from "../../src/kernel/weigh/host.js";
import { weighColumnsReference } from "../../src/kernel/weigh/reference.js";
import type { WeighSums } from "../../src/kernel/weigh/types.js";
import { columnsFromRows, groupByMunicipality, residentArbitrary, seededColumns, sortedBySexAndAge } from "./fixtures.js";

const geography = defaultGeography();
const table = defaultWeightTable();

/** Kernel and reference over the same columns; throws unless both succeed. */
function both(columns: ResidentColumns, weightTable: WeightTable = table) {
  const rows = columns.municipalityCode.length;
  const placed = placeColumns(columns, weightTable, geography, { weights: rows > 0 });
  const kernel = weighPlaced(placed, geography);
  const referenceWeights = new Float64Array(rows);
  const reference = weighColumnsReference(columns, weightTable, geography, referenceWeights);
  const kernelWeights = rows > 0 ? placed.arena.float64(placed.weights, rows) : new Float64Array(0);
  return { kernel, reference, kernelWeights, referenceWeights };
}

/** Index of the first element whose bits differ, or −1 (toEqual on 65,536-element arrays is slow). */
function firstBitDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** The reference adds in the kernel's order (docs/ABI.md), so a single-threaded pass agrees bit for bit. */
function expectSumsAgree(a: WeighSums, b: WeighSums): void {
  for (const area of ["municipality", "council", "clinic"] as const) {
    expect(firstBitDifference(a[area].residents, b[area].residents), `${area} residents`).toBe(-1);
    expect(firstBitDifference(a[area].weightSum, b[area].weightSum), `${area} Σw`).toBe(-1);
    expect(firstBitDifference(a[area].weightSquaredSum, b[area].weightSquaredSum), `${area} Σw²`).toBe(-1);
  }
  expect(a.totalResidents).toBe(b.totalResidents);
  expect(Object.is(a.totalWeight, b.totalWeight)).toBe(true);
}

function expectBitIdentical(a: Float64Array, b: Float64Array): void {
  expect(firstBitDifference(a, b)).toBe(-1);
}

describe("weighting kernel vs the TypeScript reference", () => {
  it("weighs an empty range to zero sums", () => {
    const { kernel, reference } = both(allocateResidentColumns(0));
    expect(kernel.ok && reference.ok).toBe(true);
    if (kernel.ok && reference.ok) {
      expect(kernel.sums.totalResidents).toBe(0);
      expectSumsAgree(kernel.sums, reference.sums);
    }
  });

  it("weighs every combination of codes at ages 0, 1, 109 and 110 bit for bit as residentWeight", () => {
    const ages = [0, 1, 109, MAX_AGE_YEARS];
    const rows = ages.length * 2 * 1024;
    const columns = allocateResidentColumns(rows);
    let r = 0;
    for (const age of ages) {
      for (let sex = 0; sex < 2; sex++) {
        for (let code = 0; code < 1024; code++, r++) {
          columns.municipalityCode[r] = 101;
          columns.sex[r] = sex;
          columns.ageYears[r] = age;
          columns.civilStatus[r] = code >> 8;
          columns.education[r] = (code >> 6) & 3;
          columns.chronicDiseaseCount[r] = (code >> 3) & 7;
          columns.psychiatric[r] = (code >> 2) & 1;
          columns.menapt[r] = (code >> 1) & 1;
          columns.outsideLabourMarket[r] = code & 1;
          columns.clinicId[r] = code;
        }
      }
    }
    const { kernel, reference, kernelWeights, referenceWeights } = both(columns);
    expectBitIdentical(kernelWeights, referenceWeights);
    if (!kernel.ok || !reference.ok) throw new Error("both must succeed");
    expectSumsAgree(kernel.sums, reference.sums);
  });

  it("agrees on random populations, grouped by municipality or not (property)", () => {
    fc.assert(
      fc.property(fc.array(residentArbitrary, { maxLength: 300 }), fc.boolean(), (rows, grouped) => {
        const columns = columnsFromRows(grouped ? groupByMunicipality(rows) : rows);
        const { kernel, reference, kernelWeights, referenceWeights } = both(columns);
        expectBitIdentical(kernelWeights, referenceWeights);
        if (!kernel.ok || !reference.ok) throw new Error("both must succeed");
        expectSumsAgree(kernel.sums, reference.sums);
      }),
      { numRuns: 60 },
    );
  });

  it("agrees on long runs of few municipalities, the 16-row SIMD path (property)", () => {
    // size "max": fast-check's default size keeps arrays near their minimum length, whose runs
    // of three municipalities would be too short for a 16-row block.
    const fewMunicipalities = fc.record({ code: fc.constantFrom(101, 147, 860), row: residentArbitrary });
    fc.assert(
      fc.property(fc.array(fewMunicipalities, { minLength: 16, maxLength: 700, size: "max" }), (draws) => {
        const columns = columnsFromRows(groupByMunicipality(draws.map((d) => ({ ...d.row, municipalityCode: d.code }))));
        const { kernel, reference, kernelWeights, referenceWeights } = both(columns);
        expectBitIdentical(kernelWeights, referenceWeights);
        if (!kernel.ok || !reference.ok) throw new Error("both must succeed");
        expectSumsAgree(kernel.sums, reference.sums);
      }),
      // Shrinking arrays of up to 700 rows takes minutes; the failing case is reported as drawn.
      { numRuns: 40, endOnFailure: true },
    );
  });

  it("agrees for any weight table, not only the default one (property)", () => {
    // Weights stay positive (base ≥ 2, each of at most six negative terms ≥ −0.3), as in any real
    // table: sums without cancellation, so 1e-12 relative is a fair bound.
    const weight = fc.double({ min: -0.3, max: 5, noNaN: true });
    const tableArbitrary = fc.record({
      bounds: fc.uniqueArray(fc.integer({ min: 1, max: MAX_AGE_YEARS }), { maxLength: 30 }),
      man: fc.array(fc.double({ min: 2, max: 20, noNaN: true }), { minLength: 31, maxLength: 31 }),
      woman: fc.array(fc.double({ min: 2, max: 20, noNaN: true }), { minLength: 31, maxLength: 31 }),
      contributions: fc.array(weight, { minLength: 7, maxLength: 7 }),
      chronic: fc.array(weight, { minLength: 8, maxLength: 8 }),
    });
    const columns = seededColumns(2_000, 11);
    fc.assert(
      fc.property(tableArbitrary, (t) => {
        const bounds = [0, ...t.bounds.sort((a, b) => a - b)];
        const [widowed, divorced, primarySchoolOnly, longHigherEducation, psychiatric, menapt, outsideLabourMarket] = t.contributions as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        const weightTable: WeightTable = {
          ...table,
          id: "random",
          ageGroupLowerBounds: bounds,
          baseWeight: { man: t.man.slice(0, bounds.length), woman: t.woman.slice(0, bounds.length) },
          contributions: {
            widowed,
            divorced,
            primarySchoolOnly,
            longHigherEducation,
            chronicDiseasesByCount: t.chronic,
            psychiatric,
            menapt,
            outsideLabourMarket,
          },
        };
        const { kernel, reference, kernelWeights, referenceWeights } = both(columns, weightTable);
        expectBitIdentical(kernelWeights, referenceWeights);
        if (!kernel.ok || !reference.ok) throw new Error("both must succeed");
        expectSumsAgree(kernel.sums, reference.sums);
      }),
      { numRuns: 25 },
    );
  });

  it("agrees on rows sorted by sex and age within each municipality, as generated files are, for any age groups (property)", () => {
    // Sorted ages put most 16-row blocks on one age (one group lookup); the blocks where the age
    // changes take the swizzle path. Random bounds put group edges anywhere.
    const drawn = seededColumns(3_000, 17);
    drawn.municipalityCode.forEach((_, r) => {
      drawn.municipalityCode[r] = [101, 147, 860][r % 3] ?? 101;
      drawn.ageYears[r] = Math.floor((drawn.ageYears[r] ?? 0) / 10) * 10;
    });
    // About 40 rows per municipality, sex and age: runs of one age longer than a block.
    const columns = sortedBySexAndAge(drawn);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: MAX_AGE_YEARS }), { maxLength: 40 }), (inner) => {
        const bounds = [0, ...inner.sort((a, b) => a - b)];
        const weightTable: WeightTable = {
          ...table,
          id: "random-groups",
          ageGroupLowerBounds: bounds,
          baseWeight: { man: bounds.map((b) => 0.5 + b / 64), woman: bounds.map((b) => 0.7 + b / 50) },
        };
        const { kernel, reference, kernelWeights, referenceWeights } = both(columns, weightTable);
        expectBitIdentical(kernelWeights, referenceWeights);
        if (!kernel.ok || !reference.ok) throw new Error("both must succeed");
        expectSumsAgree(kernel.sums, reference.sums);
      }),
      { numRuns: 20 },
    );
  });

  it("ends a municipality run at each call boundary (65,536 rows) the same way as the reference", () => {
    const columns = seededColumns(70_000, 23);
    columns.municipalityCode.fill(147);
    const { kernel, reference } = both(columns);
    if (!kernel.ok || !reference.ok) throw new Error("both must succeed");
    expect(kernel.sums.totalResidents).toBe(70_000);
    expectSumsAgree(kernel.sums, reference.sums);
  });

  it("counts residents with no clinic in slot 65535", () => {
    const columns = seededColumns(1_000, 5);
    columns.clinicId.fill(0xffff, 0, 100);
    const { kernel } = both(columns);
    if (!kernel.ok) throw new Error("kernel must succeed");
    expect(kernel.sums.clinic.residents[0xffff]).toBeGreaterThanOrEqual(100);
  });
});

describe("weighting kernel on bad values", () => {
  const limits = RESIDENT_COLUMNS.slice(1, 9).map((spec, i) => ({ spec, status: i + 2, bad: spec.max + 1 }));

  it("reports the status and first row of an out-of-range code in any column, like the reference (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: limits.length - 1 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 - 111 }),
        fc.boolean(),
        (which, rows, at, excess, oneMunicipality) => {
          const { spec, status, bad } = limits[which]!;
          const columns = seededColumns(rows, 3);
          // One municipality puts the bad value inside a 16-row SIMD block.
          if (oneMunicipality) columns.municipalityCode.fill(147);
          const row = at % rows;
          columns[spec.name][row] = Math.min(255, bad + excess);
          const { kernel, reference } = both(columns);
          expect(kernel).toEqual({ ok: false, status, row });
          expect(reference).toEqual(kernel);
        },
      ),
      { numRuns: 80 },
    );
  });

  it.each([0, 100, 102, 999, 1023, 1024, 65_535])("rejects municipality code %i as unknown, with its row", (code) => {
    const columns = seededColumns(100, 2);
    columns.municipalityCode[37] = code;
    const { kernel, reference } = both(columns);
    expect(kernel).toEqual({ ok: false, status: 1, row: 37 });
    expect(reference).toEqual(kernel);
  });

  it("reports the earlier of two bad rows, and the first bad column within a row", () => {
    const columns = seededColumns(64, 9);
    columns.education[40] = 9;
    columns.ageYears[20] = 111;
    columns.outsideLabourMarket[20] = 2;
    expect(both(columns).kernel).toEqual({ ok: false, status: 3, row: 20 });
  });
});

describe("weight tables for the kernel", () => {
  it("rejects a table with a missing age group before any kernel runs, naming the field", () => {
    const broken = structuredClone(table);
    broken.baseWeight.woman.pop();
    expect(() => placeColumns(seededColumns(10), broken, geography)).toThrow(
      expect.objectContaining({ code: "FD_ERR_WEIGHT_TABLE", location: expect.objectContaining({ field: "/baseWeight/woman" }) }),
    );
  });

  it("rejects a contribution that is not a finite number", () => {
    const broken = structuredClone(table);
    broken.contributions.menapt = Number.NaN;
    expect(() => placeColumns(seededColumns(10), broken, geography)).toThrow(expect.objectContaining({ code: "FD_ERR_WEIGHT_TABLE" }));
  });
});
