import { MUNICIPALITY_COUNT } from "../../geo/geography.js";

/**
 * Patient lists as fractions. Residents keep the clinic of the base population in the WASM
 * columns; the GP side maps every original list o to its current holders, `owner[o]`: holder →
 * fraction. A holder is a clinic (index ≥ 0: a GP-owned practice or a tendered clinic), the
 * temporary clinic of a municipality, or the municipality's list of residents without a GP.
 * The fractions of every original list sum to 1, so every listed resident of the base is in
 * exactly one state; lists therefore never need a pass over residents.
 */
export const withoutGpOf = (m: number): number => -1 - m;
export const temporaryOf = (m: number): number => -1 - MUNICIPALITY_COUNT - m;

export type HolderKind = "clinic" | "temporary" | "without";

export function holderKind(h: number): HolderKind {
  if (h >= 0) return "clinic";
  return h >= -MUNICIPALITY_COUNT ? "without" : "temporary";
}

/** The municipality of a temporary or without-GP holder. */
export const municipalityOfHolder = (h: number): number => (h >= -MUNICIPALITY_COUNT ? -1 - h : -1 - MUNICIPALITY_COUNT - h);

/**
 * The owner maps plus the year's list sizes per holder (residents and Σ weight), kept current
 * as lists move, so decisions inside a year see the lists as they are.
 */
export class ListBook {
  readonly owner: Map<number, number>[];
  private rawResidents: Float64Array = new Float64Array(0);
  private rawWeight: Float64Array = new Float64Array(0);
  private readonly residentsOf = new Map<number, number>();
  private readonly weightOf = new Map<number, number>();
  /** holder → the original lists it holds a share of: a move touches only those. */
  private readonly listsOf = new Map<number, Set<number>>();

  constructor(originalLists: number) {
    this.owner = Array.from({ length: originalLists }, (_, k) => new Map([[k, 1]]));
    for (let k = 0; k < originalLists; k++) this.listsOf.set(k, new Set([k]));
  }

  /** Takes the year's sums per original list (the kernel's clinic sums) and recomputes every holder's size. */
  refresh(rawResidents: Float64Array, rawWeight: Float64Array): void {
    this.rawResidents = rawResidents;
    this.rawWeight = rawWeight;
    this.residentsOf.clear();
    this.weightOf.clear();
    this.owner.forEach((shares, o) => {
      for (const [h, f] of shares) {
        this.residentsOf.set(h, (this.residentsOf.get(h) ?? 0) + (rawResidents[o] ?? 0) * f);
        this.weightOf.set(h, (this.weightOf.get(h) ?? 0) + (rawWeight[o] ?? 0) * f);
      }
    });
  }

  residents(h: number): number {
    return this.residentsOf.get(h) ?? 0;
  }

  weight(h: number): number {
    return this.weightOf.get(h) ?? 0;
  }

  /** Moves `fraction` (0…1) of everything `from` holds to `to`. */
  move(from: number, to: number, fraction: number): void {
    const lists = this.listsOf.get(from);
    if (from === to || !(fraction > 0) || lists === undefined) return;
    let into = this.listsOf.get(to);
    if (into === undefined) this.listsOf.set(to, (into = new Set()));
    // Ascending list order, so the float sums do not depend on the order moves happened in.
    for (const o of [...lists].sort((a, b) => a - b)) {
      const shares = this.owner[o]!;
      const held = shares.get(from) ?? 0;
      const moved = fraction >= 1 ? held : held * fraction;
      if (fraction >= 1) shares.delete(from);
      else shares.set(from, held - moved);
      shares.set(to, (shares.get(to) ?? 0) + moved);
      into.add(o);
      this.shift(from, to, (this.rawResidents[o] ?? 0) * moved, (this.rawWeight[o] ?? 0) * moved);
    }
    if (fraction >= 1) this.listsOf.delete(from);
  }

  private shift(from: number, to: number, residents: number, weight: number): void {
    this.residentsOf.set(from, (this.residentsOf.get(from) ?? 0) - residents);
    this.weightOf.set(from, (this.weightOf.get(from) ?? 0) - weight);
    this.residentsOf.set(to, (this.residentsOf.get(to) ?? 0) + residents);
    this.weightOf.set(to, (this.weightOf.get(to) ?? 0) + weight);
  }
}

export interface ResidentStates {
  /** Per clinic index: residents and Σ weight. */
  clinicResidents: Float64Array;
  clinicWeight: Float64Array;
  /** Per municipality: residents with its temporary clinic, and orphaned (without a GP). */
  temporary: Float64Array;
  orphaned: Float64Array;
}

/** Lists per current holder from the kernel's sums per original list (the last slot is "not listed"). */
export function residentStates(
  owner: readonly Map<number, number>[],
  clinics: number,
  rawResidents: Float64Array,
  rawWeight: Float64Array,
): ResidentStates {
  const s: ResidentStates = {
    clinicResidents: new Float64Array(clinics),
    clinicWeight: new Float64Array(clinics),
    temporary: new Float64Array(MUNICIPALITY_COUNT),
    orphaned: new Float64Array(MUNICIPALITY_COUNT),
  };
  owner.forEach((shares, o) => {
    const r = rawResidents[o] ?? 0;
    const w = rawWeight[o] ?? 0;
    for (const [h, f] of shares) {
      if (h >= 0) {
        s.clinicResidents[h]! += r * f;
        s.clinicWeight[h]! += w * f;
      } else if (holderKind(h) === "temporary") s.temporary[municipalityOfHolder(h)]! += r * f;
      else s.orphaned[municipalityOfHolder(h)]! += r * f;
    }
  });
  return s;
}
