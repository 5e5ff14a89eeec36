/** A fake two-class classifier for test-time augmentation tests: what it answers is known per image. */
import type { Matrix } from "../../lib/matrix";

/**
 * Class 0's probability is `classZero(image)`, class 1's the rest; it keeps every batch it was given
 * (`seen`), so a test can check which views it was shown and how many passes were made.
 */
export class TwoClassModel {
  readonly numClasses = 2;
  readonly seen: Float32Array[] = [];

  constructor(private readonly classZero: (image: Float32Array) => number) {}

  get calls(): number {
    return this.seen.length;
  }

  predictProba(x: Matrix): Float32Array {
    this.seen.push(x.data.slice());
    const out = new Float32Array(x.rows * 2);
    for (let r = 0; r < x.rows; r++) {
      const p = this.classZero(x.data.subarray(r * x.cols, (r + 1) * x.cols));
      out[2 * r] = p;
      out[2 * r + 1] = 1 - p;
    }
    return out;
  }
}
