import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultWeightTable, residentWeight, ageGroupByAge } from "../../src/model/weightTable.js";
import { columnsView, fillProjectionMemory, makeProjectionMemory, planProjectionMemory } from "../../src/kernel/step/slots.js";
import { sortByMunicipalityAndClinic } from "../../src/projection/basePopulation.js";
import type { ResidentRates } from "../../src/projection/rates.js";
import { instantiateStepKernel } from "../../src/kernel/step/kernel.js";
import {
  CELLS,
  GONE,
  STEP_MUNICIPALITIES,
  STEP_STATUS_CAPACITY,
  STEP_TABLE_BYTES,
  codeChronic,
  codeCivil,
  codeEducation,
  codeLabour,
  codeMenapt,
  codeOwnEducation,
  codePsychiatric,
  codeSex,
  packCode,
  sumsLength,
  T_BASE_W,
  T_CONTRIB,
  WEIGHT_UNITS_PER_ONE,
  allocateStepColumns,
  copyGroups,
  type StepColumns,
} from "../../src/kernel/step/layout.js";
import { makeStepTableViews, stepYearReference } from "../../src/kernel/step/reference.js";
import { encodeStepTables } from "../../src/projection/tables.js";
import { triple32 } from "../../src/kernel/rng.js";

/** Rates drawn from a seed, large enough that every event happens in a few hundred rows. */
function randomRates(seed: number): ResidentRates {
  let s = seed >>> 0;
  const u = (scale: number): number => ((s = triple32(s + 1)) / 2 ** 32) * scale;
  const fill = (n: number, scale: number): Float64Array => Float64Array.from({ length: n }, () => u(scale));
  const size = STEP_MUNICIPALITIES * CELLS;
  return {
    death: fill(size, 0.08),
    moveOut: fill(size, 0.05),
    moveIn: fill(size, 0.08),
    birth: fill(size, 0.1),
    chronic: fill(CELLS * 8, 0.1),
    civilA: fill(CELLS * 4, 0.1),
    civilB: fill(CELLS * 4, 0.05),
    labour: fill(CELLS * 2, 0.2),
    lnLevel: new Float64Array(STEP_MUNICIPALITIES * 2),
  };
}

/**
 * Grouped by municipality like a generated population, with a few out-of-order rows. `clinics`
 * per municipality: 40 gives runs of a row or two (the one-row path), 2 long runs once sorted
 * (the four-row path).
 */
function randomColumns(rows: number, seed: number, clinics = 40): StepColumns {
  const cols = allocateStepColumns(rows);
  let s = seed >>> 0;
  const next = (n: number): number => (s = triple32(s + 0x9e37)) % n;
  const municipalities = clinics === 40 ? 98 : 7;
  for (let i = 0; i < rows; i++) {
    cols.age[i] = i % 97 === 0 ? 110 : next(111);
    cols.code[i] = next(8192); // the own education class (bits 12-11) too
    cols.muni[i] = i % 50 === 0 ? next(98) : Math.floor((i / rows) * municipalities);
    cols.clinic[i] = next(clinics);
  }
  return cols;
}

describe("resident step: WASM kernel against the TS reference", () => {
  it("rejects a weight table whose weights do not fit the step's fixed point", () => {
    const table = defaultWeightTable();
    const views = makeStepTableViews(new ArrayBuffer(STEP_TABLE_BYTES));
    const huge = { ...table, contributions: { ...table.contributions, psychiatric: 40 } };
    expect(() => encodeStepTables(randomRates(1), huge, views)).toThrow(/weights from −16 to 16/u);
  });

  it("reports a scratch too small for the year's new rows, in the kernel and the reference, without writing past it", () => {
    const rows = 400;
    const clinicSlots = 41;
    const layout = planProjectionMemory(rows, 1, 1, clinicSlots);
    const memory = makeProjectionMemory(layout);
    const kernel = instantiateStepKernel(memory);
    const slot = layout.slots[0]!;
    const base = sortByMunicipalityAndClinic(randomColumns(rows, 5, 2), rows, clinicSlots);
    fillProjectionMemory(memory, layout, base);
    const views = makeStepTableViews(memory.buffer, slot.tables);
    encodeStepTables(randomRates(5), defaultWeightTable(), views);
    // Room for 3 new rows only: far fewer than the births and in-movers of 400 residents.
    const small = { ...slot.columns, rows: rows + 3 };
    const after = new Uint8Array(memory.buffer, slot.columns.age + rows + 3, 16);
    after.fill(77);
    expect(() => kernel.step(layout.base, rows, small, slot.tables, slot.sums, clinicSlots, 12345, 31890)).toThrow(/too small/u);
    expect([...after]).toEqual(new Array(16).fill(77));
    const ref = allocateStepColumns(rows + 3);
    copyGroups(base, ref, rows);
    expect(stepYearReference(base, rows, ref, rows + 3, views, new Float64Array(sumsLength(clinicSlots)), clinicSlots, 12345, 31890)).toBe(
      STEP_STATUS_CAPACITY,
    );
  });

  it("agrees bit for bit on columns and sums over three years, copy-on-step then in place, in any row order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 3000 }), fc.boolean(), (seed, rows, sorted) => {
        const clinicSlots = 41;
        const years = 3;
        const layout = planProjectionMemory(rows, years, 2, clinicSlots);
        const memory = makeProjectionMemory(layout);
        const kernel = instantiateStepKernel(memory);
        const slot = layout.slots[1]!;
        const base = sorted ? sortByMunicipalityAndClinic(randomColumns(rows, seed, 2), rows, clinicSlots) : randomColumns(rows, seed);
        fillProjectionMemory(memory, layout, base);
        const views = makeStepTableViews(memory.buffer, slot.tables);
        encodeStepTables(randomRates(seed), defaultWeightTable(), views);

        const ref = allocateStepColumns(layout.capacity);
        copyGroups(base, ref, rows);
        let refRows = rows;
        let wasmRows = rows;
        for (let year = 0; year < years; year++) {
          const key = triple32(seed + year);
          const sumsAt = slot.sums + year * slot.sumsBytesPerYear;
          const refSums = new Float64Array(sumsLength(clinicSlots));
          refRows = stepYearReference(year === 0 ? base : ref, refRows, ref, layout.capacity, views, refSums, clinicSlots, key, 31890);
          wasmRows = kernel.step(
            year === 0 ? layout.base : slot.columns,
            wasmRows,
            slot.columns,
            slot.tables,
            sumsAt,
            clinicSlots,
            key,
            31890,
          );
          expect(wasmRows).toBe(refRows);
          expect(new Float64Array(memory.buffer, sumsAt, refSums.length)).toEqual(refSums);
        }
        const got = columnsView(memory.buffer, slot.columns);
        for (let i = 0; i < refRows; i++) {
          if (ref.age[i] !== got.age[i]) throw new Error(`age differs at row ${i}`);
          if (ref.age[i] === GONE) continue;
          if (ref.code[i] !== got.code[i] || ref.muni[i] !== got.muni[i] || ref.clinic[i] !== got.clinic[i])
            throw new Error(`row ${i} differs`);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("agrees bit for bit on runs longer than the kernel's append queue (1,024 four-row groups)", () => {
    // One municipality and clinic per 6,001-row stretch: each run fills the queue more than once
    // and ends with a one-row tail; high rates make most groups append rows.
    const rows = 18_003;
    const clinicSlots = 3;
    const years = 2;
    const cols = randomColumns(rows, 11, 2);
    for (let i = 0; i < rows; i++) {
      cols.muni[i] = Math.floor(i / 6001);
      cols.clinic[i] = Math.floor(i / 6001) % 2;
    }
    const layout = planProjectionMemory(rows, years, 1, clinicSlots);
    const memory = makeProjectionMemory(layout);
    const kernel = instantiateStepKernel(memory);
    const slot = layout.slots[0]!;
    fillProjectionMemory(memory, layout, cols);
    const views = makeStepTableViews(memory.buffer, slot.tables);
    encodeStepTables(randomRates(11), defaultWeightTable(), views);
    const ref = allocateStepColumns(layout.capacity);
    copyGroups(cols, ref, rows);
    let refRows = rows;
    let wasmRows = rows;
    for (let year = 0; year < years; year++) {
      const sumsAt = slot.sums + year * slot.sumsBytesPerYear;
      const refSums = new Float64Array(sumsLength(clinicSlots));
      refRows = stepYearReference(year === 0 ? cols : ref, refRows, ref, layout.capacity, views, refSums, clinicSlots, 777 + year, 31890);
      wasmRows = kernel.step(
        year === 0 ? layout.base : slot.columns,
        wasmRows,
        slot.columns,
        slot.tables,
        sumsAt,
        clinicSlots,
        777 + year,
        31890,
      );
      expect(wasmRows).toBe(refRows);
      expect(new Float64Array(memory.buffer, sumsAt, refSums.length)).toEqual(refSums);
    }
    expect(refRows).toBeGreaterThan(rows + 1500);
    const got = columnsView(memory.buffer, slot.columns);
    for (let i = 0; i < refRows; i++) {
      if (ref.age[i] !== got.age[i]) throw new Error(`age differs at row ${i}`);
      if (ref.age[i] === GONE) continue;
      if (ref.code[i] !== got.code[i] || ref.muni[i] !== got.muni[i] || ref.clinic[i] !== got.clinic[i])
        throw new Error(`row ${i} differs`);
    }
  });

  it("switches education to the resident's own class on turning 30, in the kernel and the reference, and weighs by it", () => {
    // 11 men in one municipality and clinic: 4 + 4 rows take the four-row path, 3 the one-row path.
    // Ages 28, 29 and 30 cycle; parents' class long higher education (3), own class primary school (0).
    const rows = 11;
    const clinicSlots = 2;
    const cols = allocateStepColumns(rows);
    for (let i = 0; i < rows; i++) {
      cols.age[i] = 28 + (i % 3);
      cols.code[i] = packCode(0, 0, 3, 0, 0, 0, 0, 0);
    }
    const none = randomRates(1);
    for (const rate of [none.death, none.moveOut, none.moveIn, none.birth, none.chronic, none.civilA, none.civilB, none.labour])
      rate.fill(0);
    const layout = planProjectionMemory(rows, 1, 1, clinicSlots);
    const memory = makeProjectionMemory(layout);
    const kernel = instantiateStepKernel(memory);
    const slot = layout.slots[0]!;
    fillProjectionMemory(memory, layout, cols);
    const table = defaultWeightTable();
    const views = makeStepTableViews(memory.buffer, slot.tables);
    encodeStepTables(none, table, views);
    const ref = allocateStepColumns(layout.capacity);
    copyGroups(cols, ref, rows);
    const refSums = new Float64Array(sumsLength(clinicSlots));
    expect(stepYearReference(cols, rows, ref, layout.capacity, views, refSums, clinicSlots, 99, 31890)).toBe(rows);
    expect(kernel.step(layout.base, rows, slot.columns, slot.tables, slot.sums, clinicSlots, 99, 31890)).toBe(rows);
    const got = columnsView(memory.buffer, slot.columns);
    for (const view of [ref, got]) {
      for (let i = 0; i < rows; i++) {
        const turned = cols.age[i] === 29;
        const code = view.code[i] ?? 0;
        expect([view.age[i], codeEducation(code), codeOwnEducation(code)]).toEqual([(cols.age[i] ?? 0) + 1, turned ? 0 : 3, 0]);
      }
    }
    const group = ageGroupByAge(table)[30] ?? 0;
    const weight = (education: number): number => residentWeight(table, group, 0, 0, education, 0, 0, 0, 0);
    // Turning 30: own class. Turning 29 keeps the parents'; turning 31 keeps what it had (3, by construction here).
    const expected = [...cols.age.subarray(0, rows)].reduce(
      (s, age) => s + (age === 29 ? weight(0) : residentWeight(table, ageGroupByAge(table)[age + 1] ?? 0, 0, 0, 3, 0, 0, 0, 0)),
      0,
    );
    expect(refSums[STEP_MUNICIPALITIES]).toBeCloseTo(expected, 6);
    expect(new Float64Array(memory.buffer, slot.sums, refSums.length)).toEqual(refSums);
  });

  it("weighs every resident as residentWeight does, to the step's fixed point (2^-26)", () => {
    const table = defaultWeightTable();
    const layout = planProjectionMemory(1, 1, 1, 1);
    const memory = makeProjectionMemory(layout);
    const views = makeStepTableViews(memory.buffer, layout.slots[0]!.tables);
    encodeStepTables(randomRates(1), table, views);
    const groups = ageGroupByAge(table);
    for (let age = 0; age <= 110; age += 7) {
      for (let code = 0; code < 2048; code++) {
        const expected = residentWeight(
          table,
          groups[age] ?? 0,
          codeSex(code),
          codeCivil(code),
          codeEducation(code),
          codeChronic(code),
          codePsychiatric(code),
          codeMenapt(code),
          codeLabour(code),
        );
        const units = (views.i32[(T_BASE_W >> 2) + codeSex(code) * 111 + age] ?? 0) + (views.i32[(T_CONTRIB >> 2) + (code & 0x3ff)] ?? 0);
        expect(Number.isInteger(units)).toBe(true);
        expect(Math.abs(units / WEIGHT_UNITS_PER_ONE - expected)).toBeLessThanOrEqual(2 ** -26);
      }
    }
  });
});
