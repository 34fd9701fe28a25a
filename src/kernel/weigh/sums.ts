import type { Geography } from "../../geo/geography.js";
import { NO_CLINIC } from "../../population/schema.js";
import {
  CLINIC_SLOTS,
  SLOT_BYTES,
  SLOT_RESIDENTS,
  SLOT_WEIGHT_SQUARED_SUM,
  SLOT_WEIGHT_SUM,
  SUMS_BYTES,
  SUMS_CLINIC_SLOT,
  SUMS_COUNCIL_SLOT,
  SUMS_MUNICIPALITY_SLOT,
} from "../abi.js";
import type { AreaSums, WeighSums } from "./types.js";

/** Zeroed sums for a geography: 98 municipalities, 17 councils, 65,536 clinic slots. */
export function makeWeighSums(geography: Geography): WeighSums {
  return {
    municipality: makeAreaSums(geography.municipalities.length),
    council: makeAreaSums(geography.councils.length),
    clinic: makeAreaSums(CLINIC_SLOTS),
    totalResidents: 0,
    totalWeight: 0,
  };
}

export function makeAreaSums(areas: number): AreaSums {
  return { residents: new Float64Array(areas), weightSum: new Float64Array(areas), weightSquaredSum: new Float64Array(areas) };
}

/**
 * National totals from the municipality sums, added in municipality order: one definition
 * for every implementation, so totals compare as exactly as the sums they come from.
 */
export function withTotals(sums: WeighSums): WeighSums {
  let residents = 0;
  let weight = 0;
  for (let i = 0; i < sums.municipality.residents.length; i++) {
    residents += sums.municipality.residents[i] ?? 0;
    weight += sums.municipality.weightSum[i] ?? 0;
  }
  sums.totalResidents = residents;
  sums.totalWeight = weight;
  return sums;
}

const F64_PER_SLOT = SLOT_BYTES / 8;
const U32_PER_SLOT = SLOT_BYTES / 4;

function copySlots(
  block: Float64Array,
  counts: Uint32Array,
  firstSlot: number,
  target: AreaSums,
  from = 0,
  to = target.residents.length,
): void {
  for (let i = from; i < to; i++) {
    const slot = firstSlot + i;
    target.weightSum[i] = block[slot * F64_PER_SLOT + SLOT_WEIGHT_SUM / 8] ?? 0;
    target.weightSquaredSum[i] = block[slot * F64_PER_SLOT + SLOT_WEIGHT_SQUARED_SUM / 8] ?? 0;
    target.residents[i] = counts[slot * U32_PER_SLOT + SLOT_RESIDENTS / 4] ?? 0;
  }
}

/**
 * Reads a kernel sums block (32-byte slots of f64 Σw, f64 Σw², u32 residents; docs/ABI.md)
 * at `address` into WeighSums. Clinic slots outside `clinicRange` (inclusive ids) are known to
 * be zero and are not read, except the no-clinic slot, which is always read.
 */
export function weighSumsFromBlock(
  memory: WebAssembly.Memory,
  address: number,
  geography: Geography,
  clinicRange: readonly [number, number] = [0, CLINIC_SLOTS - 1],
): WeighSums {
  const block = new Float64Array(memory.buffer, address, SUMS_BYTES / 8);
  const counts = new Uint32Array(memory.buffer, address, SUMS_BYTES / 4);
  const sums = makeWeighSums(geography);
  copySlots(block, counts, SUMS_MUNICIPALITY_SLOT, sums.municipality);
  copySlots(block, counts, SUMS_COUNCIL_SLOT, sums.council);
  copySlots(block, counts, SUMS_CLINIC_SLOT, sums.clinic, clinicRange[0], Math.min(clinicRange[1] + 1, NO_CLINIC));
  copySlots(block, counts, SUMS_CLINIC_SLOT, sums.clinic, NO_CLINIC, NO_CLINIC + 1);
  return withTotals(sums);
}
