/**
 * Runs trials: for one candidate, fit an unfitted copy of the model on every fold's training rows and
 * score it on the fold's validation rows. Keeps the time budget (checked before every fit and after every
 * epoch), early stopping, and the numbering of trials. Every search is a loop over `TrialRunner.run`.
 */
import type { Classifier, FitOptions } from "../models/estimator";
import type { Params } from "../params";
import { TrainingDivergedError } from "../training/diverged";
import type { EpochLog } from "../training/epoch-log";
import { EarlyStopSignal } from "./early-stopping";
import { takeRows, type LabelledData } from "./labelled-data";
import { describeParams } from "./param-grid";
import type { ResolvedSearchOptions } from "./search-options";
import { stratifiedSubset, type SplitIndices } from "./stratified-split";
import { BudgetSpent } from "./time-budget";
import { mean, median, std, type Trial } from "./trial";

export interface TrialSpec {
  candidate: number;
  /** The searched parameters, recorded in the results. */
  params: Params;
  /** Extra parameters for this fit only (successive halving's epochs). */
  fitParams?: Params;
  /** Train on this many (stratified) samples of each fold's training rows. */
  samples?: number;
  rung?: number;
  resource?: number;
}

export class TrialRunner {
  readonly trials: Trial[] = [];
  /** True once a trial was abandoned or not started because the budget was spent. */
  stoppedByBudget = false;

  constructor(
    readonly who: string,
    readonly estimator: Classifier,
    readonly data: LabelledData,
    readonly folds: SplitIndices[],
    readonly options: ResolvedSearchOptions,
  ) {}

  /** Evaluates one candidate; null (and stoppedByBudget) when the budget ran out first. */
  async run(spec: TrialSpec, label = ""): Promise<Trial | null> {
    const { budget } = this.options;
    const foldScores: number[] = [];
    const trainScores: number[] = [];
    const bestEpochs: number[] = [];
    let fitSeconds = 0;
    let trainSamples = 0;
    let error: string | undefined;
    try {
      for (let f = 0; f < this.folds.length && error === undefined; f++) {
        budget.check();
        const fold = this.folds[f];
        const trainRows = spec.samples
          ? stratifiedSubset(this.data.y, fold.train, spec.samples, this.options.seed + f)
          : fold.train;
        const train = takeRows(this.data, trainRows);
        const validation = takeRows(this.data, fold.validation);
        const model = this.estimator.clone().setParams({ ...spec.params, ...spec.fitParams });
        const stopper = this.options.makeStopper?.() ?? null;
        const fitOptions: FitOptions = {
          verbose: false,
          validation: stopper ? validation : undefined,
          onEpoch: (log: EpochLog) => {
            if (stopper?.observe(log)) throw new EarlyStopSignal(log.epoch);
            budget.check();
          },
        };
        const started = performance.now();
        let stoppedEarly = false;
        try {
          await model.fit(train.x, train.y, fitOptions);
        } catch (e) {
          if (e instanceof EarlyStopSignal) stoppedEarly = true;
          else if (e instanceof TrainingDivergedError) error = e.message;
          else throw e;
        }
        fitSeconds += (performance.now() - started) / 1000;
        trainSamples = train.x.rows;
        if (error !== undefined) break;
        if (stopper?.best) {
          // The epoch with the lowest validation loss stands for the trial (its model is gone if stopped).
          foldScores.push(stopper.best.valAccuracy!);
          bestEpochs.push(stopper.best.epoch);
          if (this.options.scoreTraining && stopper.best.accuracy !== undefined)
            trainScores.push(stopper.best.accuracy);
        } else {
          if (stoppedEarly) throw new Error(`${this.who}: stopped early without a validation score`);
          foldScores.push(model.score(validation.x, validation.y));
          if (this.options.scoreTraining) trainScores.push(model.score(train.x, train.y));
        }
      }
    } catch (e) {
      if (e instanceof BudgetSpent) {
        this.stoppedByBudget = true;
        return null;
      }
      throw e;
    }
    const trial: Trial = {
      index: this.trials.length,
      candidate: spec.candidate,
      params: spec.params,
      foldScores,
      meanScore: error === undefined ? mean(foldScores) : NaN,
      stdScore: error === undefined ? std(foldScores) : NaN,
      fitSeconds,
      trainSamples,
    };
    if (trainScores.length > 0) trial.trainScores = trainScores;
    if (bestEpochs.length > 0) trial.bestEpoch = Math.round(median(bestEpochs));
    if (spec.rung !== undefined) trial.rung = spec.rung;
    if (spec.resource !== undefined) trial.resource = spec.resource;
    if (error !== undefined) trial.error = error;
    this.trials.push(trial);
    if (this.options.verbose) console.log(`${this.who}: ${label}${describeTrial(trial)}`);
    return trial;
  }
}

export function describeTrial(trial: Trial): string {
  const score = trial.error ? `diverged` : `${trial.meanScore.toFixed(4)} ± ${trial.stdScore.toFixed(4)}`;
  const epoch = trial.bestEpoch !== undefined ? `, best epoch ${trial.bestEpoch}` : "";
  return `${describeParams(trial.params)} → ${score} (${trial.fitSeconds.toFixed(1)} s${epoch})`;
}
