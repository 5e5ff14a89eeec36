/**
 * Helpers for notebook 2 (data preprocessing): histograms of feature values, how many principal
 * components reach a share of the variance, PCA reconstructions with the first k components, applying
 * an image-level step (deskew, centring) to a whole dataset, and training one model per preprocessing
 * variant on the same budget.
 */
import type { ImageDataset } from "../data/dataset";
import { matrix, type Matrix } from "../matrix";
import type { EpochLog } from "../training/epoch-log";
import { type Classifier } from "../models/estimator";
import { mapImages } from "../preprocessing/images";
import type { PCA } from "../preprocessing/pca";
import { checkPositiveInteger, checkScalar } from "../validation";

export interface Histogram {
  /** Left edge of each bin; bins are [edge, edge + width), the last one closed. */
  edges: number[];
  /** Bin centres (for bar charts). */
  centers: number[];
  counts: number[];
  /** Values outside [low, high] (not counted in any bin). */
  outside: number;
}

/** Histogram of `values` in `bins` equal bins over [low, high]. */
export function histogram(values: ArrayLike<number>, bins: number, low: number, high: number): Histogram {
  checkPositiveInteger("histogram", "bins", bins);
  checkScalar("histogram", "low", low);
  checkScalar("histogram", "high", high, { min: low, minExclusive: true });
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= low && v <= high)) {
      outside++;
      continue;
    }
    counts[Math.min(bins - 1, Math.floor((v - low) / width))]++;
  }
  const edges = counts.map((_, b) => low + b * width);
  return { edges, centers: edges.map((e) => e + width / 2), counts, outside };
}

/** Running sum of explained-variance ratios: entry k is the share kept by the first k + 1 components. */
export function cumulativeRatio(ratios: ArrayLike<number>): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < ratios.length; i++) out.push((sum += ratios[i]));
  return out;
}

/**
 * For each threshold (a share in (0, 1]), the fewest leading components whose ratios sum to at least it,
 * or null if all the given ratios together fall short.
 */
export function componentsForVariance(ratios: ArrayLike<number>, thresholds: number[]): (number | null)[] {
  const cumulative = cumulativeRatio(ratios);
  return thresholds.map((t) => {
    checkScalar("componentsForVariance", "each threshold", t, { min: 0, max: 1, minExclusive: true });
    // Tolerate float rounding on a sum that should reach exactly 1.
    const k = cumulative.findIndex((c) => c >= t - 1e-9);
    return k < 0 ? null : k + 1;
  });
}

/**
 * Reconstructs rows of `x` from their first `k` principal coordinates (k ≤ pca.nComponents): project,
 * drop the coordinates past k, map back. With k = pca.nComponents this is pca.inverseTransform(pca.transform(x)).
 */
export function reconstruct(pca: PCA, x: Matrix, k: number): Matrix {
  const fitted = { integer: true, min: 0, max: pca.nComponents };
  checkScalar("reconstruct", "k (at most the fitted components)", k, fitted);
  const z = pca.transform(x);
  const n = pca.nComponents;
  for (let r = 0; r < z.rows; r++) z.data.fill(0, r * n + k, (r + 1) * n);
  return pca.inverseTransform(z);
}

/** Mean squared difference per value between two matrices of the same shape. */
export function meanSquaredError(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new RangeError(`meanSquaredError: shapes ${a.rows}×${a.cols} and ${b.rows}×${b.cols} differ`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
  return sum / a.data.length;
}

/** A dataset with `transform` applied to every image (labels shared, images copied), e.g. deskewing. */
export function mapDataset(dataset: ImageDataset, transform: (image: Uint8Array) => Uint8Array): ImageDataset {
  return { ...dataset, images: mapImages(dataset.images, dataset.height, dataset.width, transform) };
}

/** The first `count` rows of a matrix (a view). */
export function headRows(x: Matrix, count: number): Matrix {
  const rows = Math.min(count, x.rows);
  return matrix(x.data.subarray(0, rows * x.cols), rows, x.cols);
}

/** One preprocessing variant: the same samples, transformed, for training and validation. */
export interface Variant {
  name: string;
  train: Matrix;
  validation: Matrix;
}

export interface VariantResult {
  name: string;
  features: number;
  /** Validation accuracy, or NaN if training failed. */
  accuracy: number;
  /** Fit time, seconds. */
  seconds: number;
  history: EpochLog[];
  /** The error message if training failed (e.g. diverged). */
  error?: string;
}

/**
 * Trains a fresh model (from `makeModel`) on each variant with the same labels, scoring on the
 * validation split after every epoch. A variant whose training throws (e.g. diverges) is recorded
 * with its error message instead of stopping the comparison.
 */
export async function compareVariants(
  variants: Variant[],
  trainLabels: Uint8Array,
  validationLabels: Uint8Array,
  makeModel: (variant: Variant) => Classifier,
): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const variant of variants) {
    const model = makeModel(variant);
    const started = performance.now();
    try {
      await model.fit(variant.train, trainLabels, { validation: { x: variant.validation, y: validationLabels }, verbose: false });
      results.push({
        name: variant.name,
        features: variant.train.cols,
        accuracy: model.score(variant.validation, validationLabels),
        seconds: (performance.now() - started) / 1000,
        history: model.history,
      });
    } catch (error) {
      results.push({
        name: variant.name,
        features: variant.train.cols,
        accuracy: NaN,
        seconds: (performance.now() - started) / 1000,
        history: model.history,
        error: (error as Error).message,
      });
    }
  }
  return results;
}
