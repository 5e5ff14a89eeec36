/**
 * Principal component analysis: the directions of largest variance in the training data, found as
 * the top eigenvectors of the feature covariance (GEMM for XᵀX, then a symmetric eigen-solver).
 * `transform` projects onto them, `inverseTransform` maps projections back to pixel space (with all
 * components, exactly; with fewer, the best linear reconstruction).
 *
 * Sign convention: each component's largest-magnitude entry is positive, so results are reproducible.
 */
import { matrix, Matrix } from "../matrix";
import type { Kernels } from "../kernels/api";
import { getKernels } from "../kernels";
import { featureCovariance } from "./covariance";
import { symmetricEigen } from "./eigen";
import { BaseTransformer } from "./transformer";
import { checkOptionKeys, checkScalar } from "../validation";

export interface PCAOptions {
  /**
   * An integer ≥ 1: keep that many components. A fraction in (0, 1): keep the fewest components whose
   * explained-variance ratios sum to at least it (as scikit-learn).
   */
  nComponents: number;
  /** GEMM provider; default `getKernels()`. */
  kernels?: Kernels;
}

export class PCA extends BaseTransformer<PCAOptions> {
  readonly name: string;
  private readonly requested: number;
  private readonly kernels: Kernels;
  /** Components kept (resolved from a fraction after fit). */
  nComponents = 0;
  /** Per-feature training mean. */
  mean: Float32Array = new Float32Array(0);
  /** nComponents × nFeatures, one unit-length principal axis per row, by decreasing variance. */
  components: Matrix = { data: new Float32Array(0), rows: 0, cols: 0 };
  /** Variance of the training data along each component (eigenvalues of the covariance, ddof 1). */
  explainedVariance: Float64Array = new Float64Array(0);
  /** explainedVariance / total variance: descending, summing to ≤ 1 (= 1 with every component). */
  explainedVarianceRatio: Float64Array = new Float64Array(0);
  /** Sum of all feature variances of the training data. */
  totalVariance = 0;

  constructor(options: PCAOptions) {
    super();
    checkOptionKeys("PCA", options, ["nComponents", "kernels"]);
    const n = options?.nComponents;
    checkScalar("PCA", "nComponents", n, { min: 0, minExclusive: true });
    if (n > 1 && !Number.isInteger(n)) {
      throw new RangeError(`PCA: nComponents must be an integer ≥ 1 or a fraction in (0, 1), got ${n}`);
    }
    this.requested = n;
    this.kernels = options.kernels ?? getKernels();
    this.name = n < 1 ? `PCA (${n * 100}% variance)` : `PCA (${n} components)`;
  }

  getParams(): PCAOptions {
    return { nComponents: this.requested, kernels: this.kernels };
  }

  protected fitImpl(x: Matrix): void {
    checkScalar(`${this.name}: fit`, "the number of samples", x.rows, { integer: true, min: 2 });
    if (this.requested >= 1 && this.requested > x.cols) {
      throw new RangeError(`PCA: nComponents = ${this.requested} exceeds the ${x.cols} features of the data`);
    }
    const { mean, varying, covariance, totalVariance } = featureCovariance(x, this.kernels);
    const d = varying.length;
    const wanted = (values: Float64Array): number => {
      if (this.requested >= 1) return this.requested;
      let cumulative = 0;
      for (let k = 0; k < values.length; k++) {
        cumulative += Math.max(values[k], 0);
        if (cumulative >= this.requested * totalVariance) return k + 1;
      }
      return values.length;
    };
    // Constant data (d = 0) has no covariance to decompose: every axis explains none of the (zero)
    // variance, so the components are feature axes, each with variance and ratio 0.
    const eigen =
      d > 0
        ? symmetricEigen(covariance, d, (values) => Math.min(wanted(values), d))
        : { values: new Float64Array(0), vectors: new Float64Array(0) };
    const k = this.requested >= 1 ? this.requested : Math.max(1, wanted(eigen.values));
    const components = new Float32Array(k * x.cols);
    const variance = new Float64Array(k);
    const fromEigen = Math.min(k, d);
    for (let i = 0; i < fromEigen; i++) {
      // Rounding can leave the smallest eigenvalues a hair below zero; a variance cannot be negative.
      variance[i] = Math.max(eigen.values[i], 0);
      for (let j = 0; j < d; j++) components[i * x.cols + varying[j]] = eigen.vectors[i * d + j];
    }
    // Past the varying features, the remaining axes are the constant features themselves (variance 0).
    const isVarying = new Uint8Array(x.cols);
    for (const j of varying) isVarying[j] = 1;
    let next = fromEigen;
    for (let c = 0; c < x.cols && next < k; c++) if (!isVarying[c]) components[next++ * x.cols + c] = 1;

    this.nComponents = k;
    this.mean = Float32Array.from(mean);
    this.components = matrix(components, k, x.cols);
    this.explainedVariance = variance;
    this.totalVariance = totalVariance;
    this.explainedVarianceRatio = variance.map((v) => (totalVariance > 0 ? v / totalVariance : 0));
  }

  /** (x − mean)·componentsᵀ, computed as x·componentsᵀ − mean·componentsᵀ so x need not be copied. */
  protected transformImpl(x: Matrix): Matrix {
    const k = this.nComponents;
    const out = multiplyByRowBlocks(this.kernels, x, true, this.components.data, k);
    const offset = new Float32Array(k);
    this.kernels.gemm(false, true, 1, k, x.cols, 1, this.mean, this.components.data, 0, offset);
    for (let r = 0; r < x.rows; r++) for (let i = 0; i < k; i++) out[r * k + i] -= offset[i];
    return matrix(out, x.rows, k);
  }

  /** z·components + mean: back from nComponents coordinates to the feature space. */
  inverseTransform(z: Matrix): Matrix {
    const features = this.fittedFeatures("inverseTransform");
    this.checkFittedInput(z, "inverseTransform", this.nComponents);
    const out = multiplyByRowBlocks(this.kernels, z, false, this.components.data, features);
    for (let r = 0; r < z.rows; r++) for (let c = 0; c < features; c++) out[r * features + c] += this.mean[c];
    return matrix(out, z.rows, features);
  }
}

/** Rows of the input per GEMM call in transform and inverseTransform. */
const BLOCK_ROWS = 4096;

/**
 * x · op(B) (op(B) is x.cols × n), BLOCK_ROWS rows at a time. The WebAssembly kernels copy an array
 * from outside their memory into it, and that memory never shrinks: one call on 55,000 × 784 training
 * rows would keep 172 MB resident for the rest of the process; a block keeps 13 MB.
 */
function multiplyByRowBlocks(
  kernels: Kernels,
  x: Matrix,
  transB: boolean,
  b: Float32Array,
  n: number,
): Float32Array {
  const out = new Float32Array(x.rows * n);
  for (let start = 0; start < x.rows; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, x.rows - start);
    const block = x.data.subarray(start * x.cols, (start + rows) * x.cols);
    const target = out.subarray(start * n, (start + rows) * n);
    kernels.gemm(false, transB, rows, n, x.cols, 1, block, b, 0, target);
  }
  return out;
}
