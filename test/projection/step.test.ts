import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultWeightTable, residentWeight, ageGroupByAge } from "../../src/model/weightTable.js";
import { columnsView, makeProjectionMemory, planProjectionMemory } from "../../src/projection/arena.js";
import type { ResidentRates } from "../../src/projection/rates.js";
import { instantiateStepKernel } from "../../src/projection/stepKernel.js";
import {
  CELLS,
  GONE,
  STEP_MUNICIPALITIES,
  codeChronic,
  codeCivil,
  codeEducation,
  codeLabour,
  codeMenapt,
  codePsychiatric,
  codeSex,
  sumsLength,
  allocateStepColumns,
  type StepColumns,
} from "../../src/projection/stepLayout.js";
import { makeStepTableViews, stepYearReference } from "../../src/projection/stepReference.js";
import { encodeStepTables } from "../../src/projection/tables.js";
import { triple32 } from "../../src/projection/rng.js";

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

function randomColumns(rows: number, seed: number): StepColumns {
  const cols = allocateStepColumns(rows);
  let s = seed >>> 0;
  const next = (n: number): number => (s = triple32(s + 0x9e37)) % n;
  for (let i = 0; i < rows; i++) {
    cols.age[i] = i % 97 === 0 ? 110 : next(111);
    cols.code[i] = next(2048);
    // Grouped by municipality like a generated population, with a few out-of-order rows.
    cols.muni[i] = i % 50 === 0 ? next(98) : Math.floor((i / rows) * 98);
    cols.clinic[i] = next(40);
  }
  return cols;
}

function copyInto(target: StepColumns, source: StepColumns, rows: number): void {
  target.age.set(source.age.subarray(0, rows));
  target.code.set(source.code.subarray(0, rows));
  target.muni.set(source.muni.subarray(0, rows));
  target.clinic.set(source.clinic.subarray(0, rows));
}

describe("resident step: WASM kernel against the TS reference", () => {
  it("agrees bit for bit on columns and sums over three years, copy-on-step then in place", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 3000 }), (seed, rows) => {
        const clinicSlots = 41;
        const years = 3;
        const layout = planProjectionMemory(rows, years, 1, clinicSlots);
        const memory = makeProjectionMemory(layout);
        const kernel = instantiateStepKernel(memory);
        const slot = layout.slots[0]!;
        const base = randomColumns(rows, seed);
        copyInto(columnsView(memory.buffer, layout.base), base, rows);
        const views = makeStepTableViews(memory.buffer, slot.tables);
        encodeStepTables(randomRates(seed), defaultWeightTable(), views);

        const ref = allocateStepColumns(layout.capacity);
        let refRows = rows;
        let wasmRows = rows;
        for (let year = 0; year < years; year++) {
          const key = triple32(seed + year);
          const sumsAt = slot.sums + year * slot.sumsBytesPerYear;
          const refSums = new Float64Array(sumsLength(clinicSlots));
          refRows = stepYearReference(year === 0 ? base : ref, refRows, ref, layout.capacity, views, refSums, clinicSlots, key, 31890);
          wasmRows = kernel.step(year === 0 ? layout.base : slot.columns, wasmRows, slot.columns, slot.tables, sumsAt, clinicSlots, key, 31890);
          expect(wasmRows).toBe(refRows);
          expect(new Float64Array(memory.buffer, sumsAt, refSums.length)).toEqual(refSums);
        }
        const got = columnsView(memory.buffer, slot.columns);
        for (let i = 0; i < refRows; i++) {
          if (ref.age[i] !== got.age[i]) throw new Error(`age differs at row ${i}`);
          if (ref.age[i] === GONE) continue;
          if (ref.code[i] !== got.code[i] || ref.muni[i] !== got.muni[i] || ref.clinic[i] !== got.clinic[i]) throw new Error(`row ${i} differs`);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("weighs every resident as residentWeight does, to rounding", () => {
    const table = defaultWeightTable();
    const layout = planProjectionMemory(1, 1, 1, 1);
    const memory = makeProjectionMemory(layout);
    const views = makeStepTableViews(memory.buffer, layout.slots[0]!.tables);
    encodeStepTables(randomRates(1), table, views);
    const groups = ageGroupByAge(table);
    for (let age = 0; age <= 110; age += 7) {
      for (let code = 0; code < 2048; code++) {
        const expected = residentWeight(
          table, groups[age] ?? 0, codeSex(code), codeCivil(code), codeEducation(code), codeChronic(code),
          codePsychiatric(code), codeMenapt(code), codeLabour(code),
        );
        const got = (views.f64[(views.f64.length - 1024 - 222) + codeSex(code) * 111 + age] ?? 0) + (views.f64[views.f64.length - 1024 + (code & 0x3ff)] ?? 0);
        expect(Math.abs(got - expected)).toBeLessThan(1e-14);
      }
    }
  });
});
