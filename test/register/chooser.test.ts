import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultGeography } from "../../src/geo/geography.js";
import { makeAliasTables } from "../../src/register/alias.js";
import { registerFromRows } from "../../src/register/build.js";
import { makeClinicChooser } from "../../src/register/chooser.js";
import { makeRandom } from "../../src/register/random.js";
import { makeSyntheticRegister } from "../../src/register/synthetic.js";
import type { GpRegister } from "../../src/register/types.js";
import { caught } from "./helpers.js";

const geography = defaultGeography();
const register = makeSyntheticRegister(geography, { seed: 42 });
const chooser = makeClinicChooser(register, geography);
const indexOf = (code: number): number => geography.municipalityIndexByCode[code] ?? -1;
const municipalityOfClinic = (r: GpRegister, id: number): number => r.clinics[r.clinicIndexById[id] ?? -1]?.municipalityIndex ?? -1;
const mainland = geography.municipalities.filter((m) => !m.islandNoBridge);

/** Upper critical value of chi-square with `df` degrees of freedom at z sd (Wilson–Hilferty). */
function chiSquareCritical(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

function smallRegister(rows: [gpId: number, clinicId: number, code: number, capacity: number][]): GpRegister {
  return registerFromRows(
    rows.map(([gpId, clinicId, municipalityCode, capacity]) => ({
      gpId,
      clinicId,
      municipalityCode,
      capacity,
      ageYears: 50,
      tendered: false,
    })),
    geography,
  );
}

describe("alias tables", () => {
  it("reproduce any weight list exactly (integrated over u)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0.001, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (lists) => {
          const { offsets, keep, alias } = makeAliasTables(lists);
          lists.forEach((weights, t) => {
            const start = offsets[t] ?? 0;
            const n = weights.length;
            const got = new Float64Array(n);
            for (let j = 0; j < n; j++) {
              got[j] = (got[j] ?? 0) + (keep[start + j] ?? 0) / n;
              const a = (alias[start + j] ?? 0) - start;
              got[a] = (got[a] ?? 0) + (1 - (keep[start + j] ?? 0)) / n;
            }
            const sum = weights.reduce((s, w) => s + w, 0);
            weights.forEach((w, j) => expect(got[j]).toBeCloseTo(w / sum, 12));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("makeClinicChooser", () => {
  it("rejects a cross-border share outside 0…0.4, naming the option", () => {
    for (const crossBorderShare of [-0.1, 0.41, Number.NaN]) {
      expect(caught(() => makeClinicChooser(register, geography, { crossBorderShare }))).toMatchObject({
        code: "FD_ERR_ARGUMENT",
        location: { field: "crossBorderShare" },
      });
    }
  });

  it("rejects a register without clinics", () => {
    const empty: GpRegister = { clinics: [], gps: [], clinicIndexById: new Int32Array(65535).fill(-1) };
    expect(caught(() => makeClinicChooser(empty, geography)).code).toBe("FD_ERR_REGISTER");
  });

  it("rejects u outside [0, 1) and municipality indices that are not 0…97", () => {
    for (const [m, u] of [
      [0, 1],
      [0, -0.01],
      [0, Number.NaN],
      [98, 0.5],
      [-1, 0.5],
      [1.5, 0.5],
    ] as const) {
      expect(caught(() => chooser.clinicFor(m, u)).code).toBe("FD_ERR_ARGUMENT");
    }
  });

  it("never returns an id the register does not hold, including at u = 0 and just below 1", () => {
    const justBelowOne = 1 - 2 ** -53;
    for (const m of geography.municipalities) {
      for (const u of [0, justBelowOne]) expect(register.clinicIndexById[chooser.clinicFor(m.index, u)]).toBeGreaterThanOrEqual(0);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 97 }), fc.double({ min: 0, max: justBelowOne, noNaN: true }), (m, u) => {
        expect(register.clinicIndexById[chooser.clinicFor(m, u)]).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps residents of non-bridged islands on their island and sends nobody there", () => {
    const random = makeRandom(1);
    for (const island of geography.municipalities.filter((m) => m.islandNoBridge)) {
      expect(chooser.crossBorderShareByMunicipality[island.index]).toBe(0);
      for (let i = 0; i < 2000; i++)
        expect(municipalityOfClinic(register, chooser.clinicFor(island.index, random.uniform()))).toBe(island.index);
    }
    const islands = new Set(geography.municipalities.filter((m) => m.islandNoBridge).map((m) => m.index));
    for (const m of mainland) {
      for (let i = 0; i < 200; i++)
        expect(islands.has(municipalityOfClinic(register, chooser.clinicFor(m.index, random.uniform())))).toBe(false);
    }
  });

  it("lists the configured share of mainland residents outside their municipality (population-weighted)", () => {
    for (const crossBorderShare of [0, 0.05, 0.1, 0.2]) {
      const c = makeClinicChooser(register, geography, { crossBorderShare });
      const population = mainland.reduce((s, m) => s + m.population2026, 0);
      const exact = mainland.reduce((s, m) => s + m.population2026 * (c.crossBorderShareByMunicipality[m.index] ?? 0), 0) / population;
      expect(exact).toBeCloseTo(crossBorderShare, 6);
    }
    // Sampled: one draw per 50 residents (≈ 120,000); sd of the share ≈ 0.0009, tolerance ≈ 5 sd.
    const random = makeRandom(2);
    let draws = 0;
    let outside = 0;
    for (const m of mainland) {
      for (let i = Math.round(m.population2026 / 50); i > 0; i--, draws++) {
        if (municipalityOfClinic(register, chooser.clinicFor(m.index, random.uniform())) !== m.index) outside++;
      }
    }
    expect(Math.abs(outside / draws - 0.1)).toBeLessThan(0.005);
  });

  it("sends more residents across from small municipalities next to big ones", () => {
    const share = (code: number): number => chooser.crossBorderShareByMunicipality[indexOf(code)] ?? 0;
    expect(share(147)).toBeGreaterThan(2 * share(101)); // Frederiksberg vs København
    expect(share(155)).toBeGreaterThan(2 * share(751)); // Dragør vs Aarhus
    for (const s of chooser.crossBorderShareByMunicipality) expect(s >= 0 && s <= 0.4).toBe(true);
  });

  it("picks clinics in proportion to capacity: chi-square on Aarhus's own clinics (fixed seed)", () => {
    const aarhus = indexOf(751);
    const own = register.clinics.filter((c) => c.municipalityIndex === aarhus);
    const ownCapacities = own.reduce((s, c) => s + c.capacities, 0);
    const counts = new Map<number, number>();
    const draws = 300_000;
    const random = makeRandom(3);
    let ownDraws = 0;
    for (let i = 0; i < draws; i++) {
      const id = chooser.clinicFor(aarhus, random.uniform());
      if (municipalityOfClinic(register, id) !== aarhus) continue;
      ownDraws++;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const expectedOwn = 1 - (chooser.crossBorderShareByMunicipality[aarhus] ?? 0);
    expect(Math.abs(ownDraws / draws - expectedOwn)).toBeLessThan(5 * Math.sqrt((expectedOwn * (1 - expectedOwn)) / draws));
    let chiSquare = 0;
    for (const clinic of own) {
      const expected = (ownDraws * clinic.capacities) / ownCapacities;
      chiSquare += ((counts.get(clinic.clinicId) ?? 0) - expected) ** 2 / expected;
    }
    expect(own.length).toBeGreaterThan(50);
    expect(chiSquare).toBeLessThan(chiSquareCritical(own.length - 1, 3.72)); // p ≈ 10^-4
    // A clinic with twice the capacity of another is drawn about twice as often.
    const big = own.filter((c) => c.capacities >= 3);
    const small = own.filter((c) => c.capacities === 1);
    const perClinic = (cs: typeof own): number =>
      cs.reduce((s, c) => s + (counts.get(c.clinicId) ?? 0), 0) / cs.reduce((s, c) => s + c.capacities, 0);
    expect(perClinic(big) / perClinic(small)).toBeCloseTo(1, 1);
  });

  it("gives the same clinic for the same (municipality, u) from two choosers of one register", () => {
    const again = makeClinicChooser(register, geography);
    const random = makeRandom(4);
    for (let i = 0; i < 1000; i++) {
      const m = random.int(98);
      const u = random.uniform();
      expect(again.clinicFor(m, u)).toBe(chooser.clinicFor(m, u));
    }
  });

  it("sends residents of a municipality without clinics to the nearest municipalities that have one", () => {
    // Clinics only in København (101) and Frederiksberg (147) and on Bornholm (400).
    const r = smallRegister([
      [1, 10, 101, 1],
      [2, 11, 147, 2],
      [3, 12, 400, 1],
    ]);
    const c = makeClinicChooser(r, geography);
    const random = makeRandom(5);
    expect(c.crossBorderShareByMunicipality[indexOf(751)]).toBe(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(c.clinicFor(indexOf(751), random.uniform()));
    expect([...seen].sort()).toEqual([10, 11]); // Aarhus residents go to the mainland clinics, not Bornholm
    expect(c.clinicFor(indexOf(400), 0.99)).toBe(12);
  });

  it("lets island residents leave only when no mainland municipality has a clinic, and then to an island", () => {
    const r = smallRegister([
      [1, 3, 400, 1],
      [2, 4, 825, 1],
    ]); // Bornholm and Læsø
    const c = makeClinicChooser(r, geography);
    expect(c.clinicFor(indexOf(400), 0.5)).toBe(3);
    expect([3, 4]).toContain(c.clinicFor(indexOf(101), 0.5));
  });
});
