import { describe, expect, it } from "vitest";
import { checkSeed, makeRandom } from "../../src/register/random.js";
import { caught } from "./helpers.js";

describe("register PRNG", () => {
  it("rejects seeds that are negative, fractional or above 2^32−1", () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) {
      const error = caught(() => checkSeed(seed));
      expect(error.code).toBe("FD_ERR_ARGUMENT");
      expect(error.location.field).toBe("seed");
    }
    expect(checkSeed(0)).toBe(0);
    expect(checkSeed(2 ** 32 - 1)).toBe(2 ** 32 - 1);
  });

  it("gives the same sequence for the same seed and stream, another for another seed or stream", () => {
    const draw = (seed: number, stream: number): number[] => {
      const r = makeRandom(seed, stream);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(7, 0)).toEqual(draw(7, 0));
    expect(draw(7, 0)).not.toEqual(draw(8, 0));
    expect(draw(7, 0)).not.toEqual(draw(7, 1));
  });

  it("draws uniforms in [0, 1) with mean 1/2 and integers in [0, n)", () => {
    const r = makeRandom(1);
    const n = 100_000;
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    // sd of the mean of n uniforms is 1/sqrt(12n) ≈ 0.0009; allow 5 sd.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.0046);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it("draws standard normals with mean 0 and variance 1", () => {
    const r = makeRandom(3);
    const xs = Array.from({ length: 50_000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.025);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    expect(xs.every(Number.isFinite)).toBe(true);
  });
});
