import { FordelingError } from "../errors.js";
import type { ResidentColumns } from "../population/schema.js";
import { ageGroupByAge, combinationWeight, describeCombination, type WeightCombination, type WeightTable } from "./weightTable.js";

/** Combinations a population can hold: 2 sexes × age groups × 4 × 4 × 8 × 2 × 2 × 2. */
const PER_AGE_GROUP = 2 * 4 * 4 * 8 * 2 * 2 * 2;

/**
 * Checks a loaded population's actual combinations of characteristics against a table: every
 * combination present must weigh more than 0. A table read from a file has already passed the
 * stricter check over all combinations (`checkWeightsPositive`); this one guards tables built
 * in code and names the first resident (row) whose combination fails. One pass marks which of
 * the ≈41,000 combinations occur, so a 6 M population costs one linear scan.
 */
export function checkPopulationWeightsPositive(table: WeightTable, columns: ResidentColumns, rows: number, file = "<population>"): void {
  const groupOf = ageGroupByAge(table);
  const groups = table.ageGroupLowerBounds.length;
  const seen = new Uint8Array(groups * PER_AGE_GROUP);
  const comboAt = (i: number): number => {
    const sex = columns.sex[i] ?? 0;
    const group = groupOf[columns.ageYears[i] ?? 0] ?? 0;
    const civil = columns.civilStatus[i] ?? 0;
    const education = columns.education[i] ?? 0;
    const chronic = columns.chronicDiseaseCount[i] ?? 0;
    const flags = (columns.psychiatric[i] ?? 0) * 4 + (columns.menapt[i] ?? 0) * 2 + (columns.outsideLabourMarket[i] ?? 0);
    return ((((group * 2 + sex) * 4 + civil) * 4 + education) * 8 + chronic) * 8 + flags;
  };
  for (let i = 0; i < rows; i++) seen[comboAt(i)] = 1;
  for (let index = 0; index < seen.length; index++) {
    if (seen[index] === 0) continue;
    const combination = decode(index);
    const weight = combinationWeight(table, combination);
    if (weight > 0) continue;
    let row = 0;
    while (row < rows && comboAt(row) !== index) row++;
    throw new FordelingError(
      "FD_ERR_NONPOSITIVE_WEIGHT",
      `weight table ${table.id} gives this resident (${describeCombination(table, combination)}) a weight of ${weight}; ` +
        "every weight must be more than 0",
      { file, row },
    );
  }
}

function decode(index: number): WeightCombination {
  let rest = index;
  const take = (n: number): number => {
    const value = rest % n;
    rest = Math.floor(rest / n);
    return value;
  };
  const outsideLabourMarket = take(2);
  const menapt = take(2);
  const psychiatric = take(2);
  const chronicDiseaseCount = take(8);
  const education = take(4);
  const civilStatus = take(4);
  const sex = take(2);
  return { ageGroup: rest, sex, civilStatus, education, chronicDiseaseCount, psychiatric, menapt, outsideLabourMarket };
}
