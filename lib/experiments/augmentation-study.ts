/**
 * Helpers for notebook 6 (data augmentation): seeded augmented copies of a whole split (a rotated and
 * shifted test set, or extra training copies for models that cannot augment on the fly), grids of one
 * transform at several strengths, a single "strength" knob that scales a whole augmentation recipe,
 * and scoring a model on several versions of a split.
 */
import { makeAugmenter } from "../augmentation/augmenter";
import type { AugmentOptions } from "../augmentation/options";
import { matrix, type Matrix } from "../matrix";
import { type Classifier, type FitOptions } from "../models/estimator";
import { fitAndEvaluate, timed, type Evaluation, type Fitter } from "../models/evaluate";
import { showImageGrid } from "../plots/image-grid";
import type { Series } from "../plots/series-charts";
import { rotate } from "../augmentation/affine";
import { mapImages } from "../preprocessing/images";
import { Random } from "../random";
import { checkLabels, checkMatrix, checkScalar, checkSeed } from "../validation";

/** A new matrix of images (one per row) augmented with `options`, reproducible from `seed`. */
export function augmentedCopy(x: Matrix, options: AugmentOptions, seed: number): Matrix {
  checkMatrix("augmentedCopy", x);
  checkSeed("augmentedCopy", seed);
  const height = options.height ?? 28;
  const width = options.width ?? 28;
  if (x.cols !== height * width)
    throw new RangeError(`augmentedCopy: rows of ${x.cols} values are not ${height}×${width} images`);
  const out = new Float32Array(x.data.length);
  makeAugmenter(options)(x.data, x.rows, new Random(seed), out);
  return matrix(out, x.rows, x.cols);
}

/**
 * The training set plus `copies` augmented copies of it (original rows first), with labels repeated:
 * (copies + 1) × rows samples. Each copy draws fresh random transforms.
 */
export function expandWithCopies(
  x: Matrix,
  y: Uint8Array,
  copies: number,
  options: AugmentOptions,
  seed: number,
): { x: Matrix; y: Uint8Array } {
  const who = "expandWithCopies";
  checkMatrix(who, x);
  checkLabels(who, y, { rows: x.rows, numClasses: 256 });
  checkScalar(who, "copies", copies, { integer: true, min: 0 });
  checkSeed(who, seed);
  const data = new Float32Array(x.data.length * (copies + 1));
  const labels = new Uint8Array(y.length * (copies + 1));
  data.set(x.data);
  labels.set(y);
  const random = new Random(seed);
  for (let c = 1; c <= copies; c++) {
    data.set(augmentedCopy(x, options, random.nextUint32()).data, c * x.data.length);
    labels.set(y, c * y.length);
  }
  return { x: matrix(data, x.rows * (copies + 1), x.cols), y: labels };
}

/**
 * Images for a grid with one row per source image and one column per strength: `transform(image,
 * strength, random)` for each, back to back (source row-major), ready for showImageGrid with
 * `columns: strengths.length`. The random stream is seeded, so the grid is reproducible.
 */
export function strengthGrid(
  images: Float32Array[],
  strengths: number[],
  transform: (image: Float32Array, strength: number, random: Random) => Float32Array,
  seed = 0,
): { pixels: Float32Array; count: number; columns: number } {
  if (images.length === 0 || strengths.length === 0)
    throw new RangeError("strengthGrid: need at least one image and one strength");
  checkSeed("strengthGrid", seed);
  const size = images[0].length;
  const pixels = new Float32Array(images.length * strengths.length * size);
  const random = new Random(seed);
  let n = 0;
  for (const image of images) {
    if (image.length !== size)
      throw new RangeError(`strengthGrid: images differ in size (${image.length} vs ${size})`);
    for (const strength of strengths) {
      const out = transform(image, strength, random);
      if (out.length !== size)
        throw new RangeError(
          `strengthGrid: the transform returned ${out.length} values for a ${size}-value image`,
        );
      pixels.set(out, n++ * size);
    }
  }
  return { pixels, count: n, columns: strengths.length };
}

/**
 * One knob for a whole recipe: strength 1 gives `base`, strength s scales every affine strength and the
 * elastic alpha by s (zoom and shear capped below their limits); strength 0 turns augmentation off (null).
 */
export function scaledAugmentation(base: AugmentOptions, strength: number): AugmentOptions | null {
  checkScalar("scaledAugmentation", "strength", strength, { min: 0 });
  if (strength === 0) return null;
  const scaled: AugmentOptions = { ...base };
  if (base.affine) {
    const a = base.affine;
    const times = (v: number | undefined) => (v === undefined ? undefined : v * strength);
    scaled.affine = {
      ...a,
      rotation: times(a.rotation),
      shift: times(a.shift),
      shiftFraction: a.shiftFraction === undefined ? undefined : Math.min(1, a.shiftFraction * strength),
      scale: a.scale === undefined ? undefined : Math.min(0.9, a.scale * strength),
      shear: a.shear === undefined ? undefined : Math.min(80, a.shear * strength),
    };
    for (const key of Object.keys(scaled.affine) as (keyof typeof scaled.affine)[]) {
      if (scaled.affine[key] === undefined) delete scaled.affine[key];
    }
  }
  if (base.elastic) scaled.elastic = { ...base.elastic, alpha: base.elastic.alpha * strength };
  if (base.noise)
    scaled.noise = {
      ...base.noise,
      std: base.noise.std === undefined ? undefined : base.noise.std * strength,
    };
  return scaled;
}

/** Accuracy of `model` on each named version of a split (same labels). */
export function scoreOn(
  model: Classifier,
  sets: { name: string; x: Matrix }[],
  y: Uint8Array,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, x } of sets) out[name] = model.score(x, y);
  return out;
}

/**
 * Prints the strengths and shows the grid of `strengthGrid` (one row per image, one column per
 * strength), pixels in [0, 1].
 */
export function showStrengths(
  title: string,
  images: Float32Array[],
  strengths: number[],
  unit: string,
  transform: (image: Float32Array, strength: number, random: Random) => Float32Array,
): void {
  console.log(`${title}: ${strengths.map((s) => `${s}${unit}`).join(", ")}`);
  const grid = strengthGrid(images, strengths, transform, 1);
  showImageGrid(grid.pixels, grid.count, 28, 28, { columns: grid.columns, scale: 2, range: "unit" });
}

export interface SweepPoint {
  strength: number;
  /** Accuracy on each named evaluation set. */
  scores: Record<string, number>;
  /** Fit time, seconds. */
  seconds: number;
}

/**
 * For each strength, a fresh model from `makeModel(recipe)` (recipe null for strength 0) fitted on
 * `train` and scored on every evaluation set.
 */
export async function sweepStrengths(
  base: AugmentOptions,
  strengths: number[],
  makeModel: (recipe: AugmentOptions | null) => Classifier,
  train: { x: Matrix; y: Uint8Array },
  sets: { name: string; x: Matrix }[],
  y: Uint8Array,
  fitterFor?: (strength: number) => Fitter,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const strength of strengths) {
    const model = makeModel(scaledAugmentation(base, strength));
    const fitter = fitterFor?.(strength);
    const { seconds } = fitter
      ? await fitter(model, train, {})
      : await timed(() => model.fit(train.x, train.y));
    points.push({ strength, scores: scoreOn(model, sets, y), seconds });
    // Only the scores are kept: a scratch network's kernel memory is freed now, not when collected.
    (model as { dispose?: () => void }).dispose?.();
  }
  return points;
}

/**
 * The rule of notebook 6, fixed before looking: the strongest augmentation (strength > 0) whose score on
 * `set` is within `tolerance` (a share, 0.005 = half a point) of the best run of the sweep.
 */
export function chooseStrength(sweep: SweepPoint[], set: string, tolerance: number): SweepPoint {
  const candidates = sweep.filter((p) => p.strength > 0);
  if (candidates.length === 0) throw new RangeError("chooseStrength: the sweep has no strength above 0");
  const best = Math.max(...sweep.map((p) => p.scores[set]));
  const close = candidates.filter((p) => p.scores[set] >= best - tolerance);
  if (close.length === 0) return candidates.reduce((a, b) => (b.scores[set] > a.scores[set] ? b : a));
  return close.reduce((a, b) => (b.strength > a.strength ? b : a));
}

/** A model fitted and scored on a clean test set and on a distorted copy of it. */
export interface RobustnessRun {
  label: string;
  model: Classifier;
  evaluation: Evaluation;
  /** Accuracy on the distorted copy. */
  distorted: number;
}

/**
 * Fits `model` on `train` (fit options such as a validation split pass through), evaluates it on
 * `test` with fitAndEvaluate, and scores it on `distortedTest` (the same images transformed).
 */
export async function fitAndScoreRobustness(
  label: string,
  model: Classifier,
  train: { x: Matrix; y: Uint8Array },
  test: { x: Matrix; y: Uint8Array },
  distortedTest: Matrix,
  options: FitOptions = {},
  fitter?: Fitter,
): Promise<RobustnessRun> {
  const evaluation = await fitAndEvaluate(model, train, test, options, fitter);
  return { label, model, evaluation, distorted: model.score(distortedTest, test.y) };
}

/**
 * Table rows: model, training samples, fit and predict seconds (predicting the clean test set), test %,
 * distorted test %, errors, and the drop in points.
 */
export function robustnessRows(
  runs: RobustnessRun[],
  distortedName: string,
): Record<string, string | number>[] {
  return runs.map((r) => ({
    model: r.label,
    "training samples": r.evaluation.trainSamples,
    "fit s": r.evaluation.fitSeconds,
    "predict s": r.evaluation.predictSeconds,
    "test %": 100 * r.evaluation.accuracy,
    [`${distortedName} test %`]: 100 * r.distorted,
    "errors (test)": Math.round((1 - r.evaluation.accuracy) * r.evaluation.evalSamples),
    "drop (points)": 100 * (r.evaluation.accuracy - r.distorted),
  }));
}

/** Accuracy of each run's model on `x` rotated by each angle (degrees), as one series per run. */
export function accuracyByRotation(
  runs: RobustnessRun[],
  x: Matrix,
  y: Uint8Array,
  angles: number[],
): Series[] {
  const side = Math.round(Math.sqrt(x.cols));
  if (side * side !== x.cols)
    throw new RangeError(`accuracyByRotation: rows of ${x.cols} values are not square images`);
  const rotated = angles.map((angle) => ({
    name: `${angle}`,
    x: matrix(
      mapImages(x.data, side, side, (image) => rotate(image, angle, { height: side, width: side })),
      x.rows,
      x.cols,
    ),
  }));
  return runs.map((r) => {
    const scores = scoreOn(r.model, rotated, y);
    return { name: r.label, x: angles, y: angles.map((a) => 100 * scores[`${a}`]) };
  });
}

/** The first rows of a matrix (a view), e.g. a training subset. */
export { headRows } from "./preprocessing-study";
