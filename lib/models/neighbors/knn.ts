/**
 * k-nearest neighbours, from scratch: exact Euclidean search, the same answers as scikit-learn's
 * brute-force `KNeighborsClassifier`.
 *
 * Search = screen + exact check. A screen (see neighbors/) gives every (query, training row) pair a
 * cheap estimate with a proven error bound, from one GEMM per block of test rows; the k training rows
 * with the best estimates get their exact distance, and then only rows whose estimate could still
 * beat the current k-th best do. Two screens:
 *  - "projection": lower bounds from 64 principal components (a 784 → 64 GEMM, 12× less work than
 *    all 784 pixels), for raw pixels, where almost every row is ruled out by its bound;
 *  - "brute": the full squared distance from a 784-column GEMM; the exact check only settles near-ties.
 * Both rank by the same float64 distance (neighbors/sparse-rows.ts), so they return identical neighbours.
 *
 * Ties: among equally distant training samples the one with the lower index wins; among classes with
 * equal votes, the lower label wins (as `predict` takes the first maximum).
 */
import { Matrix } from "../../matrix";
import { BaseClassifier, FitOptions } from "../estimator";
import { getKernels, type Kernels } from "../../kernels/index";
import { checkChoice, checkPositiveInteger } from "../../validation";
import type { DistanceScreen } from "./screen";
import { BruteForceScreen } from "./brute-force-screen";
import { ProjectionScreen } from "./projection-screen";
import { SparseRows, squaredNorm } from "./sparse-rows";
import { TopK } from "./top-k";

export const NEIGHBOUR_WEIGHTS = ["uniform", "distance"] as const;
export type NeighbourWeights = (typeof NEIGHBOUR_WEIGHTS)[number];
/** "auto": "projection" when samples have at least 4 × projectionDims features (raw pixels), else "brute". */
export const NEIGHBOUR_ALGORITHMS = ["auto", "brute", "projection"] as const;
export type NeighbourAlgorithm = (typeof NEIGHBOUR_ALGORITHMS)[number];

const KNN_PARAM_NAMES = ["k", "weights", "algorithm", "projectionDims", "blockRows", "kernels"] as const;

export interface KNeighborsOptions {
  /** Number of neighbours that vote (default 5, as scikit-learn). */
  k?: number;
  /** "uniform": one vote each; "distance": votes weighted by 1 / distance (default "uniform"). */
  weights?: NeighbourWeights;
  /** Which screen prunes the search (default "auto"); every choice returns the same neighbours. */
  algorithm?: NeighbourAlgorithm;
  /** Principal components of the "projection" screen (default 64). */
  projectionDims?: number;
  /** Test rows per distance block; bounds memory to blockRows × nTrain floats (default 128). */
  blockRows?: number;
  /** Compute kernels (default: `getKernels()`). */
  kernels?: Kernels;
}

/** The k nearest training samples of each query row, nearest first. */
export interface Neighbours {
  k: number;
  /** rows × k training indices. */
  indices: Int32Array;
  /** rows × k Euclidean distances. */
  distances: Float32Array;
}

export class KNeighborsClassifier extends BaseClassifier {
  readonly implementation = "scratch";
  readonly name: string;
  readonly k: number;
  readonly weights: NeighbourWeights;
  readonly algorithm: NeighbourAlgorithm;
  readonly projectionDims: number;
  readonly blockRows: number;
  /** The screen chosen at fit ("auto" resolved); null until fit. */
  fittedAlgorithm: "brute" | "projection" | null = null;
  /** Exact distances computed by the last `kneighbors` (or predict) call: how well the screen pruned. */
  exactDistanceCount = 0;
  readonly kernels: Kernels;
  private screen: DistanceScreen | null = null;
  private exact: SparseRows | null = null;
  private trainLabels: Uint8Array | null = null;

  constructor(options: KNeighborsOptions = {}) {
    super(options, KNN_PARAM_NAMES);
    const who = "KNeighborsClassifier";
    this.k = checkPositiveInteger(who, "k", options.k ?? 5);
    this.weights = checkChoice(who, "weights", options.weights ?? "uniform", NEIGHBOUR_WEIGHTS);
    this.algorithm = checkChoice(who, "algorithm", options.algorithm ?? "auto", NEIGHBOUR_ALGORITHMS);
    this.projectionDims = checkPositiveInteger(who, "projectionDims", options.projectionDims ?? 64);
    this.blockRows = checkPositiveInteger(who, "blockRows", options.blockRows ?? 128);
    this.kernels = options.kernels ?? getKernels();
    this.name = `k-NN (k=${this.k}${this.weights === "distance" ? ", distance-weighted" : ""})`;
  }

  /** "Training" memorises the samples: the exact-distance copy, and the screen's (PCA for "projection"). */
  protected async fitImpl(x: Matrix, y: Uint8Array, _options: FitOptions): Promise<void> {
    if (x.rows < this.k)
      throw new RangeError(`${this.name}: needs at least k=${this.k} training samples, got ${x.rows}`);
    const project =
      this.algorithm === "projection" || (this.algorithm === "auto" && x.cols >= 4 * this.projectionDims);
    this.fittedAlgorithm = project ? "projection" : "brute";
    this.screen = project
      ? new ProjectionScreen(x, {
          dims: this.projectionDims,
          blockRows: this.blockRows,
          kernels: this.kernels,
        })
      : new BruteForceScreen(x, this.blockRows, this.kernels);
    this.exact = new SparseRows(x);
    this.trainLabels = y.slice();
  }

  /** The k nearest training samples of every row of x (scikit-learn's `kneighbors`). */
  kneighbors(x: Matrix): Neighbours {
    this.checkPredictInput(x, "kneighbors");
    const screen = this.screen!;
    const exact = this.exact!;
    const n = exact.rows;
    const k = this.k;
    const indices = new Int32Array(x.rows * k);
    const distances = new Float32Array(x.rows * k);
    const estimates = this.kernels.alloc(Math.min(screen.blockRows, x.rows) * n);
    const seeds = new TopK(k);
    const best = new TopK(k);
    let exactCount = 0;
    for (let start = 0; start < x.rows; start += screen.blockRows) {
      const rows = Math.min(screen.blockRows, x.rows - start);
      screen.estimate(x, start, rows, estimates);
      for (let r = 0; r < rows; r++) {
        const row = estimates.subarray(r * n, (r + 1) * n);
        const query = (start + r) * x.cols;
        const querySquared = squaredNorm(x.data, query, x.cols);
        // Seeds: the k best estimates, whose exact distances make a tight first k-th best.
        seeds.clear();
        let seedLimit = Infinity;
        for (let j = 0; j < n; j++) {
          if (row[j] >= seedLimit) continue;
          seeds.offer(row[j], j);
          seedLimit = seeds.worst;
        }
        best.clear();
        for (let i = 0; i < k; i++)
          best.offer(exact.squaredDistance(x.data, query, querySquared, seeds.indices[i]), seeds.indices[i]);
        exactCount += k;
        // Then every row whose estimate does not rule it out; the limit tightens as better rows turn up.
        let worst = best.worst;
        let limit = screen.maxEstimate(r, worst);
        for (let j = 0; j < n; j++) {
          if (row[j] > limit || seeds.has(j)) continue;
          best.offer(exact.squaredDistance(x.data, query, querySquared, j), j);
          exactCount++;
          if (best.worst !== worst) {
            worst = best.worst;
            limit = screen.maxEstimate(r, worst);
          }
        }
        const out = (start + r) * k;
        for (let i = 0; i < k; i++) {
          indices[out + i] = best.indices[i];
          distances[out + i] = Math.sqrt(best.distances[i]);
        }
      }
    }
    this.kernels.free(estimates);
    this.exactDistanceCount = exactCount;
    return { k, indices, distances };
  }

  /** Vote shares: the fraction of the k neighbours (or of their 1/distance weight) in each class. */
  protected predictProbaImpl(x: Matrix): Float32Array {
    const { indices, distances } = this.kneighbors(x);
    const labels = this.trainLabels!;
    const k = this.k;
    const proba = new Float32Array(x.rows * this.numClasses);
    const votes = new Float64Array(this.numClasses);
    for (let r = 0; r < x.rows; r++) {
      votes.fill(0);
      // As scikit-learn: a neighbour at distance 0 makes 1/d infinite, so exact matches alone vote.
      const exactMatch = this.weights === "distance" && distances[r * k] === 0;
      for (let i = 0; i < k; i++) {
        const d = distances[r * k + i];
        const weight = this.weights === "uniform" ? 1 : exactMatch ? (d === 0 ? 1 : 0) : 1 / d;
        votes[labels[indices[r * k + i]]] += weight;
      }
      let total = 0;
      for (let c = 0; c < this.numClasses; c++) total += votes[c];
      for (let c = 0; c < this.numClasses; c++) proba[r * this.numClasses + c] = votes[c] / total;
    }
    return proba;
  }
}
