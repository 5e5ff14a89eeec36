/**
 * The brute-force screen: the estimate is the squared distance itself, from one GEMM per query block
 * (‖q − t‖² − ‖q‖² = ‖t‖² − 2·q·tᵀ; ‖q‖² is constant along a row, so it is left out). In float32
 * this is off by up to γ_{d+2}·(‖q‖ + ‖t‖)², so near-ties are settled by the exact distance.
 */
import { Matrix } from "../../matrix";
import type { Kernels } from "../../kernels/index";
import { DistanceScreen, dotErrorFactor, EXACT_DISTANCE_SLACK, startDistanceBlock } from "./screen";
import { squaredNorm } from "./sparse-rows";

export class BruteForceScreen implements DistanceScreen {
  readonly blockRows: number;
  private readonly kernels: Kernels;
  private readonly train: Float32Array;
  private readonly trainRows: number;
  private readonly cols: number;
  private readonly trainSquaredNorms: Float32Array;
  private readonly maxTrainNorm: number;
  private readonly queryBlock: Float32Array;
  /** ‖q‖² of the last block's rows. */
  private readonly querySquaredNorms: Float64Array;

  constructor(train: Matrix, blockRows: number, kernels: Kernels) {
    this.kernels = kernels;
    this.blockRows = blockRows;
    this.trainRows = train.rows;
    this.cols = train.cols;
    this.train = kernels.alloc(train.data.length);
    this.train.set(train.data);
    this.trainSquaredNorms = new Float32Array(train.rows);
    let maxSquared = 0;
    for (let j = 0; j < train.rows; j++) {
      const norm = squaredNorm(train.data, j * train.cols, train.cols);
      this.trainSquaredNorms[j] = norm;
      maxSquared = Math.max(maxSquared, norm);
    }
    this.maxTrainNorm = Math.sqrt(maxSquared);
    this.queryBlock = kernels.alloc(blockRows * train.cols);
    this.querySquaredNorms = new Float64Array(blockRows);
  }

  estimate(x: Matrix, start: number, rows: number, out: Float32Array): void {
    this.queryBlock.set(x.data.subarray(start * this.cols, (start + rows) * this.cols));
    startDistanceBlock(x, start, rows, this.querySquaredNorms, this.trainSquaredNorms, out);
    // out = ‖t‖² − 2·q·tᵀ, the norms added by the GEMM's beta = 1.
    this.kernels.gemm(false, true, rows, this.trainRows, this.cols, -2, this.queryBlock, this.train, 1, out);
  }

  maxEstimate(r: number, squared: number): number {
    const querySquared = this.querySquaredNorms[r];
    const reach = Math.sqrt(querySquared) + this.maxTrainNorm;
    // Factor 2: margin over the worst-case bound, which costs almost no extra exact distances.
    const gemmError = 2 * dotErrorFactor(this.cols + 2) * reach * reach;
    return squared + EXACT_DISTANCE_SLACK * reach * reach - querySquared + gemmError;
  }
}
