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
}
