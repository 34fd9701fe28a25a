/**
 * What one weighing pass produces: per-area sums in dense arrays. Index i of a municipality
 * array is Geography.municipalities[i]; of a council array Geography.councils[i]; a clinic
 * array has 65,536 slots indexed by the residents' raw clinicId (map to register clinics with
 * GpRegister.clinicIndexById); the last slot, 65535, counts residents with no clinic.
 */
export interface AreaSums {
  residents: Float64Array;
  weightSum: Float64Array;
  /** Σ weight², for the variance of weights within an area. */
  weightSquaredSum: Float64Array;
}

export interface WeighSums {
  municipality: AreaSums;
  council: AreaSums;
  clinic: AreaSums;
  totalResidents: number;
  totalWeight: number;
  /** When asked for (`WeighOptions.clinicWeightsByMunicipality`): clinic lists split by home municipality. */
  clinicByMunicipality?: ClinicMunicipalityWeights;
}

/** Σ weight of each clinic's patients by their municipality of residence, one entry a pair, sorted. */
export interface ClinicMunicipalityWeights {
  /** Raw clinic id (65535 = no clinic). */
  clinicId: Int32Array;
  municipalityIndex: Int16Array;
  weightSum: Float64Array;
}
