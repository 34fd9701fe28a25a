import { FordelingError } from "../../errors.js";
import type { Geography } from "../../geo/geography.js";
import { ageGroupByAge, weightTableFromJson, type WeightTable } from "../../model/weightTable.js";
import { MAX_AGE_YEARS } from "../../population/schema.js";
import {
  CONTRIBUTION_ORDER,
  MAX_AGE_GROUPS,
  MAX_COUNCILS,
  MAX_MUNICIPALITIES,
  MUNICIPALITY_CODE_LIMIT,
  NO_INDEX,
  STATUS_OK,
  TABLES_AGE_GROUP_BY_AGE,
  TABLES_BASE_WEIGHT,
  TABLES_BYTES,
  TABLES_CHRONIC_BY_COUNT,
  TABLES_CONTRIBUTIONS,
  TABLES_COUNCIL_BY_MUNICIPALITY,
  TABLES_MUNICIPALITY_INDEX_BY_CODE,
} from "../abi.js";
import type { WeighKernel } from "../wasm.js";

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
    throw new FordelingError(
      "FD_ERR_REFERENCE_DATA",
      `the kernel holds at most ${MAX_MUNICIPALITIES} municipalities and ${MAX_COUNCILS} councils`,
    );
  }
  bytes.fill(NO_INDEX, TABLES_MUNICIPALITY_INDEX_BY_CODE, TABLES_MUNICIPALITY_INDEX_BY_CODE + MUNICIPALITY_CODE_LIMIT);
  for (const m of geography.municipalities) {
    bytes[TABLES_MUNICIPALITY_INDEX_BY_CODE + m.code] = m.index;
    bytes[TABLES_COUNCIL_BY_MUNICIPALITY + m.index] = m.councilIndex;
  }

  const finite = (value: number | undefined, field: string): number => {
    if (value === undefined || !Number.isFinite(value)) {
      throw new FordelingError("FD_ERR_WEIGHT_TABLE", `must be a finite number, got ${String(value)}`, {
        file: `weight table '${table.id}'`,
        field,
      });
    }
    return value;
  };
  CONTRIBUTION_ORDER.forEach((name, i) => {
    view.setFloat64(TABLES_CONTRIBUTIONS + i * 8, finite(checked.contributions[name], `/contributions/${name}`), true);
  });
  checked.contributions.chronicDiseasesByCount.forEach((value, i) => {
    view.setFloat64(TABLES_CHRONIC_BY_COUNT + i * 8, finite(value, `/contributions/chronicDiseasesByCount/${i}`), true);
  });
  // The kernel's LUT is indexed by age group, found from single ages through this map. Bounds
  // ascend strictly from age 0, so no age falls in a group above its own age (< MAX_AGE_GROUPS);
  // groups starting above MAX_AGE_YEARS hold no one and are left out.
  const groupOfAge = ageGroupByAge(checked);
  bytes.set(groupOfAge, TABLES_AGE_GROUP_BY_AGE);
  const groups = Math.min((groupOfAge[MAX_AGE_YEARS] ?? 0) + 1, MAX_AGE_GROUPS);
  (["man", "woman"] as const).forEach((sex, s) => {
    for (let g = 0; g < groups; g++) {
      view.setFloat64(
        TABLES_BASE_WEIGHT + (s * MAX_AGE_GROUPS + g) * 8,
        finite(checked.baseWeight[sex][g], `/baseWeight/${sex}/${g}`),
        true,
      );
    }
  });
}

/** writeKernelTables, then the kernel's own check and LUT build. */
export function prepareKernelTables(
  kernel: WeighKernel,
  memory: WebAssembly.Memory,
  tables: number,
  table: WeightTable,
  geography: Geography,
): void {
  writeKernelTables(memory, tables, table, geography);
  const status = kernel.prepareTables(tables);
  if (status !== STATUS_OK) {
    throw new FordelingError("FD_ERR_KERNEL", `the kernel rejected the weight tables (status ${status})`, {
      file: `weight table '${table.id}'`,
    });
  }
}
