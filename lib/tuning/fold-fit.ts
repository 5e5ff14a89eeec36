/**
 * One fit of one candidate on one fold: the unit every trial is made of, run in the search's own thread
 * or in a worker thread (./trial-workers.ts) with the same result. The fit ends early, through the
 * epoch loop's "stop", when early stopping says so or the time budget's deadline passes; a fit cut
 * short by the deadline reports `budgetSpent` and is dropped by the search.
 */
import type { Classifier } from "../models/estimator";
import type { Params } from "../params";
import { TrainingDivergedError } from "../training/diverged";
import type { EpochLog } from "../training/epoch-log";
import { EarlyStopping, type EarlyStoppingOptions } from "./early-stopping";
import { takeRows, type LabelledData } from "./labelled-data";
import { stratifiedSubset, type SplitIndices } from "./stratified-split";

export interface FoldFitTask {
  fold: number;
  /** The candidate's parameters and this fit's extra ones (successive halving's epochs). */
  params: Params;
  /** Train on this many (stratified) samples of the fold's training rows. */
  samples?: number;
}

/** What every fold fit of a search shares. */
export interface FoldFitSettings {
  seed: number;
  scoreTraining: boolean;
  /** Early stopping's settings, or null for none. */
  earlyStopping: EarlyStoppingOptions | null;
  /** Wall-clock time (Date.now()) after which no fit starts and running ones stop; Infinity for none. */
  deadline: number;
}

export interface FoldFitResult {
  /** Validation accuracy (of the best epoch under early stopping); NaN when there is none. */
  score: number;
  trainScore?: number;
  bestEpoch?: number;
  seconds: number;
  trainSamples: number;
  /** Why there is no score (training diverged). */
  error?: string;
  /** The deadline passed before or during the fit: the fit does not count. */
  budgetSpent?: boolean;
}

export async function fitFold(
  who: string,
  estimator: Classifier,
  data: LabelledData,
  folds: SplitIndices[],
  task: FoldFitTask,
  settings: FoldFitSettings,
): Promise<FoldFitResult> {
  const pastDeadline = () => Date.now() >= settings.deadline;
  if (pastDeadline()) return { score: NaN, seconds: 0, trainSamples: 0, budgetSpent: true };
  const fold = folds[task.fold];
  const trainRows = task.samples
    ? stratifiedSubset(data.y, fold.train, task.samples, settings.seed + task.fold)
    : fold.train;
  const train = takeRows(data, trainRows);
  const validation = takeRows(data, fold.validation);
  const model = estimator.clone().setParams(task.params);
  const stopper = settings.earlyStopping ? new EarlyStopping(settings.earlyStopping) : null;
  let budgetSpent = false;
  const onEpoch = (log: EpochLog): "stop" | undefined => {
    if (stopper?.observe(log)) return "stop";
    if (pastDeadline()) {
      budgetSpent = true;
      return "stop";
    }
    return undefined;
  };
  const started = performance.now();
  let error: string | undefined;
  try {
    await model.fit(train.x, train.y, {
      verbose: false,
      validation: stopper ? validation : undefined,
      onEpoch,
    });
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
    error = e.message;
  }
  const seconds = (performance.now() - started) / 1000;
  const trainSamples = train.x.rows;
  if (budgetSpent) return { score: NaN, seconds, trainSamples, budgetSpent };
  if (error !== undefined) return { score: NaN, seconds, trainSamples, error };
  if (stopper?.best) {
    // The epoch with the lowest validation loss stands for the fit (the model went on past it).
    const result: FoldFitResult = {
      score: stopper.best.valAccuracy!,
      bestEpoch: stopper.best.epoch,
      seconds,
      trainSamples,
    };
    if (settings.scoreTraining && stopper.best.accuracy !== undefined)
      result.trainScore = stopper.best.accuracy;
    return result;
  }
  const result: FoldFitResult = { score: model.score(validation.x, validation.y), seconds, trainSamples };
  if (settings.scoreTraining) result.trainScore = model.score(train.x, train.y);
  return result;
}
