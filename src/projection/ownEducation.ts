import type { Geography } from "../geo/geography.js";
import { STREAM, streamKey, uniformAt } from "../kernel/rng.js";
import { EDUCATION_OWN_FROM_AGE } from "../kernel/step/layout.js";
import type { ResidentColumns } from "../population/schema.js";

/** The age band whose education gives under-30s their own class (docs/PROJECTION.md). */
export const OWN_EDUCATION_DONOR_AGES = { from: 30, to: 34 } as const;
const CLASSES = 4;

/**
 * Each resident's own education class beside the class in force. From 30 the file's
 * `education` is the resident's own; under 30 it is the parents' (the model's rule), and the own
 * class the resident will have at 30 is not in any register. **Assumption**: it is drawn from
 * the education of the municipality's 30–34-year-olds in the base population (the nation's when
 * a municipality has none), independently of the parents' class, as the synthetic population
 * draws the parents' class independently too (households are not modelled). One draw per row of
 * a fixed stream: the same for every replication and thread count.
 */
export function ownEducationClasses(source: ResidentColumns, rows: number, geography: Geography): Uint8Array {
  const municipalities = geography.municipalities.length;
  const counts = new Float64Array((municipalities + 1) * CLASSES);
  const nationalAt = municipalities * CLASSES;
  const indexOf = (i: number): number => geography.municipalityIndexByCode[source.municipalityCode[i] ?? 0] ?? -1;
  for (let i = 0; i < rows; i++) {
    const age = source.ageYears[i] ?? 0;
    const education = source.education[i] ?? 0;
    const m = indexOf(i);
    if (age < OWN_EDUCATION_DONOR_AGES.from || age > OWN_EDUCATION_DONOR_AGES.to || m < 0 || education >= CLASSES) continue;
    counts[m * CLASSES + education]! += 1;
    counts[nationalAt + education]! += 1;
  }
  const key = streamKey(0, 0, 0, STREAM.ownEducation);
  const own = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    if ((source.ageYears[i] ?? 0) >= EDUCATION_OWN_FROM_AGE) {
      own[i] = source.education[i] ?? 0;
      continue;
    }
    const m = indexOf(i);
    let at = m < 0 ? nationalAt : m * CLASSES;
    let total = sumOf(counts, at);
    if (total === 0) {
      at = nationalAt;
      total = sumOf(counts, at);
    }
    // Without any 30–34-year-old at all, the parents' class stands in.
    own[i] = total === 0 ? (source.education[i] ?? 0) : pick(counts, at, total * uniformAt(key, i));
  }
  return own;
}

function sumOf(counts: Float64Array, at: number): number {
  let total = 0;
  for (let c = 0; c < CLASSES; c++) total += counts[at + c] ?? 0;
  return total;
}

function pick(counts: Float64Array, at: number, target: number): number {
  let cumulative = 0;
  for (let c = 0; c < CLASSES - 1; c++) {
    cumulative += counts[at + c] ?? 0;
    if (target < cumulative) return c;
  }
  return CLASSES - 1;
}
