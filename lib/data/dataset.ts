/**
 * An image-classification dataset kept as bytes: pixels stay a Uint8Array (60k MNIST images are 47 MB
 * as bytes, 188 MB as float32) until a model asks for floats with `toMatrix`.
 */
import { Random } from "../random";
import { matrix, Matrix } from "../matrix";
import { checkOptionKeys, checkScalar, checkSeed } from "../validation";

export interface ImageDataset {
  /** count × height × width pixel intensities 0..255, row-major. */
  images: Uint8Array;
  /** count labels 0..9. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export function makeDataset(images: Uint8Array, labels: Uint8Array, height: number, width: number): ImageDataset {
  checkScalar("makeDataset", "height", height, { integer: true, min: 1 });
  checkScalar("makeDataset", "width", width, { integer: true, min: 1 });
  const count = labels.length;
  if (images.length !== count * height * width) {
    throw new RangeError(`dataset: ${count} labels need ${count * height * width} pixels of ${height}×${width}, got ${images.length}`);
  }
  return { images, labels, count, height, width };
}

/** The samples at `indices`, in that order (copies). */
export function subset(dataset: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const size = dataset.height * dataset.width;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    // The cheap test first: checkScalar builds its message eagerly, too slow for 60,000 indices.
    if (!(Number.isInteger(j) && j >= 0 && j < dataset.count)) {
      checkScalar("subset", `indices[${i}]`, j, { integer: true, min: 0, max: dataset.count - 1 });
    }
    images.set(dataset.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = dataset.labels[j];
  }
  return makeDataset(images, labels, dataset.height, dataset.width);
}

/** The first `n` samples (views, no copy). */
export function take(dataset: ImageDataset, n: number): ImageDataset {
  checkScalar("take", "n", n, { integer: true, min: 0 });
  const count = Math.min(n, dataset.count);
  const size = dataset.height * dataset.width;
  return makeDataset(dataset.images.subarray(0, count * size), dataset.labels.subarray(0, count), dataset.height, dataset.width);
}

/**
 * Splits a training set into train and validation parts, stratified by class so both keep the class
 * balance, shuffled with a seed. Hyperparameters are tuned on the validation part, never on the test set.
 */
export function trainValidationSplit(
  dataset: ImageDataset,
  options: { validationFraction?: number; validationSize?: number; seed?: number } = {},
): { train: ImageDataset; validation: ImageDataset } {
  const who = "trainValidationSplit";
  checkOptionKeys(who, options, ["validationFraction", "validationSize", "seed"]);
  if (options.validationFraction !== undefined) {
    const fraction = { min: 0, max: 1, minExclusive: true, maxExclusive: true };
    checkScalar(who, "validationFraction", options.validationFraction, fraction);
  }
  const validationSize =
    options.validationSize ?? Math.round(dataset.count * (options.validationFraction ?? 0.1));
  const name = options.validationSize === undefined ? "the validation size" : "validationSize";
  checkScalar(who, name, validationSize, { integer: true, min: 1, max: dataset.count - 1 });
  const random = new Random(checkSeed(who, options.seed ?? 0));
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < dataset.count; i++) {
    const label = dataset.labels[i];
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(i);
  }
  const trainIndices: number[] = [];
  const validationIndices: number[] = [];
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  let assigned = 0;
  for (const label of classes) {
    const members = random.shuffle(byClass.get(label)!);
    // Rounding the cumulative share keeps the per-class counts summing to exactly validationSize.
    const target = Math.round((validationSize * (assigned + members.length)) / dataset.count) - Math.round((validationSize * assigned) / dataset.count);
    assigned += members.length;
    validationIndices.push(...members.slice(0, target));
    trainIndices.push(...members.slice(target));
  }
  return {
    train: subset(dataset, random.shuffle(trainIndices)),
    validation: subset(dataset, random.shuffle(validationIndices)),
  };
}

/**
 * Pixels as a float matrix (one row of height·width features per image), scaled by `scale`
 * (default 1/255, giving [0, 1]).
 */
export function toMatrix(dataset: ImageDataset, scale = 1 / 255): Matrix {
  checkScalar("toMatrix", "scale", scale);
  const data = new Float32Array(dataset.images.length);
  for (let i = 0; i < data.length; i++) data[i] = dataset.images[i] * scale;
  return matrix(data, dataset.count, dataset.height * dataset.width);
}

/** Number of samples per class, indexed by label. */
export function classCounts(labels: Uint8Array, numClasses = 10): number[] {
  checkScalar("classCounts", "numClasses", numClasses, { integer: true, min: 1, max: 256 });
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
