import type { AreaSums, WeighSums } from "../kernel/weigh/types.js";
import { FordelingError } from "../errors.js";
import type { Geography } from "../geo/geography.js";
import type { WeightTable } from "../model/weightTable.js";
import type { GpRegister } from "../register/types.js";

/** Clinic sums are indexed by raw clinic id 0…65534; slot 65535 counts residents with no clinic. */
export const CLINIC_SLOTS = 65_536;

/**
 * Checks the inputs of the capacity arithmetic before any figure is derived, so a mismatch
 * surfaces as a coded error naming the part, never as a NaN somewhere in the report.
 */
export function checkInputs(input: { sums: WeighSums; geography: Geography; register: GpRegister; weightTable: WeightTable }): void {
  const { sums, geography, register, weightTable } = input;
  checkSums(sums.municipality, geography.municipalities.length, "municipality");
  checkSums(sums.council, geography.councils.length, "council");
  checkSums(sums.clinic, CLINIC_SLOTS, "clinic");

  const target = weightTable.targetWeightedResidentsPerCapacity;
  if (!(Number.isFinite(target) && target > 0)) {
    throw new FordelingError("FD_ERR_WEIGHT_TABLE", `target per capacity must be a positive number, got ${target}`, {
      field: "/targetWeightedResidentsPerCapacity",
    });
  }
  const { redistributedShare, referenceLifeExpectancyYears } = weightTable.lifeExpectancyCorrection;
  if (!(redistributedShare >= 0 && redistributedShare <= 1)) {
    throw new FordelingError("FD_ERR_WEIGHT_TABLE", `redistributed share must lie in 0…1, got ${redistributedShare}`, {
      field: "/lifeExpectancyCorrection/redistributedShare",
    });
  }
  if (!Number.isFinite(referenceLifeExpectancyYears)) {
    throw new FordelingError("FD_ERR_WEIGHT_TABLE", `reference life expectancy must be a number, got ${referenceLifeExpectancyYears}`, {
      field: "/lifeExpectancyCorrection/referenceLifeExpectancyYears",
    });
  }

  const seen = new Set<number>();
  for (const clinic of register.clinics) {
    const where = { field: `clinic ${clinic.clinicId}` };
    if (!Number.isInteger(clinic.clinicId) || clinic.clinicId < 0 || clinic.clinicId >= CLINIC_SLOTS - 1) {
      throw new FordelingError("FD_ERR_REGISTER", `clinic id ${clinic.clinicId} is outside 0…${CLINIC_SLOTS - 2}`, where);
    }
    if (seen.has(clinic.clinicId)) throw new FordelingError("FD_ERR_REGISTER", "the clinic id appears twice", where);
    seen.add(clinic.clinicId);
    if (geography.municipalities[clinic.municipalityIndex] === undefined) {
      throw new FordelingError(
        "FD_ERR_REGISTER",
        `municipality index ${clinic.municipalityIndex} is not one of the ${geography.municipalities.length}`,
        where,
      );
    }
    if (!(Number.isFinite(clinic.capacities) && clinic.capacities >= 0)) {
      throw new FordelingError("FD_ERR_REGISTER", `capacities must be a number >= 0, got ${clinic.capacities}`, where);
    }
  }
}

function checkSums(sums: AreaSums, length: number, level: string): void {
  for (const name of ["residents", "weightSum", "weightSquaredSum"] as const) {
    const values = sums[name];
    if (values.length !== length) {
      throw new FordelingError("FD_ERR_INTERNAL", `${level} sums have ${values.length} slots, expected ${length}`, {
        field: `${level}.${name}`,
      });
    }
    // A plain loop: the clinic arrays have 65,536 slots and this runs for every report.
    const minimum = name === "residents" ? 0 : -Infinity;
    for (let slot = 0; slot < values.length; slot++) {
      const v = values[slot] as number;
      if (!Number.isFinite(v) || v < minimum) {
        throw new FordelingError("FD_ERR_INTERNAL", `${level} slot ${slot} holds ${v}`, { field: `${level}.${name}` });
      }
    }
  }
}
