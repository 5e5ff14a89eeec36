/**
 * Fit a model, time it, score it on held-out data, and record the result: the loop notebook 3 runs
 * for every model, and what lands in reports/metrics.json.
 */
import * as fs from "fs";
import * as path from "path";
import { argmaxRows, type Matrix } from "../matrix";
import { type Classifier, type FitOptions } from "./estimator";
import { folderFromEnv, projectRoot } from "../paths";
import { isQuickMode } from "../quick";

export interface ModelResult {
  model: string;
  implementation: "scratch" | "tfjs";
  /** Accuracy on the evaluation data, in [0, 1]. */
  accuracy: number;
  fitSeconds: number;
  predictSeconds: number;
  trainSamples: number;
  evalSamples: number;
}

export interface Evaluation extends ModelResult {
  predictions: Uint8Array;
  probabilities: Float32Array;
  /** "loaded" when a model store supplied the fitted model; fitSeconds is then its training time. */
  status?: "trained" | "loaded";
}

/**
 * Fits a model some other way than `model.fit`, e.g. through a model store that loads it when it was
 * trained before (`ModelStore.fitThrough`). Returns the training seconds, whether it was trained and,
 * optionally, how to score the fitted model instead of its own predictProba (the store's scores it
 * in the dashboard's chunks and keeps them, so notebook 08 need not run the model again).
 */
export type Fitter = (
  model: Classifier,
  train: { x: Matrix; y: Uint8Array },
  options: FitOptions,
) => Promise<FitOutcome>;

export interface FitOutcome {
  seconds: number;
  status: "trained" | "loaded";
  /** Scores the fitted model in place of its own predictProba (the same values, perhaps kept). */
  predictProba?: (x: Matrix) => Float32Array;
}

/** Where a fit can go to be reused: a model store (`ModelStore.fitThrough`) gives a Fitter per label. */
export interface FitterSource {
  fitThrough(label: string): Fitter;
}

/** Runs `work` (sync or async) and measures its wall-clock time: the one stopwatch of the notebooks. */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/**
 * Fits `model` on `train` with `model.fit`, timed, or through `fitter` when one is given (which may load
 * it instead, and may say how to score it).
 */
export async function fitWith(
  model: Classifier,
  train: { x: Matrix; y: Uint8Array },
  options: FitOptions,
  fitter?: Fitter,
): Promise<Partial<FitOutcome> & { seconds: number }> {
  if (fitter) return fitter(model, train, options);
  return { seconds: (await timed(() => model.fit(train.x, train.y, options))).seconds };
}

/**
 * Fits `model` on `train` (options go to fit; `fitter`, when given, fits or loads it instead), then scores
 * it on `evaluation`, timing both.
 */
export async function fitAndEvaluate(
  model: Classifier,
  train: { x: Matrix; y: Uint8Array },
  evaluation: { x: Matrix; y: Uint8Array },
  options: FitOptions = {},
  fitter?: Fitter,
): Promise<Evaluation> {
  const fitted = await fitWith(model, train, options, fitter);
  const fitSeconds = fitted.seconds;
  const predictProba = fitted.predictProba ?? ((x: Matrix) => model.predictProba(x));
  const { result: probabilities, seconds: predictSeconds } = await timed(() => predictProba(evaluation.x));
  const predictions = argmaxRows(probabilities, evaluation.x.rows, probabilities.length / evaluation.x.rows);
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) if (predictions[i] === evaluation.y[i]) correct++;
  return {
    model: model.name,
    implementation: model.implementation,
    accuracy: correct / predictions.length,
    fitSeconds,
    predictSeconds,
    trainSamples: train.x.rows,
    evalSamples: evaluation.x.rows,
    predictions,
    probabilities,
    ...(fitted.status ? { status: fitted.status } : {}),
  };
}

/**
 * Where notebooks write result files: MNIST_RESULTS_DIR when set (the tests point it at a scratch
 * folder), else reports/ in the project.
 */
export function resultsDir(): string {
  return folderFromEnv("MNIST_RESULTS_DIR", path.join(projectRoot(), "reports"));
}

/** Writes results as JSON (without predictions) to resultsDir()/fileName; returns the path. */
export function writeResults(fileName: string, results: ModelResult[]): string {
  const dir = resultsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, fileName);
  const rows = results.map(
    ({ model, implementation, accuracy, fitSeconds, predictSeconds, trainSamples, evalSamples }) => ({
      model,
      implementation,
      testAccuracy: accuracy,
      fitSeconds,
      predictSeconds,
      trainSamples,
      evalSamples,
    }),
  );
  fs.writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), quick: isQuickMode(), results: rows }, null, 2) + "\n",
  );
  return file;
}
