/**
 * Seeded pseudo-random numbers. Every random choice in the project (shuffles, splits,
 * initialisation, augmentation, dropout) draws from one of these so a seed reproduces a run.
 *
 * The generator is xoshiro128**: small state, fast in JS's 32-bit integer arithmetic, and of far
 * better quality than Math.random-style LCGs for the millions of draws a training run makes.
 */
import { checkPositiveInteger, checkSeed } from "./validation";

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /**
   * @param seed an integer in 0..2^32-1. The state is seeded from 32 bits, so a fraction (1.9) or a
   * larger number (2^32+1) would silently give the same stream as another seed (1): they are rejected.
   */
  constructor(seed: number) {
    // SplitMix32 spreads any seed (0, 1, 2, ...) over the whole 128-bit state.
    let x = checkSeed("Random", seed);
    const splitmix = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix();
    this.s1 = splitmix();
    this.s2 = splitmix();
    this.s3 = splitmix();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
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
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    checkPositiveInteger("Random.int", "n", n);
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * The generator's whole state (the four words and the spare normal deviate), so another thread can
   * continue this exact stream and hand it back (background augmentation does).
   */
  saveState(): RandomState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spareNormal };
  }

  /** Continues from a state `saveState` returned: the next draws are the ones that state would give. */
  restoreState(state: RandomState): this {
    [this.s0, this.s1, this.s2, this.s3] = state.words;
    this.spareNormal = state.spareNormal;
    return this;
  }

  /** An independent generator derived from this one, for a sub-task that must not disturb this stream. */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

/** A snapshot of a Random: xoshiro128**'s four 32-bit words and the Box–Muller spare (or null). */
export interface RandomState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
