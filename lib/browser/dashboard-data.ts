/**
 * What the results dashboard shows, gathered in Node: the data set's facts, each model's predictions
 * on the test set (its probabilities only for the digits it gets wrong, for the drill-down), a sprite
 * of the test digits the page shows, and the figures of reports/metrics.json and reports/tuned.json.
 * Models are not embedded: the page stays a few hundred kilobytes plus plotly.
 */
import * as fs from "fs";
import * as path from "path";
import type { ImageDataset } from "../data/dataset";
import { toMatrix } from "../data/dataset";
import type { Classifier } from "../models/estimator";
import { resultsDir } from "../models/evaluate";
import { encodePng } from "../plots/png";
import { matrix, type Matrix } from "../matrix";
import { scoreInChunks } from "../store/score-and-cache";
import { checkPositiveInteger } from "../validation";

const RAW_PIXELS = 28 * 28;

export interface DashboardModel {
  name: string;
  implementation: string;
  testAccuracy: number;
  /** The predicted class of every test image, in test-set order. */
  predictions: number[];
  /** Test index → the ten probabilities (3 decimals), for every misclassified test image. */
  wrongProbabilities: Record<number, number[]>;
}

export interface DashboardData {
  title: string;
  date: string;
  dataset: {
    name: string;
    trainCount: number;
    testCount: number;
    height: number;
    width: number;
    classes: number;
    trainClassCounts: number[];
    testClassCounts: number[];
    /** Mean and standard deviation of the training pixels on the 0–255 scale. */
    pixelMean: number;
    pixelStd: number;
  };
  testLabels: number[];
  models: DashboardModel[];
  /** Test digits the page can draw: a PNG sprite, `columns` wide, of the test indices in `indices`. */
  sprite: { dataUrl: string; indices: number[]; columns: number };
  /** The first test digits, shown beside each model's predictions. */
  sampleIndices: number[];
  /** One test digit's pixels raw (0–255) and standardised with the training mean and deviation. */
  normalised: { index: number; raw: number[]; standardised: number[] };
  /** reports/metrics.json's rows (every model's figures from notebooks 03 and 07), or []. */
  results: Array<Record<string, unknown>>;
  /** reports/tuned.json's models (name → params, validationScore, validation), or null. */
  tuned: Record<
    string,
    { params: Record<string, unknown>; validationScore: number; validation: string }
  > | null;
}

/** A model's test-set probabilities (rows × 10), however they were computed (e.g. an ensemble). */
export interface ModelProbabilities {
  name: string;
  implementation?: string;
  probabilities: Float32Array;
}

export interface DashboardOptions {
  title?: string;
  /** Where metrics.json and tuned.json are read from (default: the reports folder). */
  reportsDir?: string;
  /** Test digits shown beside the predictions (default 24). */
  samples?: number;
  /** At most this many misclassified digits per model are kept for the drill-down (default 400). */
  maxWrongPerModel?: number;
}

/** What the dashboard needs of the model store (lib/store's ModelStore). */
export interface ModelSource {
  list(): Array<{ name: string; title?: string; implementation?: string }>;
  load(name: string): Promise<{ model: Classifier }>;
  /** Probabilities from a cache when the store keeps one (ModelStore does, in each model's folder). */
  probabilitiesOf?(
    name: string,
    x: Matrix,
    score: (model: Classifier) => Float32Array,
  ): Promise<{ probabilities: Float32Array; implementation?: string; status: "scored" | "loaded" }>;
}

/**
 * Every model saved in the store, loaded, for the dashboard's model picker. A model that fails to
 * load is left out with a line saying why, so one damaged folder does not stop the page.
 */
export async function loadStoredModels(
  store: ModelSource,
  log: (line: string) => void = console.log,
): Promise<Array<{ name: string; model: Classifier }>> {
  const loaded: Array<{ name: string; model: Classifier }> = [];
  for (const card of singleModels(store, log)) {
    try {
      const { model } = await store.load(card.name);
      // The dashboard feeds raw test images; a model fitted on preprocessed features (e.g. a k-NN
      // saved on its own after PCA) cannot take them, so it is left out with its reason.
      model.predictProba(matrix(new Float32Array(RAW_PIXELS), 1, RAW_PIXELS));
      loaded.push({ name: card.title ?? card.name, model });
    } catch (error) {
      log(`left out ${card.name}: ${(error as Error).message}`);
    }
  }
  return loaded;
}

/**
 * Each stored model's probabilities on the test set, with one model in memory at a time: a model is
 * loaded, scored and let go (a TensorFlow.js model's tensors disposed, as tfjs does not collect them)
 * before the next one loads. Loading them all first (`loadStoredModels`) holds every network's weights
 * and batch buffers at once: over 1 GB with the 30-odd models a full report saves. Models that cannot
 * take raw pixels are left out with a line saying why, as in `loadStoredModels`. A store that caches
 * probabilities (ModelStore.probabilitiesOf) loads those of an unchanged model instead of scoring it;
 * notebooks 03–07 fill that cache when they evaluate a stored model on the test set. Models are scored
 * in chunks of 256 rows (store/score-and-cache.ts), as those evaluations score them.
 */
export async function storedModelProbabilities(
  store: ModelSource,
  test: ImageDataset,
  log: (line: string) => void = console.log,
): Promise<ModelProbabilities[]> {
  const x = toMatrix(test);
  const results: ModelProbabilities[] = [];
  let [scored, cached] = [0, 0];
  for (const card of singleModels(store, log)) {
    const name = card.title ?? card.name;
    try {
      if (store.probabilitiesOf) {
        const entry = await store.probabilitiesOf(card.name, x, (model) => scoreInChunks(model, x));
        if (entry.status === "loaded") cached++;
        else scored++;
        results.push({ name, implementation: entry.implementation, probabilities: entry.probabilities });
        continue;
      }
      let model: Classifier | undefined;
      try {
        model = (await store.load(card.name)).model;
        results.push({ name, implementation: model.implementation, probabilities: scoreInChunks(model, x) });
        scored++;
      } finally {
        (model as { dispose?: () => void } | undefined)?.dispose?.();
      }
    } catch (error) {
      log(`left out ${card.name}: ${(error as Error).message}`);
    }
  }
  if (store.probabilitiesOf)
    log(`${results.length} stored models: ${cached} loaded from their cache, ${scored} scored`);
  return results;
}

/**
 * The store's single models: saved ensembles (voting over other stored models, loaded by
 * lib/ensemble rather than the store) are named in one line and left to notebook 07, which compares
 * them with their members.
 */
function singleModels(store: ModelSource, log: (line: string) => void) {
  const cards = store.list();
  const ensembles = cards.filter((card) => card.implementation === "ensemble").map((card) => card.name);
  if (ensembles.length > 0)
    log(`not in the picker: ${ensembles.join(", ")} (ensembles, compared with their members in notebook 07)`);
  return cards.filter((card) => card.implementation !== "ensemble");
}

/** Each fitted classifier's probabilities on the test set. */
export function probabilitiesOf(
  models: Array<{ name?: string; model: Classifier }>,
  test: ImageDataset,
): ModelProbabilities[] {
  const x = toMatrix(test);
  return models.map(({ name, model }) => ({
    name: name ?? model.name,
    implementation: model.implementation,
    probabilities: model.predictProba(x),
  }));
}

export function dashboardData(
  models: ModelProbabilities[],
  data: { train: ImageDataset; test: ImageDataset },
  options: DashboardOptions = {},
): DashboardData {
  const { train, test } = data;
  if (models.length === 0) throw new RangeError("dashboardData: needs at least one model's probabilities");
  const samples = checkPositiveInteger("dashboardData", "samples", options.samples ?? 24);
  const maxWrong = checkPositiveInteger("dashboardData", "maxWrongPerModel", options.maxWrongPerModel ?? 400);
  const classes = 10;
  const testLabels = Array.from(test.labels);
  const shown = new Set<number>();
  for (let i = 0; i < Math.min(samples, test.count); i++) shown.add(i);
  const dashboardModels = models.map(({ name, implementation, probabilities }) => {
    if (probabilities.length !== test.count * classes) {
      throw new RangeError(
        `dashboardData: ${name} has ${probabilities.length} probabilities, expected ${test.count} × ${classes}`,
      );
    }
    const predictions: number[] = [];
    const wrongProbabilities: Record<number, number[]> = {};
    let correct = 0;
    let wrong = 0;
    for (let r = 0; r < test.count; r++) {
      const row = probabilities.subarray(r * classes, (r + 1) * classes);
      let best = 0;
      for (let c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
      predictions.push(best);
      if (best === testLabels[r]) correct++;
      else if (wrong++ < maxWrong) {
        wrongProbabilities[r] = Array.from(row, (p) => Math.round(p * 1000) / 1000);
        shown.add(r);
      }
    }
    return {
      name,
      implementation: implementation ?? "",
      testAccuracy: correct / test.count,
      predictions,
      wrongProbabilities,
    };
  });
  const reportsDir = options.reportsDir ?? resultsDir();
  const metrics = readJson(path.join(reportsDir, "metrics.json")) as { results?: unknown[] } | null;
  const tuned = readJson(path.join(reportsDir, "tuned.json")) as { models?: DashboardData["tuned"] } | null;
  const { mean, std } = pixelStatistics(train.images);
  const normalisedIndex = 0;
  const raw = Array.from(test.images.subarray(0, test.height * test.width));
  return {
    title: options.title ?? "MNIST results dashboard",
    date: new Date().toISOString(),
    dataset: {
      name: "MNIST",
      trainCount: train.count,
      testCount: test.count,
      height: test.height,
      width: test.width,
      classes,
      trainClassCounts: classCounts(train.labels, classes),
      testClassCounts: classCounts(test.labels, classes),
      pixelMean: round(mean, 3),
      pixelStd: round(std, 3),
    },
    testLabels,
    models: dashboardModels,
    sprite: digitSprite(
      test,
      [...shown].sort((a, b) => a - b),
    ),
    sampleIndices: [...Array(Math.min(samples, test.count)).keys()],
    normalised: { index: normalisedIndex, raw, standardised: raw.map((v) => round((v - mean) / std, 2)) },
    results: (metrics?.results ?? []) as Array<Record<string, unknown>>,
    tuned: tuned?.models ?? null,
  };
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`dashboardData: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

function pixelStatistics(images: Uint8Array): { mean: number; std: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < images.length; i++) {
    sum += images[i];
    squares += images[i] * images[i];
  }
  const mean = sum / images.length;
  return { mean, std: Math.sqrt(Math.max(squares / images.length - mean * mean, 1e-12)) };
}

/** The listed test digits side by side in one grayscale PNG, 50 per row, as a data URL. */
function digitSprite(test: ImageDataset, indices: number[]): DashboardData["sprite"] {
  const columns = 50;
  const side = test.height;
  const rows = Math.max(1, Math.ceil(indices.length / columns));
  const width = columns * test.width;
  const pixels = new Uint8Array(width * rows * side);
  indices.forEach((index, k) => {
    const x0 = (k % columns) * test.width;
    const y0 = Math.floor(k / columns) * side;
    for (let y = 0; y < side; y++) {
      const from = (index * side + y) * test.width;
      pixels.set(test.images.subarray(from, from + test.width), (y0 + y) * width + x0);
    }
  });
  const png = encodePng(pixels, width, rows * side, 1);
  return { dataUrl: `data:image/png;base64,${Buffer.from(png).toString("base64")}`, indices, columns };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
