/**
 * The population generator's seeded PRNG: xoshiro128** (Blackman & Vigna, 2018), 32-bit state
 * words so every step is a handful of Math.imul and shifts, with no BigInt and no allocation.
 *
 * Each municipality draws from its own stream, seeded by splitmix32 from (seed, stream). A
 * municipality's residents therefore depend only on the seed and the municipality, never on
 * batch size or on the order in which other municipalities were generated.
 *
 * Period 2^128 − 1 per stream; floats carry 32 random bits (resolution 2^-32), ample for
 * probabilities estimated from counts of at most 6 M residents.
 */

const GOLDEN_GAMMA = 0x9e3779b9;

/** splitmix32: a bijective 32-bit mixer, used only to spread seeds over the state words. */
function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed`: any safe non-negative integer (all 53 bits are used); `stream`: 0 … 2^32 − 1. */
  constructor(seed: number, stream = 0) {
    const low = seed >>> 0;
    const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
    let state = mix32(low ^ mix32(high + GOLDEN_GAMMA)) ^ mix32(stream + 2 * GOLDEN_GAMMA);
    const next = (): number => {
      state = (state + GOLDEN_GAMMA) | 0;
      return mix32(state);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // An all-zero state is the one fixed point of xoshiro; mix32 of distinct inputs makes it
    // practically impossible, but the guard costs nothing.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }
}

/** Index of the first cumulative probability above u: a categorical draw over a short table. */
export function drawCategory(cumulative: Float64Array | readonly number[], u: number): number {
  const last = cumulative.length - 1;
  for (let k = 0; k < last; k++) {
    if (u < (cumulative[k] ?? 1)) return k;
  }
  return last;
}
