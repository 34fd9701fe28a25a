import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { ownEducationClasses } from "../../src/projection/ownEducation.js";
import { allocateResidentColumns } from "../../src/population/schema.js";

const geography = defaultGeography();

/** Residents of København (101) and Aarhus (751): a block of 30–34-year-olds per municipality, then children. */
function population(): ReturnType<typeof allocateResidentColumns> {
  const rows = 4000;
  const columns = allocateResidentColumns(rows);
  for (let i = 0; i < rows; i++) {
    const aarhus = i >= 2000;
    const j = i % 2000;
    columns.municipalityCode[i] = aarhus ? 751 : 101;
    // 30–34-year-olds: København all long higher education (3), Aarhus all primary school (0).
    // Under 30: everyone carries the parents' upper secondary (1). Older: their own 2.
    columns.ageYears[i] = j < 100 ? 30 + (j % 5) : j < 1900 ? j % 30 : 50;
    columns.education[i] = j < 100 ? (aarhus ? 0 : 3) : j < 1900 ? 1 : 2;
  }
  return columns;
}

describe("own education beside the parents' class", () => {
  it("keeps the file's class as the own class from 30 on", () => {
    const columns = population();
    const own = ownEducationClasses(columns, 4000, geography);
    for (let i = 0; i < 4000; i++) if ((columns.ageYears[i] ?? 0) >= 30) expect(own[i]).toBe(columns.education[i]);
  });

  it("draws an under-30's own class from the municipality's 30–34-year-olds", () => {
    const columns = population();
    const own = ownEducationClasses(columns, 4000, geography);
    for (let i = 0; i < 4000; i++) {
      if ((columns.ageYears[i] ?? 0) >= 30) continue;
      expect(own[i]).toBe(i >= 2000 ? 0 : 3);
    }
  });

  it("falls back to the nation's 30–34-year-olds in a municipality without any, and draws the same on every call", () => {
    const columns = population();
    columns.municipalityCode[3999] = 147; // Frederiksberg: one child, no 30–34-year-old
    columns.ageYears[3999] = 5;
    const first = ownEducationClasses(columns, 4000, geography);
    expect([0, 3]).toContain(first[3999]);
    expect(ownEducationClasses(columns, 4000, geography)).toEqual(first);
  });
});
