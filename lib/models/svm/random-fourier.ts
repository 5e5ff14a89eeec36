/**
 * Random Fourier features (Rahimi & Recht, 2007): an explicit map z(x) with z(x)·z(y) ≈ exp(−γ‖x − y‖²),
 * so a linear model on z behaves like a kernel machine with the RBF kernel, at a cost linear in the
 * number of samples instead of quadratic.
 *
 *   z(x) = √(2/D) · cos(x·W + b),  W ~ N(0, 2γ) of shape d × D,  b ~ U(0, 2π).
 *
 * The approximation error shrinks like 1/√D. Same definition as scikit-learn's `RBFSampler`.
 */
import { Matrix } from "../../matrix";
import { getKernels, type Kernels } from "../../kernels/index";
import { Random } from "../../random";
import { QuantisedRows } from "./row-source";

export interface RandomFourierOptions {
  /** RBF width: k(x, y) = exp(−gamma·‖x − y‖²). */
  gamma: number;
  /** D, the number of features produced (default 2048). */
  nComponents?: number;
  seed?: number;
  /** Rows per GEMM call, bounding the kernels' working memory (default 1024). */
  blockRows?: number;
  kernels?: Kernels;
}

export class RandomFourierFeatures {
  readonly gamma: number;
  readonly nComponents: number;
  readonly seed: number;
  readonly blockRows: number;
  private readonly kernels: Kernels;
  /** d × D projection and D phases; null until fit. */
  private weights: Float32Array | null = null;
  private phases: Float32Array | null = null;
  private nFeatures = 0;

  constructor(options: RandomFourierOptions) {
    this.gamma = options.gamma;
    this.nComponents = options.nComponents ?? 2048;
    this.seed = options.seed ?? 0;
    this.blockRows = options.blockRows ?? 1024;
    if (!(this.gamma > 0))
      throw new RangeError(`RandomFourierFeatures: gamma must be positive, got ${this.gamma}`);
    if (!Number.isInteger(this.nComponents) || this.nComponents < 1) {
      throw new RangeError(
        `RandomFourierFeatures: nComponents must be a positive integer, got ${this.nComponents}`,
      );
    }
    this.kernels = options.kernels ?? getKernels();
  }

  /** Draws the random projection for inputs with `nFeatures` columns (the data itself is not needed). */
  fit(nFeatures: number): this {
    const random = new Random(this.seed);
    const std = Math.sqrt(2 * this.gamma);
    this.weights = this.kernels.alloc(nFeatures * this.nComponents);
    for (let i = 0; i < this.weights.length; i++) this.weights[i] = random.normal(0, std);
    this.phases = new Float32Array(this.nComponents);
    for (let j = 0; j < this.nComponents; j++) this.phases[j] = random.uniform(0, 2 * Math.PI);
    this.nFeatures = nFeatures;
    return this;
  }

  transform(x: Matrix): Matrix {
    const out = new Float32Array(x.rows * this.nComponents);
    this.forEachBlock(x, (start, rows, features) =>
      out.set(features.subarray(0, rows * this.nComponents), start * this.nComponents),
    );
    return { data: out, rows: x.rows, cols: this.nComponents };
  }

  /**
   * The same features stored as Int8 (QuantisedRows, a quarter of the memory): every value lies in
   * [−√(2/D), √(2/D)], and is off by at most 1/254 of that after rounding.
   */
  transformQuantised(x: Matrix): QuantisedRows {
    const out = new QuantisedRows(x.rows, this.nComponents, Math.sqrt(2 / this.nComponents));
    this.forEachBlock(x, (start, rows, features) => out.setRows(start, features, rows));
    return out;
  }

  /** Computes the features of `blockRows` rows at a time and hands each block to `use`. */
  private forEachBlock(x: Matrix, use: (start: number, rows: number, features: Float32Array) => void): void {
    if (!this.weights || !this.phases) throw new Error("RandomFourierFeatures: transform called before fit");
    if (x.cols !== this.nFeatures)
      throw new RangeError(`RandomFourierFeatures: expected ${this.nFeatures} features, got ${x.cols}`);
    const D = this.nComponents;
    const blockRows = Math.min(this.blockRows, x.rows);
    const input = this.kernels.alloc(blockRows * x.cols);
    const block = this.kernels.alloc(blockRows * D);
    const scale = Math.sqrt(2 / D);
    for (let start = 0; start < x.rows; start += blockRows) {
      const rows = Math.min(blockRows, x.rows - start);
      input.set(x.data.subarray(start * x.cols, (start + rows) * x.cols));
      this.kernels.gemm(false, false, rows, D, x.cols, 1, input, this.weights, 0, block);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < D; j++) block[r * D + j] = scale * Math.cos(block[r * D + j] + this.phases[j]);
      use(start, rows, block);
    }
    this.kernels.free(input);
    this.kernels.free(block);
  }
}

/** scikit-learn's gamma="scale": 1 / (nFeatures · variance of all entries), a width matched to the data's spread. */
export function scaleGamma(x: Matrix): number {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < x.data.length; i++) {
    sum += x.data[i];
    sumSquares += x.data[i] * x.data[i];
  }
  const mean = sum / x.data.length;
  const variance = sumSquares / x.data.length - mean * mean;
  return variance > 0 ? 1 / (x.cols * variance) : 1;
}
