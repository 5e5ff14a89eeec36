/**
 * The covariance matrix of a data set's features, the input PCA decomposes. The O(n·d²) product XᵀX
 * is done by the shared GEMM kernel on chunks of centred rows (so the WebAssembly build speeds PCA up
 * too) and summed in float64 across chunks. Constant features (MNIST's always-blank border pixels, 67
 * of 784 in the training set) have zero covariance with everything and are left out of the product.
 */
import type { Matrix } from "../matrix";
import type { Kernels } from "../kernels/api";

export interface FeatureCovariance {
  /** Per-feature mean over all features. */
  mean: Float64Array;
  /** Indices of the features that vary; the covariance below covers only these. */
  varying: Int32Array;
  /** varying.length² covariances (divided by n − 1), row-major. */
  covariance: Float64Array;
  /** Sum of all feature variances (the trace), the denominator of explained-variance ratios. */
  totalVariance: number;
}

/** Rows per GEMM call: large enough to keep the kernel efficient, small enough to stay in cache-sized buffers. */
const CHUNK_ROWS = 2048;

export function featureCovariance(x: Matrix, kernels: Kernels): FeatureCovariance {
  if (x.rows < 2) throw new RangeError(`featureCovariance: needs at least 2 samples, got ${x.rows}`);
  const { rows, cols, data } = x;
  const sum = new Float64Array(cols);
  const first = data.subarray(0, cols);
  const isConstant = new Uint8Array(cols).fill(1);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = data[row + c];
      sum[c] += v;
      if (v !== first[c]) isConstant[c] = 0;
    }
  }
  const mean = sum.map((s) => s / rows);
  const varying = Int32Array.from({ length: cols }, (_, c) => c).filter((c) => !isConstant[c]);
  const d = varying.length;
  const covariance = new Float64Array(d * d);
  if (d > 0) {
    const chunk = kernels.alloc(Math.min(rows, CHUNK_ROWS) * d);
    const partial = kernels.alloc(d * d);
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows - start);
      for (let r = 0; r < count; r++) {
        const source = (start + r) * cols;
        const target = r * d;
        for (let j = 0; j < d; j++) chunk[target + j] = data[source + varying[j]] - mean[varying[j]];
      }
      kernels.gemm(true, false, d, d, count, 1, chunk, chunk, 0, partial);
      for (let i = 0; i < d * d; i++) covariance[i] += partial[i];
    }
    for (let i = 0; i < d * d; i++) covariance[i] /= rows - 1;
  }
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += covariance[j * d + j];
  return { mean, varying, covariance, totalVariance };
}
