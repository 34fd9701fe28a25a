// Sums blocks: reset by the worker that owns one, reduced by the host in shard order. A shard
// touches only the clinics of its municipalities, so both steps visit the area slots and the
// shard's dirty clinic range (kept in its status record) rather than all 65,536 clinic slots.
import {
  BATCH_COLUMNS, NO_CLINIC, SLOT_BYTES, STATUS_CLINIC_MAX, STATUS_CLINIC_MIN, STATUS_ROW, STATUS_STATUS, SUMS_CLINIC_SLOT, SUMS_PARTIALS,
} from "./layout";

const AREA_BYTES: usize = <usize>SUMS_CLINIC_SLOT * <usize>SLOT_BYTES;
/** The "no clinic" slot, always cleared and added: it is outside every dirty range. */
const NO_CLINIC_OFFSET: usize = AREA_BYTES + (<usize>NO_CLINIC << 5);

/**
 * Zeroes a sums block's slots. Its run partials need no clearing: weighRows leaves them zero
 * whenever it returns, and clearing their 8 MB would cost more than a whole pass.
 */
export function clearSums(sums: usize): void {
  memory.fill(sums, 0, <usize>SUMS_PARTIALS);
}

/**
 * Readies a shard's sums block and status record for a pass: zeroes the area slots and the
 * clinic range the last pass dirtied (everything, if the last pass failed part way), then marks
 * the range empty. A fresh memory is all zeros, which reads as "nothing dirty".
 */
export function resetShard(sums: usize, statusRecord: usize): void {
  const lo = load<u32>(statusRecord + STATUS_CLINIC_MIN);
  const hi = load<u32>(statusRecord + STATUS_CLINIC_MAX);
  if (load<i32>(statusRecord + STATUS_STATUS) != 0) {
    clearSums(sums);
  } else {
    memory.fill(sums, 0, AREA_BYTES);
    memory.fill(sums + NO_CLINIC_OFFSET, 0, <usize>SLOT_BYTES);
    if (lo <= hi) memory.fill(sums + AREA_BYTES + (<usize>lo << 5), 0, <usize>(hi - lo + 1) << 5);
  }
  store<i32>(statusRecord + STATUS_STATUS, 0);
  store<u32>(statusRecord + STATUS_ROW, 0);
  store<u32>(statusRecord + STATUS_CLINIC_MIN, 0xffff);
  store<u32>(statusRecord + STATUS_CLINIC_MAX, 0);
}

/** Slot by slot: [Σw, Σw²] as f64, then the resident count and zero padding as u32. */
// @ts-ignore: decorator
@inline
function addSlots(target: usize, source: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 32) {
    v128.store(target + i, f64x2.add(v128.load(target + i), v128.load(source + i)), 0);
    v128.store(target + i, i32x4.add(v128.load(target + i, 16), v128.load(source + i, 16)), 16);
  }
}

/**
 * target += source over the area slots, the no-clinic slot and the source shard's dirty clinic range. The host
 * calls it once per shard in shard order; slots outside a range are zero in that shard, and
 * adding zero changes nothing, so the result equals a full slot-by-slot sum in shard order:
 * every bit is independent of how shards met threads.
 */
export function addSums(target: usize, source: usize, sourceStatusRecord: usize): void {
  addSlots(target, source, AREA_BYTES);
  addSlots(target + NO_CLINIC_OFFSET, source + NO_CLINIC_OFFSET, <usize>SLOT_BYTES);
  const lo = load<u32>(sourceStatusRecord + STATUS_CLINIC_MIN);
  const hi = load<u32>(sourceStatusRecord + STATUS_CLINIC_MAX);
  if (lo <= hi) {
    const offset = AREA_BYTES + (<usize>lo << 5);
    addSlots(target + offset, source + offset, <usize>(hi - lo + 1) << 5);
  }
}

/**
 * The memory floor: the cheapest pass over the same bytes the kernel reads (all ten columns of
 * rows [rowBegin, rowEnd)), folding them into a checksum so the reads cannot be dropped.
 * Benchmarks divide kernel time by this.
 */
export function floorPass(batch: usize, rowBegin: u32, rowEnd: u32): i32 {
  let acc = i8x16.splat(0);
  let wide = i8x16.splat(0);
  const c0 = <usize>load<u32>(batch + BATCH_COLUMNS);
  const c9 = <usize>load<u32>(batch + BATCH_COLUMNS + 36);
  let r = rowBegin;
  for (; r + 16 <= rowEnd; r += 16) {
    for (let c: usize = 1; c <= 8; c++) {
      acc = i8x16.add(acc, v128.load(<usize>load<u32>(batch + BATCH_COLUMNS + (c << 2)) + r));
    }
    wide = i16x8.add(wide, v128.load(c0 + (<usize>r << 1)));
    wide = i16x8.add(wide, v128.load(c0 + (<usize>r << 1), 16));
    wide = i16x8.add(wide, v128.load(c9 + (<usize>r << 1)));
    wide = i16x8.add(wide, v128.load(c9 + (<usize>r << 1), 16));
  }
  let tail: i32 = 0;
  for (; r < rowEnd; r++) {
    for (let c: usize = 1; c <= 8; c++) tail += <i32>load<u8>(<usize>load<u32>(batch + BATCH_COLUMNS + (c << 2)) + r);
    tail += <i32>load<u16>(c0 + (<usize>r << 1)) + <i32>load<u16>(c9 + (<usize>r << 1));
  }
  const folded = i32x4.add(i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(acc)), i32x4.extadd_pairwise_i16x8_u(wide));
  return i32x4.extract_lane(folded, 0) + i32x4.extract_lane(folded, 1) + i32x4.extract_lane(folded, 2) + i32x4.extract_lane(folded, 3) + tail;
}
