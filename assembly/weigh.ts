// The weighting kernel: per resident weight = base[sex][age group] + Σ contributions, summed per
// municipality, council and clinic. Pure loops over memory the host lays out (docs/ABI.md):
// nothing is allocated, nothing throws, nothing is kept between calls.
import {
  BATCH_COLUMNS, CONTRIBUTION_DIVORCED, CONTRIBUTION_LONG_HIGHER_EDUCATION, CONTRIBUTION_MENAPT,
  CONTRIBUTION_OUTSIDE_LABOUR_MARKET, CONTRIBUTION_PRIMARY_SCHOOL, CONTRIBUTION_PSYCHIATRIC, CONTRIBUTION_WIDOWED,
  MAX_AGE_GROUPS, MAX_AGE_YEARS, MUNICIPALITY_CODE_LIMIT, NO_CLINIC, NO_INDEX, SLOT_BYTES, SLOT_RESIDENTS, STATUS_BAD_AGE, STATUS_BAD_CHRONIC_DISEASE_COUNT,
  STATUS_BAD_CIVIL_STATUS, STATUS_BAD_EDUCATION, STATUS_BAD_MENAPT, STATUS_BAD_OUTSIDE_LABOUR_MARKET,
  STATUS_BAD_PSYCHIATRIC, STATUS_BAD_SEX, STATUS_BAD_TABLES, STATUS_OK, STATUS_CLINIC_MAX, STATUS_CLINIC_MIN, STATUS_ROW, STATUS_STATUS,
  STATUS_UNKNOWN_MUNICIPALITY, SUMS_CLINIC_SLOT, SUMS_COUNCIL_SLOT, SUMS_PARTIALS, PARTIAL_RESIDENTS, TABLES_BASE_WEIGHT, TABLES_CHRONIC_BY_COUNT,
  TABLES_AGE_GROUP_BY_AGE, TABLES_CONTRIBUTIONS, TABLES_VALUE_LIMITS, TABLES_COUNCIL_BY_MUNICIPALITY, TABLES_LUT, TABLES_MUNICIPALITY_INDEX_BY_CODE,
} from "./layout";

/**
 * Byte offset of a combination's LUT entry [w, w²] (f64x2, the very vector added to a clinic's
 * partial). The code packs every characteristic into 18 bits, so one load replaces the seven
 * additions and the square:
 *   bit  17     psychiatric    bit  16  MENAPT        bit  15  sex
 *   bits 14…8   age group (0…127: the weight table's groups, looked up by single age)
 *   bit  7      outside labour market                 bits 6…4  chronic count
 *   bits 3…2    civil status   bits 1…0  education
 * Entries are computed with the reference's additions in its order, so weights are
 * bit-identical to `residentWeight`. The layout is chosen for the cache: rows come sorted by sex
 * and age within a municipality, so for a stretch of rows sex and age group are fixed and the
 * common characteristics (education, civil status, chronic count, labour market) vary within
 * one 4 KB slab of 256 entries; the rare psychiatric and MENAPT flags select three more slabs.
 * A real population keeps about 16 KB of the 4 MB table hot. (Indexed by single age with the
 * flags in the middle bits, it touched 800 KB and the misses cost a fifth of the kernel's time.)
 * Entries of w alone, squared in the kernel, halve the table but measured 3 % slower.
 */
// @ts-ignore: decorator
@inline
function lutOffset(group: u32, sex: u32, civil: u32, education: u32, chronic: u32, psychiatric: u32, menapt: u32, outside: u32): u32 {
  return ((psychiatric << 17) | (menapt << 16) | (sex << 15) | (group << 8) | (outside << 7) | (chronic << 4) | (civil << 2) | education) << 4;
}

// @ts-ignore: decorator
@inline
function finite(x: f64): bool {
  return x - x == 0.0;
}

/**
 * Fills the LUT from the base weights (every group slot: unused ones hold zeros) and the
 * contributions. STATUS_BAD_TABLES if any is not finite.
 */
export function prepareTables(tables: usize): i32 {
  const c = tables + TABLES_CONTRIBUTIONS;
  for (let i = 0; i < 16; i++) {
    if (!finite(load<f64>(c + (<usize>i << 3)))) return STATUS_BAD_TABLES;
  }
  const widowed = load<f64>(c + CONTRIBUTION_WIDOWED * 8);
  const divorced = load<f64>(c + CONTRIBUTION_DIVORCED * 8);
  const primary = load<f64>(c + CONTRIBUTION_PRIMARY_SCHOOL * 8);
  const longHigher = load<f64>(c + CONTRIBUTION_LONG_HIGHER_EDUCATION * 8);
  const psychiatricC = load<f64>(c + CONTRIBUTION_PSYCHIATRIC * 8);
  const menaptC = load<f64>(c + CONTRIBUTION_MENAPT * 8);
  const outsideC = load<f64>(c + CONTRIBUTION_OUTSIDE_LABOUR_MARKET * 8);
  // The fast path's validation limits, as vectors (see weighRows).
  const limits = tables + TABLES_VALUE_LIMITS;
  v128.store(limits, i8x16.splat(1));
  v128.store(limits, i8x16.splat(3), 16);
  v128.store(limits, i8x16.splat(7), 32);
  v128.store(limits, i8x16.splat(<i8>MAX_AGE_YEARS), 48);
  const lut = tables + TABLES_LUT;
  for (let group: u32 = 0; group < <u32>MAX_AGE_GROUPS; group++) {
    for (let sex: u32 = 0; sex < 2; sex++) {
      const base = load<f64>(tables + TABLES_BASE_WEIGHT + ((sex * 128 + group) << 3));
      if (!finite(base)) return STATUS_BAD_TABLES;
      for (let civil: u32 = 0; civil < 4; civil++) {
        for (let education: u32 = 0; education < 4; education++) {
          for (let chronic: u32 = 0; chronic < 8; chronic++) {
            for (let flags: u32 = 0; flags < 8; flags++) {
              // The reference's order: base, civil, education, chronic, psychiatric, MENAPT, labour market.
              let w = base;
              w += civil == 3 ? widowed : civil == 2 ? divorced : 0.0;
              w += education == 0 ? primary : education == 3 ? longHigher : 0.0;
              w += load<f64>(tables + TABLES_CHRONIC_BY_COUNT + (chronic << 3));
              w += (flags & 4) != 0 ? psychiatricC : 0.0;
              w += (flags & 2) != 0 ? menaptC : 0.0;
              w += (flags & 1) != 0 ? outsideC : 0.0;
              const entry = lut + lutOffset(group, sex, civil, education, chronic, flags >> 2, (flags >> 1) & 1, flags & 1);
              store<f64>(entry, w);
              store<f64>(entry, w * w, 8);
            }
          }
        }
      }
    }
  }
  return STATUS_OK;
}

// @ts-ignore: decorator
@inline
function fail(statusRecord: usize, status: i32, row: u32): i32 {
  store<i32>(statusRecord + STATUS_STATUS, status);
  store<u32>(statusRecord + STATUS_ROW, row);
  return status;
}

/**
 * Widens the status record's dirty clinic range to the ids in rows [rowBegin, rowEnd), so that
 * resetting and reducing shard sums touch only those slots, and returns this call's own range
 * as `low | high << 16` (low > high when no row has a clinic). Id 65535 (no clinic) is left out:
 * its slot is always handled, and counting it would stretch every range to the end. A separate
 * pass over the clinic column (which the main loop then finds in cache): tracking the range
 * inside the main loop costs two more live vectors there and measured slower.
 */
function recordClinicRange(clinicColumn: usize, rowBegin: u32, rowEnd: u32, statusRecord: usize): u32 {
  let low = i16x8.splat(-1);
  // Ids plus one, wrapping 65535 to 0, so that "no clinic" never raises the maximum.
  let highPlusOne = i16x8.splat(0);
  let r = rowBegin;
  for (; r + 8 <= rowEnd; r += 8) {
    const k = v128.load(clinicColumn + (<usize>r << 1));
    low = i16x8.min_u(low, k);
    highPlusOne = i16x8.max_u(highPlusOne, i16x8.add(k, i16x8.splat(1)));
  }
  let lo: u32 = 0xffff;
  let hi: u32 = 0;
  for (; r < rowEnd; r++) {
    const k = <u32>load<u16>(clinicColumn + (<usize>r << 1));
    if (k == NO_CLINIC) continue;
    lo = min(lo, k);
    hi = max(hi, k);
  }
  low = i16x8.min_u(low, v128.shuffle<u16>(low, low, 4, 5, 6, 7, 0, 1, 2, 3));
  low = i16x8.min_u(low, v128.shuffle<u16>(low, low, 2, 3, 0, 1, 2, 3, 0, 1));
  low = i16x8.min_u(low, v128.shuffle<u16>(low, low, 1, 0, 1, 0, 1, 0, 1, 0));
  highPlusOne = i16x8.max_u(highPlusOne, v128.shuffle<u16>(highPlusOne, highPlusOne, 4, 5, 6, 7, 0, 1, 2, 3));
  highPlusOne = i16x8.max_u(highPlusOne, v128.shuffle<u16>(highPlusOne, highPlusOne, 2, 3, 0, 1, 2, 3, 0, 1));
  highPlusOne = i16x8.max_u(highPlusOne, v128.shuffle<u16>(highPlusOne, highPlusOne, 1, 0, 1, 0, 1, 0, 1, 0));
  const vectorHigh = <u32>i16x8.extract_lane_u(highPlusOne, 0);
  if (vectorHigh > 0) {
    // Some id other than 65535 was seen, so the minimum is a real id too.
    lo = min(lo, <u32>i16x8.extract_lane_u(low, 0));
    hi = max(hi, vectorHigh - 1);
  }
  store<u32>(statusRecord + STATUS_CLINIC_MIN, min(load<u32>(statusRecord + STATUS_CLINIC_MIN), lo));
  store<u32>(statusRecord + STATUS_CLINIC_MAX, max(load<u32>(statusRecord + STATUS_CLINIC_MAX), hi));
  return lo | (hi << 16);
}

/**
 * Moves one clinic's run partials (its four banks, see weighResident) into its slot and adds them
 * to the run's sums, which are returned; the partials are left zero. A clinic without residents
 * in the run is skipped (adding zeros would change nothing anyway).
 */
// @ts-ignore: decorator
@inline
function flushClinic(slot: usize, partial: usize, run: v128): v128 {
  const counts = v128.load(partial, PARTIAL_RESIDENTS);
  if (!v128.any_true(counts)) return run;
  const sums = f64x2.add(f64x2.add(v128.load(partial), v128.load(partial, 16)), f64x2.add(v128.load(partial, 32), v128.load(partial, 48)));
  const count = i32x4.extract_lane(counts, 0) + i32x4.extract_lane(counts, 1) + i32x4.extract_lane(counts, 2) + i32x4.extract_lane(counts, 3);
  v128.store(slot, f64x2.add(v128.load(slot), sums));
  store<u32>(slot, load<u32>(slot, SLOT_RESIDENTS) + <u32>count, SLOT_RESIDENTS);
  clearPartial(partial);
  return f64x2.add(run, sums);
}

// @ts-ignore: decorator
@inline
function clearPartial(partial: usize): void {
  const zero = i32x4.splat(0);
  v128.store(partial, zero);
  v128.store(partial, zero, 16);
  v128.store(partial, zero, 32);
  v128.store(partial, zero, 48);
  v128.store(partial, zero, PARTIAL_RESIDENTS);
}

/**
 * Ends a municipality run, the `rows` rows before `runEnd`: each clinic's partials go to its
 * clinic slot and, in that order, into the run's [Σw, Σw²], which is added with the run's row
 * count to its municipality and then to its council. The order is clinic id order (`low`…`high`,
 * the call's range) for a run at least as long as that range, which is every run of a file
 * grouped by municipality; a shorter run walks its own rows and takes each clinic where it first
 * appears, so that a file in no particular order (runs of a row or two) does not pay a walk over
 * two thousand ids per row. Either way "no clinic" (65535) comes last.
 */
function flushRun(sums: usize, low: u32, high: u32, clinicColumn: usize, runEnd: u32, municipalitySlot: usize, councilSlot: usize, rows: u32): void {
  const clinics = sums + SUMS_CLINIC_SLOT * SLOT_BYTES;
  const partials = sums + SUMS_PARTIALS;
  let run = f64x2.splat(0.0);
  const range: u32 = high >= low ? high - low + 1 : 0;
  if (rows >= range) {
    for (let k = low; k <= high; k++) {
      run = flushClinic(clinics + (<usize>k << 5), partials + (<usize>k << 7), run);
    }
  } else {
    // flushClinic leaves a flushed partial zero, so a clinic's later rows find nothing to add.
    for (let r = runEnd - rows; r < runEnd; r++) {
      const k = <u32>load<u16>(clinicColumn + (<usize>r << 1));
      if (k != NO_CLINIC) run = flushClinic(clinics + (<usize>k << 5), partials + (<usize>k << 7), run);
    }
  }
  run = flushClinic(clinics + (<usize>NO_CLINIC << 5), partials + (<usize>NO_CLINIC << 7), run);
  v128.store(municipalitySlot, f64x2.add(v128.load(municipalitySlot), run));
  store<u32>(municipalitySlot, load<u32>(municipalitySlot, SLOT_RESIDENTS) + rows, SLOT_RESIDENTS);
  v128.store(councilSlot, f64x2.add(v128.load(councilSlot), run));
  store<u32>(councilSlot, load<u32>(councilSlot, SLOT_RESIDENTS) + rows, SLOT_RESIDENTS);
}

/** After a bad value: leaves the partials of the clinics this call can have touched zero, as every return must. */
function clearPartials(sums: usize, low: u32, high: u32): void {
  const partials = sums + SUMS_PARTIALS;
  for (let k = low; k <= high; k++) clearPartial(partials + (<usize>k << 7));
  clearPartial(partials + (<usize>NO_CLINIC << 7));
}

/**
 * One resident: its LUT entry [w, w²] (`code` bytes into the LUT) is added to its clinic's run
 * partial in bank `bank` (the row index mod 4), whose count goes up by one. Four banks break the
 * chains of read-modify-writes a popular clinic makes through one slot (each link a store
 * forwarded to the next load, then an add); they measured about a tenth of the kernel's time.
 */
// @ts-ignore: decorator
@inline
function weighResident(lut: usize, code: u32, partials: usize, clinic: u32, bank: u32): void {
  const entry = v128.load(lut + <usize>code);
  const partial = partials + (<usize>clinic << 7);
  v128.store(partial + (<usize>bank << 4), f64x2.add(v128.load(partial + (<usize>bank << 4)), entry));
  store<u32>(partial + (<usize>bank << 2), load<u32>(partial + (<usize>bank << 2), PARTIAL_RESIDENTS) + 1, PARTIAL_RESIDENTS);
}

/**
 * Age group of each of 16 validated ages (≤ 110) from the 128-byte table at `groupByAge`:
 * seven 16-entry swizzles, each answering for its own 16 ages (a swizzle yields 0 for an index
 * of 16 or more, and the subtraction wraps smaller ages far above 16). Rows sorted by age rarely
 * get here: most blocks of 16 share one age and take a single scalar load.
 */
function ageGroups(age: v128, groupByAge: usize): v128 {
  let group = i8x16.swizzle(v128.load(groupByAge), age);
  group = v128.or(group, i8x16.swizzle(v128.load(groupByAge, 16), i8x16.sub(age, i8x16.splat(16))));
  group = v128.or(group, i8x16.swizzle(v128.load(groupByAge, 32), i8x16.sub(age, i8x16.splat(32))));
  group = v128.or(group, i8x16.swizzle(v128.load(groupByAge, 48), i8x16.sub(age, i8x16.splat(48))));
  group = v128.or(group, i8x16.swizzle(v128.load(groupByAge, 64), i8x16.sub(age, i8x16.splat(64))));
  group = v128.or(group, i8x16.swizzle(v128.load(groupByAge, 80), i8x16.sub(age, i8x16.splat(80))));
  return v128.or(group, i8x16.swizzle(v128.load(groupByAge, 96), i8x16.sub(age, i8x16.splat(96))));
}

/** Writes the weights of the four residents whose LUT codes are the lanes of `codes`. */
// @ts-ignore: decorator
@inline
function writeFourWeights(lut: usize, codes: v128, weightOut: usize): void {
  store<f64>(weightOut, load<f64>(lut + <usize>i32x4.extract_lane(codes, 0)));
  store<f64>(weightOut, load<f64>(lut + <usize>i32x4.extract_lane(codes, 1)), 8);
  store<f64>(weightOut, load<f64>(lut + <usize>i32x4.extract_lane(codes, 2)), 16);
  store<f64>(weightOut, load<f64>(lut + <usize>i32x4.extract_lane(codes, 3)), 24);
}

/**
 * Four residents whose LUT codes are the lanes of `codes`, clinic ids at `k`; the first sits on a
 * row index divisible by four (bank 0). Codes leave the vector in pairs, a 64-bit move and a
 * shift instead of a lane extraction each: fewer moves from vector to integer registers, which
 * measured up to 6 % faster while other work loaded the machine (equal when it was quiet).
 */
// @ts-ignore: decorator
@inline
function weighFour(lut: usize, codes: v128, partials: usize, k: usize): void {
  const pair0 = i64x2.extract_lane(codes, 0);
  const pair1 = i64x2.extract_lane(codes, 1);
  weighResident(lut, <u32>pair0, partials, load<u16>(k), 0);
  weighResident(lut, <u32>(pair0 >>> 32), partials, load<u16>(k, 2), 1);
  weighResident(lut, <u32>pair1, partials, load<u16>(k, 4), 2);
  weighResident(lut, <u32>(pair1 >>> 32), partials, load<u16>(k, 6), 3);
}

/**
 * Weighs rows [rowBegin, rowEnd) of the batch described at `batch`, adding to the sums block
 * at `sums`; writes each weight to `weights` (row rowBegin first) unless it is 0. Returns
 * STATUS_OK or the status of the first invalid row, whose batch row index goes to `statusRecord`;
 * after a failure the sums are incomplete and must be discarded (resetShard clears them all).
 * On success the record's clinic range is widened to cover every clinic id seen.
 *
 * Rows come grouped by municipality, so the common case is a block of 16 rows of one
 * municipality with valid codes: that path packs the codes 16 at a time in SIMD and does one
 * table load and one read-modify-write of a clinic's run partial per resident. Blocks that cross
 * a municipality boundary or hold a bad value go row by row, which also finds the row.
 *
 * Summation order (docs/ABI.md; the reference follows it): a run is a stretch of consecutive
 * rows of one municipality within one call. Each resident's [w, w²] goes to its clinic's run
 * partial in bank r mod 4 (r its batch row index), in row order; when the run ends each clinic's
 * banks, (0 + 1) + (2 + 3), are added in clinic id order (a run shorter than the call's clinic
 * id range: in order of first appearance; see flushRun) to its slot and to the run's sums,
 * which then go to the municipality and to the council. Municipality sums thus cost no register
 * add per resident (V8 schedules such adds at the end of a block, where sixteen pending
 * [w, w²] vectors spilled to the stack), and a single-threaded pass is bit-identical to the
 * reference.
 */
export function weighRows(tables: usize, batch: usize, rowBegin: u32, rowEnd: u32, sums: usize, weights: usize, statusRecord: usize): i32 {
  const municipalityColumn = <usize>load<u32>(batch + BATCH_COLUMNS);
  const sexColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 4);
  const ageColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 8);
  const civilColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 12);
  const educationColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 16);
  const chronicColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 20);
  const psychiatricColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 24);
  const menaptColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 28);
  const outsideColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 32);
  const clinicColumn = <usize>load<u32>(batch + BATCH_COLUMNS + 36);
  const lut = tables + TABLES_LUT;
  const partials = sums + SUMS_PARTIALS;
  const groupByAge = tables + TABLES_AGE_GROUP_BY_AGE;
  const limits = tables + TABLES_VALUE_LIMITS;

  let runCode: i32 = -1;
  let runRows: u32 = 0;
  let municipalitySlot: usize = 0;
  let councilSlot: usize = 0;
  const clinicRange = recordClinicRange(clinicColumn, rowBegin, rowEnd, statusRecord);
  const clinicLow = clinicRange & 0xffff;
  const clinicHigh = clinicRange >> 16;

  let r = rowBegin;
  while (r < rowEnd) {
    // Blocks start on row indices divisible by four, so that resident i of a block is in bank i mod 4.
    if (runCode >= 0 && rowEnd - r >= 16 && (r & 3) == 0) {
      const sex = v128.load(sexColumn + r);
      const age = v128.load(ageColumn + r);
      const civil = v128.load(civilColumn + r);
      const education = v128.load(educationColumn + r);
      const chronic = v128.load(chronicColumn + r);
      const psychiatric = v128.load(psychiatricColumn + r);
      const menapt = v128.load(menaptColumn + r);
      const outside = v128.load(outsideColumn + r);
      // Saturating subtraction leaves a nonzero byte exactly where a value exceeds its maximum
      // (V8 lowers it to one instruction, unsigned comparisons to three); a municipality other
      // than the run's leaves a nonzero xor. One test covers both. The limits are loaded from
      // the tables block: V8 would build each constant vector anew in every block, in three.
      let odd = i8x16.sub_sat_u(v128.or(v128.or(sex, psychiatric), v128.or(menapt, outside)), v128.load(limits));
      odd = v128.or(odd, i8x16.sub_sat_u(v128.or(civil, education), v128.load(limits, 16)));
      odd = v128.or(odd, i8x16.sub_sat_u(chronic, v128.load(limits, 32)));
      odd = v128.or(odd, i8x16.sub_sat_u(age, v128.load(limits, 48)));
      const run = i16x8.splat(<i16>runCode);
      odd = v128.or(odd, v128.xor(v128.load(municipalityColumn + (<usize>r << 1)), run));
      odd = v128.or(odd, v128.xor(v128.load(municipalityColumn + (<usize>r << 1), 16), run));
      if (!v128.any_true(odd)) {
        // Rows sorted by age within a municipality: a block of 16 nearly always holds one age.
        const age0 = <u32>i8x16.extract_lane_u(age, 0);
        const group = v128.any_true(v128.xor(age, i8x16.splat(<i8>age0)))
          ? ageGroups(age, groupByAge)
          : i8x16.splat(load<u8>(groupByAge + age0));
        // Validated values are small, so 16-bit shifts never carry into the next byte (8-bit
        // shifts do not exist on x64 and cost a mask each). Byte 0 of a code is education,
        // civil status, chronic count and labour market, byte 1 age group and sex, byte 2 the
        // psychiatric and MENAPT flags (lutOffset); unpacking bytes and then 16-bit lanes makes
        // the 32-bit codes, ×16 bytes per entry.
        const low = v128.or(v128.or(education, i16x8.shl(civil, 2)), v128.or(i16x8.shl(chronic, 4), i16x8.shl(outside, 7)));
        const mid = v128.or(group, i16x8.shl(sex, 7));
        const high = v128.or(menapt, i16x8.shl(psychiatric, 1));
        const lowMid0 = i8x16.shuffle(low, mid, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        const lowMid1 = i8x16.shuffle(low, mid, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        const high0 = i16x8.extend_low_i8x16_u(high);
        const high1 = i16x8.extend_high_i8x16_u(high);
        const c0 = i32x4.shl(i16x8.shuffle(lowMid0, high0, 0, 8, 1, 9, 2, 10, 3, 11), 4);
        const c1 = i32x4.shl(i16x8.shuffle(lowMid0, high0, 4, 12, 5, 13, 6, 14, 7, 15), 4);
        const c2 = i32x4.shl(i16x8.shuffle(lowMid1, high1, 0, 8, 1, 9, 2, 10, 3, 11), 4);
        const c3 = i32x4.shl(i16x8.shuffle(lowMid1, high1, 4, 12, 5, 13, 6, 14, 7, 15), 4);
        const k = clinicColumn + (<usize>r << 1);
        weighFour(lut, c0, partials, k);
        weighFour(lut, c1, partials, k + 8);
        weighFour(lut, c2, partials, k + 16);
        weighFour(lut, c3, partials, k + 24);
        // Weights are written block by block, not resident by resident: one test per block.
        if (weights != 0) {
          const out = weights + (<usize>(r - rowBegin) << 3);
          writeFourWeights(lut, c0, out);
          writeFourWeights(lut, c1, out + 32);
          writeFourWeights(lut, c2, out + 64);
          writeFourWeights(lut, c3, out + 96);
        }
        runRows += 16;
        r += 16;
        continue;
      }
    }

    // One row at a time: run boundaries, tails and invalid values.
    const code = <i32>load<u16>(municipalityColumn + (<usize>r << 1));
    if (code != runCode) {
      if (runRows > 0) flushRun(sums, clinicLow, clinicHigh, clinicColumn, r, municipalitySlot, councilSlot, runRows);
      runRows = 0;
      const index = code < MUNICIPALITY_CODE_LIMIT ? <i32>load<u8>(tables + TABLES_MUNICIPALITY_INDEX_BY_CODE + code) : NO_INDEX;
      if (index == NO_INDEX) {
        clearPartials(sums, clinicLow, clinicHigh);
        return fail(statusRecord, STATUS_UNKNOWN_MUNICIPALITY, r);
      }
      runCode = code;
      municipalitySlot = sums + (<usize>index << 5);
      councilSlot = sums + ((<usize>SUMS_COUNCIL_SLOT + <usize>load<u8>(tables + TABLES_COUNCIL_BY_MUNICIPALITY + index)) << 5);
    }
    const sex = <u32>load<u8>(sexColumn + r);
    const age = <u32>load<u8>(ageColumn + r);
    const civil = <u32>load<u8>(civilColumn + r);
    const education = <u32>load<u8>(educationColumn + r);
    const chronic = <u32>load<u8>(chronicColumn + r);
    const psychiatric = <u32>load<u8>(psychiatricColumn + r);
    const menapt = <u32>load<u8>(menaptColumn + r);
    const outside = <u32>load<u8>(outsideColumn + r);
    // The first bad column in schema order, as the reference checks them.
    const status = sex > 1 ? STATUS_BAD_SEX
      : age > <u32>MAX_AGE_YEARS ? STATUS_BAD_AGE
      : civil > 3 ? STATUS_BAD_CIVIL_STATUS
      : education > 3 ? STATUS_BAD_EDUCATION
      : chronic > 7 ? STATUS_BAD_CHRONIC_DISEASE_COUNT
      : psychiatric > 1 ? STATUS_BAD_PSYCHIATRIC
      : menapt > 1 ? STATUS_BAD_MENAPT
      : outside > 1 ? STATUS_BAD_OUTSIDE_LABOUR_MARKET
      : STATUS_OK;
    if (status != STATUS_OK) {
      clearPartials(sums, clinicLow, clinicHigh);
      return fail(statusRecord, status, r);
    }
    const entryCode = lutOffset(<u32>load<u8>(groupByAge + age), sex, civil, education, chronic, psychiatric, menapt, outside);
    weighResident(lut, entryCode, partials, <u32>load<u16>(clinicColumn + (<usize>r << 1)), r & 3);
    if (weights != 0) store<f64>(weights + (<usize>(r - rowBegin) << 3), load<f64>(lut + <usize>entryCode));
    runRows++;
    r++;
  }
  if (runRows > 0) flushRun(sums, clinicLow, clinicHigh, clinicColumn, rowEnd, municipalitySlot, councilSlot, runRows);
  return STATUS_OK;
}
