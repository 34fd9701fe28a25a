// The weighting kernel: per resident weight = base[sex][age] + Σ contributions, summed per
// municipality, council and clinic. Pure loops over memory the host lays out (docs/ABI.md):
// nothing is allocated, nothing throws, nothing is kept between calls.
import {
  BATCH_COLUMNS, CONTRIBUTION_DIVORCED, CONTRIBUTION_LONG_HIGHER_EDUCATION, CONTRIBUTION_MENAPT,
  CONTRIBUTION_OUTSIDE_LABOUR_MARKET, CONTRIBUTION_PRIMARY_SCHOOL, CONTRIBUTION_PSYCHIATRIC, CONTRIBUTION_WIDOWED,
  MAX_AGE_YEARS, MUNICIPALITY_CODE_LIMIT, NO_CLINIC, NO_INDEX, SLOT_BYTES, SLOT_RESIDENTS, STATUS_BAD_AGE, STATUS_BAD_CHRONIC_DISEASE_COUNT,
  STATUS_BAD_CIVIL_STATUS, STATUS_BAD_EDUCATION, STATUS_BAD_MENAPT, STATUS_BAD_OUTSIDE_LABOUR_MARKET,
  STATUS_BAD_PSYCHIATRIC, STATUS_BAD_SEX, STATUS_BAD_TABLES, STATUS_OK, STATUS_CLINIC_MAX, STATUS_CLINIC_MIN, STATUS_ROW, STATUS_STATUS,
  STATUS_UNKNOWN_MUNICIPALITY, SUMS_CLINIC_SLOT, SUMS_COUNCIL_SLOT, TABLES_BASE_WEIGHT, TABLES_CHRONIC_BY_COUNT,
  TABLES_CONTRIBUTIONS, TABLES_COUNCIL_BY_MUNICIPALITY, TABLES_LUT, TABLES_MUNICIPALITY_INDEX_BY_CODE,
} from "./layout";

/**
 * Byte offset of a combination's LUT entry [w, w²]. The code packs every characteristic into
 * 18 bits, so one load replaces the seven additions and the square:
 *   bits 17…16  civil status   bit 15  sex          bits 14…13  education   bits 12…10  chronic count
 *   bit  9      psychiatric    bit  8  MENAPT       bit  7      outside labour market
 *   bits  6…0   age in years (0…110; 111…127 unused)
 * Entries are computed with the reference's additions in its order, so weights are
 * bit-identical to `residentWeight`. Holding w² beside w makes the entry the very vector added
 * to a clinic's [Σw, Σw²] (V8 lowers the shuffles that would otherwise build it to several
 * instructions each). Age sits in the low bits because it is the most evenly spread
 * characteristic: a cache line holds four ages of one combination of the others, so a real
 * population touches a small part of the 4 MB table. Indexing by single age also spares an
 * age → group lookup, which SIMD (no gather) could only do with seven swizzles per 16 rows.
 */
@inline function lutOffset(age: u32, sex: u32, civil: u32, education: u32, chronic: u32, psychiatric: u32, menapt: u32, outside: u32): u32 {
  return ((civil << 16) | (sex << 15) | (education << 13) | (chronic << 10) | (psychiatric << 9) | (menapt << 8) | (outside << 7) | age) << 4;
}

@inline function finite(x: f64): bool {
  return x - x == 0.0;
}

/** Fills the LUT from the base weights and contributions. STATUS_BAD_TABLES if any is not finite. */
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
  const lut = tables + TABLES_LUT;
  for (let age: u32 = 0; age <= <u32>MAX_AGE_YEARS; age++) {
    for (let sex: u32 = 0; sex < 2; sex++) {
      const base = load<f64>(tables + TABLES_BASE_WEIGHT + ((sex * 128 + age) << 3));
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
              const entry = lut + lutOffset(age, sex, civil, education, chronic, flags >> 2, (flags >> 1) & 1, flags & 1);
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

@inline function fail(statusRecord: usize, status: i32, row: u32): i32 {
  store<i32>(statusRecord + STATUS_STATUS, status);
  store<u32>(statusRecord + STATUS_ROW, row);
  return status;
}

/**
 * Widens the status record's dirty clinic range to the ids in rows [rowBegin, rowEnd), so that
 * resetting and reducing shard sums touch only those slots. Id 65535 (no clinic) is left out:
 * its slot is always handled, and counting it would stretch every range to the end. A separate
 * pass over the clinic column (which the main loop then finds in cache): tracking the range
 * inside the main loop costs two more live vectors there and measured slower.
 */
function recordClinicRange(clinicColumn: usize, rowBegin: u32, rowEnd: u32, statusRecord: usize): void {
  let low = i16x8.splat(-1);
  // Ids plus one, wrapping 65535 to 0, so that "no clinic" never raises the maximum.
  let highPlusOne = i16x8.splat(0);
  let r = rowBegin;
  for (; r + 8 <= rowEnd; r += 8) {
    const k = v128.load(clinicColumn + (<usize>r << 1));
    low = i16x8.min_u(low, k);
    highPlusOne = i16x8.max_u(highPlusOne, i16x8.add(k, i16x8.splat(1)));
  }
  let lo = load<u32>(statusRecord + STATUS_CLINIC_MIN);
  let hi = load<u32>(statusRecord + STATUS_CLINIC_MAX);
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
  store<u32>(statusRecord + STATUS_CLINIC_MIN, lo);
  store<u32>(statusRecord + STATUS_CLINIC_MAX, hi);
}

/** Adds one finished municipality run ([Σw, Σw²] and its row count) to its municipality and council. */
function flushRun(municipalitySlot: usize, councilSlot: usize, sums: v128, rows: u32): void {
  v128.store(municipalitySlot, f64x2.add(v128.load(municipalitySlot), sums));
  store<u32>(municipalitySlot, load<u32>(municipalitySlot, SLOT_RESIDENTS) + rows, SLOT_RESIDENTS);
  v128.store(councilSlot, f64x2.add(v128.load(councilSlot), sums));
  store<u32>(councilSlot, load<u32>(councilSlot, SLOT_RESIDENTS) + rows, SLOT_RESIDENTS);
}

/**
 * One resident: its LUT entry [w, w²] goes to its clinic's slot (and the count up by one), to
 * the weight column when there is one, and to the run's sums, which are returned.
 */
@inline function weighResident(lut: usize, clinics: usize, offset: u32, clinic: u32, runSums: v128, weights: usize, weightOut: usize): v128 {
  const entry = v128.load(lut + offset);
  const slot = clinics + (<usize>clinic << 5);
  v128.store(slot, f64x2.add(v128.load(slot), entry));
  store<u32>(slot, load<u32>(slot, SLOT_RESIDENTS) + 1, SLOT_RESIDENTS);
  if (weights != 0) f64.store(weightOut, f64x2.extract_lane(entry, 0));
  return f64x2.add(runSums, entry);
}

/**
 * Weighs rows [rowBegin, rowEnd) of the batch described at `batch`, adding to the sums block
 * at `sums`; writes each weight to `weights` (row rowBegin first) unless it is 0. Returns
 * STATUS_OK or the status of the first invalid row, whose batch row index goes to `statusRecord`;
 * after a failure the sums are incomplete and must be discarded (resetShard clears them all).
 * On success the record's clinic range is widened to cover every clinic id seen.
 *
 * Rows come grouped by municipality, so the common case is a block of 16 rows of one
 * municipality with valid codes: that path packs the codes 16 at a time in SIMD, does one table
 * load per resident and keeps the municipality sums in registers until the run ends. Blocks that
 * cross a municipality boundary or hold a bad value go row by row, which also finds the row.
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
  const clinics = sums + SUMS_CLINIC_SLOT * SLOT_BYTES;

  let runCode: i32 = -1;
  let runRows: u32 = 0;
  let municipalitySlot: usize = 0;
  let councilSlot: usize = 0;
  let runSums = f64x2.splat(0.0);
  recordClinicRange(clinicColumn, rowBegin, rowEnd, statusRecord);

  let r = rowBegin;
  while (r < rowEnd) {
    if (runCode >= 0 && rowEnd - r >= 16) {
      const sex = v128.load(sexColumn + r);
      const age = v128.load(ageColumn + r);
      const civil = v128.load(civilColumn + r);
      const education = v128.load(educationColumn + r);
      const chronic = v128.load(chronicColumn + r);
      const psychiatric = v128.load(psychiatricColumn + r);
      const menapt = v128.load(menaptColumn + r);
      const outside = v128.load(outsideColumn + r);
      const run = i16x8.splat(<i16>runCode);
      const same = v128.and(
        i16x8.eq(v128.load(municipalityColumn + (<usize>r << 1)), run),
        i16x8.eq(v128.load(municipalityColumn + (<usize>r << 1), 16), run),
      );
      // Saturating subtraction leaves a nonzero byte exactly where a value exceeds its maximum;
      // V8 lowers it to one instruction, unsigned comparisons to three.
      let bad = i8x16.sub_sat_u(v128.or(v128.or(sex, psychiatric), v128.or(menapt, outside)), i8x16.splat(1));
      bad = v128.or(bad, i8x16.sub_sat_u(v128.or(civil, education), i8x16.splat(3)));
      bad = v128.or(bad, i8x16.sub_sat_u(chronic, i8x16.splat(7)));
      bad = v128.or(bad, i8x16.sub_sat_u(age, i8x16.splat(<i8>MAX_AGE_YEARS)));
      if (i16x8.all_true(same) && !v128.any_true(bad)) {
        // Validated values are small, so 16-bit shifts never carry into the next byte
        // (8-bit shifts do not exist on x64 and cost a mask each). Byte 0 of a code is age and
        // labour market, byte 1 the flags, chronic count, education and sex, byte 2 civil status.
        const low = v128.or(age, i16x8.shl(outside, 7));
        let mid = v128.or(menapt, i16x8.shl(psychiatric, 1));
        mid = v128.or(mid, v128.or(i16x8.shl(chronic, 2), v128.or(i16x8.shl(education, 5), i16x8.shl(sex, 7))));
        const lowMid0 = i8x16.shuffle(low, mid, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        const lowMid1 = i8x16.shuffle(low, mid, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        const civil0 = i16x8.extend_low_i8x16_u(civil);
        const civil1 = i16x8.extend_high_i8x16_u(civil);
        const o0 = v128.or(i32x4.shl(i32x4.extend_low_i16x8_u(civil0), 20), i32x4.shl(i32x4.extend_low_i16x8_u(lowMid0), 4));
        const o1 = v128.or(i32x4.shl(i32x4.extend_high_i16x8_u(civil0), 20), i32x4.shl(i32x4.extend_high_i16x8_u(lowMid0), 4));
        const o2 = v128.or(i32x4.shl(i32x4.extend_low_i16x8_u(civil1), 20), i32x4.shl(i32x4.extend_low_i16x8_u(lowMid1), 4));
        const o3 = v128.or(i32x4.shl(i32x4.extend_high_i16x8_u(civil1), 20), i32x4.shl(i32x4.extend_high_i16x8_u(lowMid1), 4));
        const k = clinicColumn + (<usize>r << 1);
        const out = weights + (<usize>(r - rowBegin) << 3);

        // Resident by resident, alternating two accumulators to keep the add chains short; the
        // order is fixed, so sums depend only on the rows, never on the thread count.
        let a = runSums;
        let b = f64x2.splat(0.0);
        a = weighResident(lut, clinics, i32x4.extract_lane(o0, 0), load<u16>(k, 0), a, weights, out + 0);
        b = weighResident(lut, clinics, i32x4.extract_lane(o0, 1), load<u16>(k, 2), b, weights, out + 8);
        a = weighResident(lut, clinics, i32x4.extract_lane(o0, 2), load<u16>(k, 4), a, weights, out + 16);
        b = weighResident(lut, clinics, i32x4.extract_lane(o0, 3), load<u16>(k, 6), b, weights, out + 24);
        a = weighResident(lut, clinics, i32x4.extract_lane(o1, 0), load<u16>(k, 8), a, weights, out + 32);
        b = weighResident(lut, clinics, i32x4.extract_lane(o1, 1), load<u16>(k, 10), b, weights, out + 40);
        a = weighResident(lut, clinics, i32x4.extract_lane(o1, 2), load<u16>(k, 12), a, weights, out + 48);
        b = weighResident(lut, clinics, i32x4.extract_lane(o1, 3), load<u16>(k, 14), b, weights, out + 56);
        a = weighResident(lut, clinics, i32x4.extract_lane(o2, 0), load<u16>(k, 16), a, weights, out + 64);
        b = weighResident(lut, clinics, i32x4.extract_lane(o2, 1), load<u16>(k, 18), b, weights, out + 72);
        a = weighResident(lut, clinics, i32x4.extract_lane(o2, 2), load<u16>(k, 20), a, weights, out + 80);
        b = weighResident(lut, clinics, i32x4.extract_lane(o2, 3), load<u16>(k, 22), b, weights, out + 88);
        a = weighResident(lut, clinics, i32x4.extract_lane(o3, 0), load<u16>(k, 24), a, weights, out + 96);
        b = weighResident(lut, clinics, i32x4.extract_lane(o3, 1), load<u16>(k, 26), b, weights, out + 104);
        a = weighResident(lut, clinics, i32x4.extract_lane(o3, 2), load<u16>(k, 28), a, weights, out + 112);
        b = weighResident(lut, clinics, i32x4.extract_lane(o3, 3), load<u16>(k, 30), b, weights, out + 120);
        runSums = f64x2.add(a, b);
        runRows += 16;
        r += 16;
        continue;
      }
    }

    // One row at a time: run boundaries, tails and invalid values.
    const code = <i32>load<u16>(municipalityColumn + (<usize>r << 1));
    if (code != runCode) {
      if (runRows > 0) flushRun(municipalitySlot, councilSlot, runSums, runRows);
      runSums = f64x2.splat(0.0);
      runRows = 0;
      const index = code < MUNICIPALITY_CODE_LIMIT ? <i32>load<u8>(tables + TABLES_MUNICIPALITY_INDEX_BY_CODE + code) : NO_INDEX;
      if (index == NO_INDEX) return fail(statusRecord, STATUS_UNKNOWN_MUNICIPALITY, r);
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
    if (status != STATUS_OK) return fail(statusRecord, status, r);
    const clinic = <u32>load<u16>(clinicColumn + (<usize>r << 1));
    const offset = lutOffset(age, sex, civil, education, chronic, psychiatric, menapt, outside);
    runSums = weighResident(lut, clinics, offset, clinic, runSums, weights, weights + (<usize>(r - rowBegin) << 3));
    runRows++;
    r++;
  }
  if (runRows > 0) flushRun(municipalitySlot, councilSlot, runSums, runRows);
  return STATUS_OK;
}
