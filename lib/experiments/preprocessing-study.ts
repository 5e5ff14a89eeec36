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
import { imageMoments } from "../preprocessing/moments";
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
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new RangeError(`meanSquaredError: shapes ${a.rows}×${a.cols} and ${b.rows}×${b.cols} differ`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
  return sum / a.data.length;
}

/** A dataset with `transform` applied to every image (labels shared, images copied), e.g. deskewing. */
export function mapDataset(
  dataset: ImageDataset,
  transform: (image: Uint8Array) => Uint8Array,
): ImageDataset {
  return { ...dataset, images: mapImages(dataset.images, dataset.height, dataset.width, transform) };
}

/** The first `count` rows of a matrix (a view). */
export function headRows(x: Matrix, count: number): Matrix {
  const rows = Math.min(count, x.rows);
  return matrix(x.data.subarray(0, rows * x.cols), rows, x.cols);
}

/**
 * One preprocessing variant: the same samples, transformed, for training and validation; `model` makes
 * the variant's own model when it needs other settings than the comparison's default, and `test`
 * transforms the test set the same way, called only for the final evaluation.
 */
export interface Variant {
  name: string;
  /**
   * The training rows, or a function making them: then they are made for the fit and dropped after it,
   * so a comparison of many full-size variants holds one at a time (55,000 × 784 floats are 172 MB).
   */
  train: Matrix | (() => Matrix);
  validation: Matrix;
  model?: () => Classifier;
  test?: () => Matrix;
}

export interface VariantResult {
  name: string;
  variant: Variant;
  /** The model fitted on the variant's training rows. */
  model: Classifier;
  features: number;
  /** Training rows the model was fitted on. */
  trainRows: number;
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
  // Variants in a row that share one train function (the same rows, another model) share its matrix.
  let made: { from: () => Matrix; rows: Matrix } | null = null;
  const rowsOf = (variant: Variant): Matrix => {
    if (made?.from !== variant.train) made = null; // let go of the last one before making another
    if (typeof variant.train !== "function") return variant.train;
    made ??= { from: variant.train, rows: variant.train() };
    return made.rows;
  };
  for (const variant of variants) {
    const model = variant.model ? variant.model() : makeModel(variant);
    const started = performance.now();
    const train = rowsOf(variant);
    const shape = { features: train.cols, trainRows: train.rows };
    try {
      await model.fit(train, trainLabels, {
        validation: { x: variant.validation, y: validationLabels },
        verbose: false,
      });
      results.push({
        name: variant.name,
        variant,
        model,
        ...shape,
        accuracy: model.score(variant.validation, validationLabels),
        seconds: (performance.now() - started) / 1000,
        history: model.history,
      });
    } catch (error) {
      results.push({
        name: variant.name,
        variant,
        model,
        ...shape,
        accuracy: NaN,
        seconds: (performance.now() - started) / 1000,
        history: model.history,
        error: (error as Error).message,
      });
    }
  }
  return results;
}

/** The result with the highest validation accuracy, skipping failed runs. */
export function bestResult(results: VariantResult[]): VariantResult {
  const trained = results.filter((r) => !Number.isNaN(r.accuracy));
  if (trained.length === 0) throw new RangeError("bestResult: every variant failed to train");
  return trained.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
}

/**
 * Table rows for a comparison: input, features, validation accuracy %, final losses, time, and the
 * error of a run that failed (shortened).
 */
export function variantRows(results: VariantResult[]): Record<string, string | number>[] {
  // Every row has the same columns (a table takes its columns from the first row).
  const anyHistory = results.some((r) => r.history.length > 0);
  const anyError = results.some((r) => r.error !== undefined);
  return results.map((r) => {
    const last = r.history[r.history.length - 1];
    return {
      input: r.name,
      features: r.features,
      "validation accuracy %": Number.isNaN(r.accuracy) ? "—" : 100 * r.accuracy,
      ...(anyHistory
        ? { "final train loss": last?.loss ?? "—", "final validation loss": last?.valLoss ?? "—" }
        : {}),
      "time s": r.seconds,
      ...(anyError ? { note: r.error === undefined ? "" : shortError(r.error) } : {}),
    };
  });
}

/** Decimals for the columns of `variantRows`, for showTable. */
export const VARIANT_DIGITS = {
  "validation accuracy %": 2,
  "final train loss": 3,
  "final validation loss": 3,
  "time s": 1,
};

/** An error message without the model's name in front, up to its first clause (the table has little room). */
export function shortError(message: string): string {
  const text = message.replace(/^[^:]*: /, "");
  const clause = text.split(";")[0];
  return clause.length <= 120 ? clause : `${clause.slice(0, 119)}…`;
}

/** Minimum, maximum, mean and standard deviation of every value of a matrix, as a table row. */
export function valueSummary(name: string, x: Matrix): Record<string, string | number> {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (const v of x.data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    squares += v * v;
  }
  const mean = sum / x.data.length;
  return {
    features: name,
    min,
    max,
    mean,
    std: Math.sqrt(Math.max(0, squares / x.data.length - mean * mean)),
  };
}

/**
 * Table rows: for each share of the variance, the fewest components that keep it and their share of
 * all `ratios.length` features ("—" where even all of them fall short).
 */
export function varianceThresholdRows(
  ratios: ArrayLike<number>,
  thresholds: number[],
): Record<string, string | number>[] {
  const needed = componentsForVariance(ratios, thresholds);
  return thresholds.map((t, i) => ({
    "variance kept": `${+(100 * t).toFixed(4)}%`,
    components: needed[i] ?? "—",
    [`of ${ratios.length}`]: needed[i] === null ? "—" : `${((100 * needed[i]!) / ratios.length).toFixed(1)}%`,
  }));
}

/** Column `j` of a matrix, as a new array. */
export function column(x: Matrix, j: number): Float32Array {
  if (!(Number.isInteger(j) && j >= 0 && j < x.cols))
    throw new RangeError(`column: j must be an integer in 0..${x.cols - 1}, got ${j}`);
  const out = new Float32Array(x.rows);
  for (let r = 0; r < x.rows; r++) out[r] = x.data[r * x.cols + j];
  return out;
}

/**
 * Images for a grid with one row per original and one column per version: the original row of
 * `originals`, then the same row of each matrix in `versions` (e.g. reconstructions from k components).
 */
export function sideBySide(
  originals: Matrix,
  versions: Matrix[],
): { pixels: Float32Array; count: number; columns: number } {
  for (const v of versions) {
    if (v.rows !== originals.rows || v.cols !== originals.cols) {
      throw new RangeError(
        `sideBySide: a version is ${v.rows}×${v.cols}, the originals ${originals.rows}×${originals.cols}`,
      );
    }
  }
  const columns = versions.length + 1;
  const size = originals.cols;
  const pixels = new Float32Array(originals.rows * columns * size);
  for (let r = 0; r < originals.rows; r++) {
    [originals, ...versions].forEach((m, j) =>
      pixels.set(m.data.subarray(r * size, (r + 1) * size), (r * columns + j) * size),
    );
  }
  return { pixels, count: originals.rows * columns, columns };
}

/** Mean distance in pixels between each image's centre of ink and the centre of the frame. */
export function meanCentreOffset(images: Float32Array, height: number, width: number): number {
  const size = height * width;
  const count = images.length / size;
  if (!(Number.isInteger(count) && count > 0))
    throw new RangeError(`meanCentreOffset: ${images.length} values are not whole ${height}×${width} images`);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const m = imageMoments(images.subarray(i * size, (i + 1) * size), height, width);
    total += Math.hypot(m.centerX - (width - 1) / 2, m.centerY - (height - 1) / 2);
  }
  return total / count;
}

/** `make()` computed on the first call and remembered (e.g. a deskewed test set needed by two variants). */
export function once<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}
