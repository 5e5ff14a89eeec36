/**
 * A screen is what makes an exact k-NN search cheap: one GEMM gives every (query, training row) pair
 * an estimate whose error is bounded, so the search computes exact distances (SparseRows) only for
 * the pairs whose estimate is compatible with beating the current k-th best. Any valid bound gives
 * the same neighbours; a tighter one just computes fewer exact distances.
 */
import { Matrix } from "../../matrix";
import { squaredNorm } from "./sparse-rows";

export interface DistanceScreen {
  /** Query rows per `estimate` call at most. */
  readonly blockRows: number;
  /** Fills out[r · nTrain + j] with the estimate for query row `start + r` against training row j. */
  estimate(x: Matrix, start: number, rows: number, out: Float32Array): void;
  /**
   * For row r of the last `estimate` block: the largest estimate a training row can have when its
   * exact squared distance to the query is ≤ `squared`. Rows estimated above it are provably farther.
   */
  maxEstimate(r: number, squared: number): number;
}

/**
 * The first step of both screens' estimates, ‖q − t‖² = ‖q‖² + ‖t‖² − 2·q·t: records each query row's
 * squared norm, and starts every output row as the training rows' squared norms, for the GEMM's
 * beta = 1 to add −2·q·tᵀ to.
 */
export function startDistanceBlock(
  x: Matrix,
  start: number,
  rows: number,
  querySquaredNorms: Float64Array | Float32Array,
  trainSquaredNorms: Float32Array,
  out: Float32Array,
): void {
  const n = trainSquaredNorms.length;
  for (let r = 0; r < rows; r++) {
    querySquaredNorms[r] = squaredNorm(x.data, (start + r) * x.cols, x.cols);
    out.set(trainSquaredNorms, r * n);
  }
}

/** Unit roundoff of float32. */
export const FLOAT32_EPSILON = 2 ** -24;

/**
 * γ_n = n·u / (1 − n·u): |computed − exact| ≤ γ_n · Σ|aᵢ·bᵢ| for an n-term float32 dot product, in
 * any summation order (Higham, Accuracy and Stability of Numerical Algorithms, §3.1).
 */
export function dotErrorFactor(n: number): number {
  const nu = n * FLOAT32_EPSILON;
  return nu / (1 - nu);
}

/**
 * Relative error allowed for SparseRows' float64 distances (~1e-15 really): a bound must also hold
 * when the "exact" distance itself is off by rounding.
 */
export const EXACT_DISTANCE_SLACK = 1e-9;
