/**
 * The projection screen: lower bounds from a few principal components. For P with orthonormal rows,
 * ‖P(q − t)‖ ≤ ‖q − t‖, so the squared distance between projections (one GEMM over m ≈ 64 columns
 * instead of 784) can only underestimate. PCA picks the directions where MNIST varies most, which
 * makes that underestimate tight, so most training rows are ruled out without their exact distance.
 *
 * The bound survives float32 rounding because every error is bounded and added to the slack:
 *  - P is stored in float32, so it is only nearly orthonormal: ρ ≥ ‖P‖₂ (from the Gram matrix PPᵀ)
 *    replaces 1, i.e. ‖P(q − t)‖ ≤ ρ·‖q − t‖;
 *  - each projection x̂ = fl(P·fl(x − mean)) is off by at most (ρ·u + √m·γ_d·maxᵢ‖Pᵢ‖)·‖x − mean‖;
 *  - the GEMM between projections is off by at most γ_{m+2}·(‖q̂‖ + ‖t̂‖)².
 */
import { Matrix } from "../../matrix";
import type { Kernels } from "../../kernels/index";
import { PCA } from "../../preprocessing/pca";
import {
  DistanceScreen,
  dotErrorFactor,
  EXACT_DISTANCE_SLACK,
  FLOAT32_EPSILON,
  startDistanceBlock,
} from "./screen";
import { squaredNorm } from "./sparse-rows";

export interface ProjectionScreenOptions {
  /** Principal components kept (m). */
  dims: number;
  blockRows: number;
  /** PCA is fitted on at most this many evenly spaced training rows (the bound holds for any P). */
  pcaSampleRows?: number;
  kernels: Kernels;
}

export class ProjectionScreen implements DistanceScreen {
  readonly blockRows: number;
  readonly dims: number;
  private readonly kernels: Kernels;
  private readonly cols: number;
  private readonly trainRows: number;
  private readonly mean: Float32Array;
  /** m × d principal axes. */
  private readonly components: Float32Array;
  /** ρ ≥ ‖P‖₂. */
  private readonly spectralBound: number;
  /** Projection error per unit of ‖x − mean‖. */
  private readonly projectionErrorRate: number;
  private readonly projectedTrain: Float32Array;
  private readonly projectedSquaredNorms: Float32Array;
  private readonly maxProjectedNorm: number;
  private readonly maxTrainProjectionError: number;
  private readonly centredBlock: Float32Array;
  private readonly projectedBlock: Float32Array;
  /** Per row of the last block: ‖q‖², ‖q̂‖², and q̂'s projection error. */
  private readonly querySquaredNorms: Float64Array;
  private readonly queryProjectedSquaredNorms: Float64Array;
  private readonly queryProjectionErrors: Float64Array;

  constructor(train: Matrix, options: ProjectionScreenOptions) {
    const { kernels, blockRows } = options;
    const m = Math.min(options.dims, train.cols);
    this.kernels = kernels;
    this.blockRows = blockRows;
    this.dims = m;
    this.cols = train.cols;
    this.trainRows = train.rows;

    const pca = new PCA({ nComponents: m, kernels }).fit(
      evenlySpacedRows(train, options.pcaSampleRows ?? 10000),
    );
    this.mean = pca.mean;
    this.components = kernels.alloc(m * train.cols);
    this.components.set(pca.components.data);
    const { spectral, maxRow } = normBounds(this.components, m, train.cols);
    this.spectralBound = spectral;
    this.projectionErrorRate =
      spectral * FLOAT32_EPSILON + Math.sqrt(m) * dotErrorFactor(train.cols) * maxRow;

    this.centredBlock = kernels.alloc(blockRows * train.cols);
    this.projectedBlock = kernels.alloc(blockRows * m);
    this.querySquaredNorms = new Float64Array(blockRows);
    this.queryProjectedSquaredNorms = new Float64Array(blockRows);
    this.queryProjectionErrors = new Float64Array(blockRows);
    this.projectedTrain = kernels.alloc(train.rows * m);
    this.projectedSquaredNorms = new Float32Array(train.rows);
    let maxProjectedSquared = 0;
    let maxError = 0;
    for (let start = 0; start < train.rows; start += blockRows) {
      const rows = Math.min(blockRows, train.rows - start);
      this.project(train, start, rows);
      this.projectedTrain.set(this.projectedBlock.subarray(0, rows * m), start * m);
      for (let r = 0; r < rows; r++) {
        this.projectedSquaredNorms[start + r] = this.queryProjectedSquaredNorms[r];
        maxProjectedSquared = Math.max(maxProjectedSquared, this.queryProjectedSquaredNorms[r]);
        maxError = Math.max(maxError, this.queryProjectionErrors[r]);
      }
    }
    this.maxProjectedNorm = Math.sqrt(maxProjectedSquared);
    this.maxTrainProjectionError = maxError;
  }

  estimate(x: Matrix, start: number, rows: number, out: Float32Array): void {
    this.project(x, start, rows);
    startDistanceBlock(x, start, rows, this.querySquaredNorms, this.projectedSquaredNorms, out);
    // out = ‖t̂‖² − 2·q̂·t̂ᵀ: the projected squared distance less ‖q̂‖².
    const n = this.trainRows;
    this.kernels.gemm(false, true, rows, n, this.dims, -2, this.projectedBlock, this.projectedTrain, 1, out);
  }

  maxEstimate(r: number, squared: number): number {
    const queryProjectedSquared = this.queryProjectedSquaredNorms[r];
    // ‖q‖² + ‖t‖² ≤ (2‖q‖ + ‖q − t‖)² scales the rounding of the exact distance.
    const reach = 2 * Math.sqrt(this.querySquaredNorms[r]) + Math.sqrt(squared);
    const distance = Math.sqrt(squared + EXACT_DISTANCE_SLACK * reach * reach);
    // Factor 2: margin over the worst-case bounds, which costs almost no extra exact distances.
    const projectionError = 2 * (this.queryProjectionErrors[r] + this.maxTrainProjectionError);
    const projectedReach = Math.sqrt(queryProjectedSquared) + this.maxProjectedNorm;
    const gemmError = 2 * dotErrorFactor(this.dims + 2) * projectedReach * projectedReach;
    const projectedDistance = this.spectralBound * distance + projectionError;
    return projectedDistance * projectedDistance + gemmError - queryProjectedSquared;
  }

  /** Projects rows start..start+rows of x into projectedBlock, recording ‖x̂‖² and x̂'s error bound. */
  private project(x: Matrix, start: number, rows: number): void {
    const d = this.cols;
    const m = this.dims;
    for (let r = 0; r < rows; r++) {
      const source = (start + r) * d;
      let centredSquared = 0;
      for (let c = 0; c < d; c++) {
        const v = Math.fround(x.data[source + c] - this.mean[c]);
        this.centredBlock[r * d + c] = v;
        centredSquared += v * v;
      }
      this.queryProjectionErrors[r] = this.projectionErrorRate * Math.sqrt(centredSquared);
    }
    this.kernels.gemm(false, true, rows, m, d, 1, this.centredBlock, this.components, 0, this.projectedBlock);
    for (let r = 0; r < rows; r++)
      this.queryProjectedSquaredNorms[r] = squaredNorm(this.projectedBlock, r * m, m);
  }
}

/** Up to `limit` rows of x at an even stride (copies). */
function evenlySpacedRows(x: Matrix, limit: number): Matrix {
  if (x.rows <= limit) return x;
  const data = new Float32Array(limit * x.cols);
  for (let i = 0; i < limit; i++) {
    const row = Math.floor((i * x.rows) / limit);
    data.set(x.data.subarray(row * x.cols, (row + 1) * x.cols), i * x.cols);
  }
  return { data, rows: limit, cols: x.cols };
}

/** ρ ≥ ‖P‖₂ (square root of the largest absolute row sum of PPᵀ, by Gershgorin) and the largest row norm. */
function normBounds(p: Float32Array, m: number, d: number): { spectral: number; maxRow: number } {
  let maxRowSum = 0;
  let maxRowSquared = 0;
  for (let i = 0; i < m; i++) {
    let rowSum = 0;
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += p[i * d + c] * p[j * d + c];
      rowSum += Math.abs(dot);
      if (i === j) maxRowSquared = Math.max(maxRowSquared, dot);
    }
    maxRowSum = Math.max(maxRowSum, rowSum);
  }
  return { spectral: Math.sqrt(maxRowSum) * (1 + 1e-12), maxRow: Math.sqrt(maxRowSquared) * (1 + 1e-12) };
}
