import { FordelingError } from "../errors.js";
import { ageGroupByAge, type WeightTable } from "../model/weightTable.js";
import type { ResidentRates } from "./rates.js";
import { probabilityToThreshold } from "../kernel/rng.js";
import type { StepTableViews } from "../kernel/step/reference.js";
import {
  CELLS,
  STEP_AGES,
  STEP_MUNICIPALITIES,
  T_BASE_W,
  T_CHANGE,
  T_CONTRIB,
  T_DEMO,
  THRESHOLD_BIAS,
  WEIGHT_LIMIT,
  WEIGHT_UNITS_PER_ONE,
} from "../kernel/step/layout.js";

const biased = (threshold: number): number => (threshold ^ THRESHOLD_BIAS) >>> 0;

/** The most a resident's state-change probabilities may add up to: the draw's thresholds must not wrap. */
const MAX_STATE_CHANGE = 0.999;

/**
 * Writes one replication's rates and the weight table into the step's table block (layout in
 * assembly/step.ts). Probabilities become 32-bit thresholds on the draw; demographic events are
 * cumulative (competing risks on one draw), and so are state changes, per state.
 */
export function encodeStepTables(rates: ResidentRates, weightTable: WeightTable, views: StepTableViews): void {
  const { u32 } = views;
  for (let m = 0; m < STEP_MUNICIPALITIES; m++) {
    for (let cell = 0; cell < CELLS; cell++) {
      const i = m * CELLS + cell;
      const death = rates.death[i] ?? 0;
      const out = Math.min(1, death + (rates.moveOut[i] ?? 0));
      const into = Math.min(1, out + (rates.moveIn[i] ?? 0));
      const birth = Math.min(1, into + (rates.birth[i] ?? 0));
      const at = (T_DEMO >> 2) + i * 4;
      u32[at] = biased(probabilityToThreshold(death));
      u32[at + 1] = biased(probabilityToThreshold(out));
      u32[at + 2] = biased(probabilityToThreshold(into));
      u32[at + 3] = biased(probabilityToThreshold(birth));
    }
  }
  // Thresholds of one cell (whole numbers below 2^32: exact in a Float64Array).
  const chronic = new Float64Array(8);
  const civilA = new Float64Array(4);
  const civilB = new Float64Array(4);
  const labour = new Float64Array(2);
  for (let cell = 0; cell < CELLS; cell++) {
    // One scale per cell keeps every state's total below MAX_STATE_CHANGE (a no-op at real rates).
    let worst = 0;
    for (let k = 0; k < 8; k++) {
      for (let civil = 0; civil < 4; civil++) {
        for (let flag = 0; flag < 2; flag++) {
          const total =
            (k < 7 ? (rates.chronic[cell * 8 + k] ?? 0) : 0) +
            (rates.civilA[cell * 4 + civil] ?? 0) +
            (rates.civilB[cell * 4 + civil] ?? 0) +
            (rates.labour[cell * 2 + flag] ?? 0);
          worst = Math.max(worst, total);
        }
      }
    }
    const scale = worst > MAX_STATE_CHANGE ? MAX_STATE_CHANGE / worst : 1;
    for (let k = 0; k < 8; k++) chronic[k] = k < 7 ? probabilityToThreshold((rates.chronic[cell * 8 + k] ?? 0) * scale) : 0;
    for (let c = 0; c < 4; c++) civilA[c] = probabilityToThreshold((rates.civilA[cell * 4 + c] ?? 0) * scale);
    for (let c = 0; c < 4; c++) civilB[c] = probabilityToThreshold((rates.civilB[cell * 4 + c] ?? 0) * scale);
    for (let f = 0; f < 2; f++) labour[f] = probabilityToThreshold((rates.labour[cell * 2 + f] ?? 0) * scale);
    // Cumulative per state (chronic count, civil status, labour flag), competing on one draw in
    // a fixed order; the last, the total, rejects the no-change case (≈ 95 % of residents).
    for (let state = 0; state < 64; state++) {
      const civil = (state >> 1) & 3;
      const at = (T_CHANGE >> 2) + (cell * 64 + state) * 4;
      const t1 = chronic[state >> 3] ?? 0;
      const t2 = t1 + (civilA[civil] ?? 0);
      const t3 = t2 + (civilB[civil] ?? 0);
      u32[at] = biased(t1);
      u32[at + 1] = biased(t2);
      u32[at + 2] = biased(t3);
      u32[at + 3] = biased(t3 + (labour[state & 1] ?? 0));
    }
  }
  const units = stepWeightUnitsOf(weightTable);
  views.i32.set(units.base, T_BASE_W >> 2);
  views.i32.set(units.contributions, T_CONTRIB >> 2);
}

const unitsByTable = new WeakMap<WeightTable, { base: Int32Array; contributions: Int32Array }>();

/** makeStepWeightUnits, once per weight table (every replication encodes the same units). */
function stepWeightUnitsOf(weightTable: WeightTable): { base: Int32Array; contributions: Int32Array } {
  let units = unitsByTable.get(weightTable);
  if (units === undefined) unitsByTable.set(weightTable, (units = makeStepWeightUnits(weightTable)));
  return units;
}

/**
 * makeStepWeights in the step's fixed point (src/kernel/step/layout.ts): whole units of 2^-26, so a
 * resident's weight base + contributions is within 2^-26 of residentWeight's.
 */
export function makeStepWeightUnits(weightTable: WeightTable): { base: Int32Array; contributions: Int32Array } {
  const weights = makeStepWeights(weightTable);
  const toUnits = (values: Float64Array, what: string): Int32Array =>
    Int32Array.from(values, (w, i) => {
      if (!(Math.abs(w) < WEIGHT_LIMIT)) {
        throw new FordelingError(
          "FD_ERR_BAD_VALUE",
          `${what} ${i} is ${w}; the projection takes weights from −${WEIGHT_LIMIT} to ${WEIGHT_LIMIT}`,
          { field: weightTable.id },
        );
      }
      return Math.round(w * WEIGHT_UNITS_PER_ONE);
    });
  return {
    base: toUnits(weights.base, "base weight (sex × 111 + age)"),
    contributions: toUnits(weights.contributions, "contribution sum of code"),
  };
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
