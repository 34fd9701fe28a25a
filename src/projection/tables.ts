import { ageGroupByAge, type WeightTable } from "../model/weightTable.js";
import type { ResidentRates } from "./rates.js";
import { probabilityToThreshold } from "./rng.js";
import type { StepTableViews } from "./stepReference.js";
import {
  CELLS,
  STEP_AGES,
  STEP_MUNICIPALITIES,
  T_ANY,
  T_BASE_W,
  T_CHRONIC,
  T_CIVIL_A,
  T_CIVIL_B,
  T_CONTRIB,
  T_DEMO,
  T_LABOUR,
} from "./stepLayout.js";

/** The most a resident's state-change probabilities may add up to: the draw's thresholds must not wrap. */
const MAX_STATE_CHANGE = 0.999;

/**
 * Writes one replication's rates and the weight table into the step's table block (layout in
 * assembly/step.ts). Probabilities become 32-bit thresholds on the draw; demographic events are
 * cumulative (competing risks on one draw), state changes are added by the kernel in a fixed order.
 */
export function encodeStepTables(rates: ResidentRates, weightTable: WeightTable, views: StepTableViews): void {
  const { u32, f64 } = views;
  for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
    for (let cell = 0; cell < CELLS; cell++) {
      const i = m * CELLS + cell;
      const death = rates.death[i] ?? 0;
      const out = Math.min(1, death + (rates.moveOut[i] ?? 0));
      const into = Math.min(1, out + (rates.moveIn[i] ?? 0));
      const birth = Math.min(1, into + (rates.birth[i] ?? 0));
      const at = (T_DEMO >> 2) + i * 4;
      u32[at] = probabilityToThreshold(death);
      u32[at + 1] = probabilityToThreshold(out);
      u32[at + 2] = probabilityToThreshold(into);
      u32[at + 3] = probabilityToThreshold(birth);
    }
  }
  for (let cell = 0; cell < CELLS; cell++) {
    // One scale per cell keeps every state's total below MAX_STATE_CHANGE (a no-op at real rates).
    let worst = 0;
    for (let k = 0; k < 8; k++) {
      for (let civil = 0; civil < 4; civil++) {
        for (let flag = 0; flag < 2; flag++) {
          const total =
            (k < 7 ? rates.chronic[cell * 8 + k] ?? 0 : 0) +
            (rates.civilA[cell * 4 + civil] ?? 0) +
            (rates.civilB[cell * 4 + civil] ?? 0) +
            (rates.labour[cell * 2 + flag] ?? 0);
          worst = Math.max(worst, total);
        }
      }
    }
    const scale = worst > MAX_STATE_CHANGE ? MAX_STATE_CHANGE / worst : 1;
    const chronic = Array.from({ length: 8 }, (_, k) => (k < 7 ? probabilityToThreshold((rates.chronic[cell * 8 + k] ?? 0) * scale) : 0));
    const civilA = Array.from({ length: 4 }, (_, c) => probabilityToThreshold((rates.civilA[cell * 4 + c] ?? 0) * scale));
    const civilB = Array.from({ length: 4 }, (_, c) => probabilityToThreshold((rates.civilB[cell * 4 + c] ?? 0) * scale));
    const labour = Array.from({ length: 2 }, (_, f) => probabilityToThreshold((rates.labour[cell * 2 + f] ?? 0) * scale));
    chronic.forEach((t, k) => (u32[(T_CHRONIC >> 2) + cell * 8 + k] = t));
    civilA.forEach((t, c) => (u32[(T_CIVIL_A >> 2) + cell * 4 + c] = t));
    civilB.forEach((t, c) => (u32[(T_CIVIL_B >> 2) + cell * 4 + c] = t));
    labour.forEach((t, f) => (u32[(T_LABOUR >> 2) + cell * 2 + f] = t));
    // The fast reject must bound the exact integer sums the kernel forms.
    u32[(T_ANY >> 2) + cell] = Math.max(...chronic) + Math.max(...civilA.map((a, c) => a + (civilB[c] ?? 0))) + Math.max(...labour);
  }
  const weights = makeStepWeights(weightTable);
  f64.set(weights.base, T_BASE_W >> 3);
  f64.set(weights.contributions, T_CONTRIB >> 3);
}

/**
 * A resident's weight in the step = base[sex × 111 + age] + contributions[code & 0x3ff]. The
 * contributions are summed in residentWeight's order (civil, education, chronic, psychiatric,
 * MENAPT, labour market) and then added to the base, so a weight differs from residentWeight's
 * by at most a rounding step (< 1e-15 relative), and is the same in the kernel and the reference.
 */
export function makeStepWeights(weightTable: WeightTable): { base: Float64Array; contributions: Float64Array } {
  const groups = ageGroupByAge(weightTable);
  const base = new Float64Array(2 * STEP_AGES);
  for (let sex = 0; sex < 2; sex++) {
    const table = sex === 1 ? weightTable.baseWeight.woman : weightTable.baseWeight.man;
    for (let age = 0; age < STEP_AGES; age++) base[sex * STEP_AGES + age] = table[groups[age] ?? 0] ?? Number.NaN;
  }
  const c = weightTable.contributions;
  const contributions = new Float64Array(1024);
  for (let code = 0; code < 1024; code++) {
    const civil = (code >> 8) & 3;
    const education = (code >> 6) & 3;
    let sum = civil === 3 ? c.widowed : civil === 2 ? c.divorced : 0;
    sum += education === 0 ? c.primarySchoolOnly : education === 3 ? c.longHigherEducation : 0;
    sum += c.chronicDiseasesByCount[(code >> 3) & 7] ?? Number.NaN;
    sum += (code >> 2) & 1 ? c.psychiatric : 0;
    sum += (code >> 1) & 1 ? c.menapt : 0;
    sum += code & 1 ? c.outsideLabourMarket : 0;
    contributions[code] = sum;
  }
  return { base, contributions };
}
