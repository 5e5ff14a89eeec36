/**
 * Helpers for notebook 6 (data augmentation): seeded augmented copies of a whole split (a rotated and
 * shifted test set, or extra training copies for models that cannot augment on the fly), grids of one
 * transform at several strengths, a single "strength" knob that scales a whole augmentation recipe,
 * and scoring a model on several versions of a split.
 */
import { makeAugmenter } from "../augmentation/augmenter";
import type { AugmentOptions } from "../augmentation/options";
import { matrix, type Matrix } from "../matrix";
import { type Classifier } from "../models/estimator";
import { Random } from "../random";
import { checkLabels, checkMatrix, checkScalar, checkSeed } from "../validation";

/** A new matrix of images (one per row) augmented with `options`, reproducible from `seed`. */
export function augmentedCopy(x: Matrix, options: AugmentOptions, seed: number): Matrix {
  checkMatrix("augmentedCopy", x);
  checkSeed("augmentedCopy", seed);
  const height = options.height ?? 28;
  const width = options.width ?? 28;
  if (x.cols !== height * width) throw new RangeError(`augmentedCopy: rows of ${x.cols} values are not ${height}×${width} images`);
  const out = new Float32Array(x.data.length);
  makeAugmenter(options)(x.data, x.rows, new Random(seed), out);
  return matrix(out, x.rows, x.cols);
}

/**
 * The training set plus `copies` augmented copies of it (original rows first), with labels repeated:
 * (copies + 1) × rows samples. Each copy draws fresh random transforms.
 */
export function expandWithCopies(x: Matrix, y: Uint8Array, copies: number, options: AugmentOptions, seed: number): { x: Matrix; y: Uint8Array } {
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
  if (images.length === 0 || strengths.length === 0) throw new RangeError("strengthGrid: need at least one image and one strength");
  checkSeed("strengthGrid", seed);
  const size = images[0].length;
  const pixels = new Float32Array(images.length * strengths.length * size);
  const random = new Random(seed);
  let n = 0;
  for (const image of images) {
    if (image.length !== size) throw new RangeError(`strengthGrid: images differ in size (${image.length} vs ${size})`);
    for (const strength of strengths) {
      const out = transform(image, strength, random);
      if (out.length !== size) throw new RangeError(`strengthGrid: the transform returned ${out.length} values for a ${size}-value image`);
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
  if (base.noise) scaled.noise = { ...base.noise, std: base.noise.std === undefined ? undefined : base.noise.std * strength };
  return scaled;
}

/** Accuracy of `model` on each named version of a split (same labels). */
export function scoreOn(model: Classifier, sets: { name: string; x: Matrix }[], y: Uint8Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, x } of sets) out[name] = model.score(x, y);
  return out;
}
