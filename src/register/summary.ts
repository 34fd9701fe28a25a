import type { Geography } from "../geo/geography.js";
import type { GpRegister } from "./types.js";

/** The figures a reader checks a register against (docs/REGISTER.md lists the targets). */
export interface RegisterSummary {
  gps: number;
  clinics: number;
  capacities: number;
  capacitiesPerClinic: number;
  meanAgeYears: number;
  /** Shares of GPs (not capacities) at or above the age. */
  shareAged60Plus: number;
  shareAged65Plus: number;
  tenderedClinics: number;
  /** Share of clinics with exactly one GP. */
  singleHandedClinicShare: number;
  /** Per municipality index. */
  clinicsByMunicipality: Int32Array;
  capacitiesByMunicipality: Float64Array;
}

export function summarizeRegister(register: GpRegister, geography: Geography): RegisterSummary {
  const count = geography.municipalities.length;
  const clinicsByMunicipality = new Int32Array(count);
  const capacitiesByMunicipality = new Float64Array(count);
  let capacities = 0;
  let tenderedClinics = 0;
  let singleHanded = 0;
  for (const clinic of register.clinics) {
    clinicsByMunicipality[clinic.municipalityIndex] = (clinicsByMunicipality[clinic.municipalityIndex] ?? 0) + 1;
    capacitiesByMunicipality[clinic.municipalityIndex] = (capacitiesByMunicipality[clinic.municipalityIndex] ?? 0) + clinic.capacities;
    capacities += clinic.capacities;
    if (clinic.tendered) tenderedClinics++;
    if (clinic.gpIds.length === 1) singleHanded++;
  }
  const gps = register.gps.length;
  const ages = register.gps.map((gp) => gp.ageYears);
  const share = (pred: (age: number) => boolean): number => (gps > 0 ? ages.filter(pred).length / gps : 0);
  return {
    gps,
    clinics: register.clinics.length,
    capacities,
    capacitiesPerClinic: register.clinics.length > 0 ? capacities / register.clinics.length : 0,
    meanAgeYears: gps > 0 ? ages.reduce((s, a) => s + a, 0) / gps : 0,
    shareAged60Plus: share((a) => a >= 60),
    shareAged65Plus: share((a) => a >= 65),
    tenderedClinics,
    singleHandedClinicShare: register.clinics.length > 0 ? singleHanded / register.clinics.length : 0,
    clinicsByMunicipality,
    capacitiesByMunicipality,
  };
}
