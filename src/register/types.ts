/**
 * The GP register: GP capacities grouped into clinics. The CSV form has one row per GP
 * (see docs/REGISTER.md); clinics are the groups of rows sharing a clinic id.
 */

export interface GeneralPractitioner {
  /** Unique per register. */
  gpId: number;
  clinicId: number;
  ageYears: number;
  /** Full-time capacities this GP holds (1 = one full capacity; a GP holds at most 3 provider numbers). */
  capacity: number;
}

export interface Clinic {
  /** 0 … 65534: the id residents carry in their `clinicId` column (65535 means none). */
  clinicId: number;
  municipalityCode: number;
  /** Index into Geography.municipalities. */
  municipalityIndex: number;
  /** Σ capacity of its GPs. */
  capacities: number;
  /** Tendered clinic run by a private operator (udbudsklinik) rather than GP-owned. */
  tendered: boolean;
  gpIds: number[];
  /** WGS84 position, when the register gives one (coordinates or a postal code); docs/GEOGRAPHY.md. */
  lat?: number;
  lon?: number;
}

export interface GpRegister {
  clinics: Clinic[];
  gps: GeneralPractitioner[];
  /** clinic id → index into `clinics`, −1 when unused; length 65535. */
  clinicIndexById: Int32Array;
}

/** Lists residents with clinics (src/register/chooser.ts); built once, called per resident. */
export interface ClinicChooser {
  /**
   * A clinic id for a resident of the municipality at `municipalityIndex` (Geography index),
   * given one uniform draw `u` in [0, 1): the same (municipality, u) always gives the same clinic.
   */
  clinicFor(municipalityIndex: number, u: number): number;
  /** Per municipality index: the probability that a resident is listed outside it. */
  crossBorderShareByMunicipality: Float64Array;
}
