import { FordelingError } from "../errors.js";

/**
 * The register's own seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * 128-bit state, period ≥ 2^32, passes PractRand to 2^40+ bytes), seeded through splitmix32 so
 * nearby seeds give unrelated streams. A register has a few thousand GPs, so quality, not
 * speed, decides: sfc32 is small, has no known weak seeds thanks to the counter word, and is
 * exact in 32-bit integer arithmetic, so every platform draws the same numbers.
 *
 * Each phase of the generator (capacities, GPs, ages, tenders) takes its own stream
 * (`makeRandom(seed, stream)`), so changing how many draws one phase makes does not reshuffle
 * the others.
 */
export interface Random {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1) with 32-bit resolution. */
  uniform(): number;
  /** Uniform integer in [0, n); n ≥ 1. */
  int(n: number): number;
  /** Standard normal (Box–Muller; one of the pair is discarded to keep the state simple). */
  normal(): number;
}

export const MAX_SEED = 0xffffffff;

/** A seed must be a whole number 0…2^32−1: it is the user-visible handle of a register. */
export function checkSeed(seed: number, field = "seed"): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new FordelingError("FD_ERR_ARGUMENT", `seed must be a whole number from 0 to ${MAX_SEED}, got ${String(seed)}`, { field });
  }
  return seed;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function makeRandom(seed: number, stream = 0): Random {
  const init = { s: (checkSeed(seed) ^ Math.imul(stream + 1, 0x27d4eb2f)) >>> 0 };
  let a = splitmix32(init);
  let b = splitmix32(init);
  let c = splitmix32(init);
  let counter = 1;
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + counter) >>> 0;
    counter = (counter + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first draws: sfc32's authors advise a few rounds to mix the seeded state.
  for (let i = 0; i < 12; i++) nextUint32();
  const uniform = (): number => nextUint32() / 4294967296;
  return {
    nextUint32,
    uniform,
    int: (n) => Math.floor(uniform() * n),
    normal: () => {
      const u1 = 1 - uniform(); // (0, 1]: keeps log finite
      const u2 = uniform();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}
