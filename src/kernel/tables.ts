import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import { ageGroupByAge, weightTableFromJson, type WeightTable } from "../model/weightTable.js";
import { MAX_AGE_YEARS } from "../population/schema.js";
import {
  CONTRIBUTION_ORDER, MAX_COUNCILS, MAX_MUNICIPALITIES, MUNICIPALITY_CODE_LIMIT, NO_INDEX, STATUS_OK,
  TABLES_BASE_WEIGHT, TABLES_BYTES, TABLES_CHRONIC_BY_COUNT,
  TABLES_CONTRIBUTIONS, TABLES_COUNCIL_BY_MUNICIPALITY, TABLES_MUNICIPALITY_INDEX_BY_CODE,
} from "./abi.js";
import type { WeighKernel } from "./wasm.js";

/**
 * Writes the weight tables block (docs/ABI.md) for one weight table and geography, then lets
 * the kernel build its lookup table. The table is validated again here, so a table built in
 * code (not loaded from a file) with a missing group is rejected before any kernel runs.
 */
export function writeKernelTables(memory: WebAssembly.Memory, tables: number, table: WeightTable, geography: Geography): void {
  const checked = weightTableFromJson(table, `weight table '${table.id}'`);
  const bytes = new Uint8Array(memory.buffer, tables, TABLES_BYTES);
  const view = new DataView(memory.buffer, tables, TABLES_BYTES);
  bytes.fill(0, 0, TABLES_BYTES);

  if (geography.municipalities.length > MAX_MUNICIPALITIES || geography.councils.length > MAX_COUNCILS) {
    throw new FordelingError("FD_ERR_REFERENCE_DATA", `the kernel holds at most ${MAX_MUNICIPALITIES} municipalities and ${MAX_COUNCILS} councils`);
  }
  bytes.fill(NO_INDEX, TABLES_MUNICIPALITY_INDEX_BY_CODE, TABLES_MUNICIPALITY_INDEX_BY_CODE + MUNICIPALITY_CODE_LIMIT);
  for (const m of geography.municipalities) {
    bytes[TABLES_MUNICIPALITY_INDEX_BY_CODE + m.code] = m.index;
    bytes[TABLES_COUNCIL_BY_MUNICIPALITY + m.index] = m.councilIndex;
  }

  const finite = (value: number | undefined, field: string): number => {
    if (value === undefined || !Number.isFinite(value)) {
      throw new FordelingError("FD_ERR_WEIGHT_TABLE", `must be a finite number, got ${String(value)}`, { file: `weight table '${table.id}'`, field });
    }
    return value;
  };
  CONTRIBUTION_ORDER.forEach((name, i) => {
    view.setFloat64(TABLES_CONTRIBUTIONS + i * 8, finite(checked.contributions[name], `/contributions/${name}`), true);
  });
  checked.contributions.chronicDiseasesByCount.forEach((value, i) => {
    view.setFloat64(TABLES_CHRONIC_BY_COUNT + i * 8, finite(value, `/contributions/chronicDiseasesByCount/${i}`), true);
  });
  // The kernel's LUT is indexed by single year of age: expand each group to its ages.
  const groupOfAge = ageGroupByAge(checked);
  (["man", "woman"] as const).forEach((sex, s) => {
    for (let age = 0; age <= MAX_AGE_YEARS; age++) {
      const g = groupOfAge[age] ?? 0;
      view.setFloat64(TABLES_BASE_WEIGHT + (s * 128 + age) * 8, finite(checked.baseWeight[sex][g], `/baseWeight/${sex}/${g}`), true);
    }
  });
}

/** writeKernelTables, then the kernel's own check and LUT build. */
export function prepareKernelTables(kernel: WeighKernel, memory: WebAssembly.Memory, tables: number, table: WeightTable, geography: Geography): void {
  writeKernelTables(memory, tables, table, geography);
  const status = kernel.prepareTables(tables);
  if (status !== STATUS_OK) {
    throw new FordelingError("FD_ERR_KERNEL", `the kernel rejected the weight tables (status ${status})`, { file: `weight table '${table.id}'` });
  }
}
