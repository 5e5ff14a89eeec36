/**
 * An exponential moving average of a network's weights and batch-norm statistics (Polyak averaging, as
 * timm's ModelEma and Keras's `use_ema` do it). After every optimizer step
 *
 *   average ← average + (1 − d) · (live − average),   d = min(decay, (1 + updates) / (10 + updates))
 *
 * The warm-up of d forgets the first steps' weights, far from the final ones, quickly: early on the
 * average follows the live weights, later it spans about the last ninth of the steps taken, up to
 * 1 / (1 − decay) steps. The averaged weights sit in a flatter part of the loss surface than the last
 * step's and usually generalise a little better; evaluation swaps them in, and training ends by writing
 * them into the network for good.
 *
 * Batch-norm's running mean and variance are averaged with the weights they belong to, so the averaged
 * network needs no extra pass over the data.
 */
import { checkScalar } from "../validation";
import type { NamedArray } from "./layer";

export class WeightAverage {
  readonly decay: number;
  /** Optimizer steps averaged so far. */
  updates = 0;
  /** The averages, in float64: a float32 sum would lose the small (1 − d)-sized steps. */
  private readonly averages: Float64Array[];
  /** The live values while `withAverage` has swapped the averages in. */
  private readonly saved: Float32Array[];

  /**
   * @param arrays what to average: a network's `state()` (parameters and running statistics), read in
   *   place on every update
   * @param decay the largest per-step decay d, in (0, 1): the average spans at most about 1/(1 − d) steps
   */
  constructor(
    private readonly arrays: readonly NamedArray[],
    decay: number,
  ) {
    this.decay = checkScalar("WeightAverage", "decay", decay, {
      min: 0,
      minExclusive: true,
      max: 1,
      maxExclusive: true,
    });
    this.averages = arrays.map(({ value }) => Float64Array.from(value));
    this.saved = arrays.map(({ value }) => new Float32Array(value.length));
  }

  /** The decay of the next update: the warm-up's (1 + updates)/(10 + updates) until it reaches `decay`. */
  nextDecay(): number {
    return Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
  }

  /** Folds the arrays' current values into the average; call after every optimizer step. */
  update(): void {
    const weight = 1 - this.nextDecay();
    this.arrays.forEach(({ value }, index) => {
      const average = this.averages[index];
      for (let i = 0; i < value.length; i++) average[i] += weight * (value[i] - average[i]);
    });
    this.updates++;
  }

  /** Runs `use` with the averaged values in the arrays, then puts the live values back (even if it throws). */
  withAverage<T>(use: () => T): T {
    this.arrays.forEach(({ value }, index) => this.saved[index].set(value));
    this.writeAverages();
    try {
      return use();
    } finally {
      this.arrays.forEach(({ value }, index) => value.set(this.saved[index]));
    }
  }

  /** Writes the averaged values into the arrays for good: the end of training. */
  writeAverages(): void {
    this.arrays.forEach(({ value }, index) => value.set(this.averages[index]));
  }
}
