/**
 * Runs trials: for one candidate, fit an unfitted copy of the model on every fold's training rows and
 * score it on the fold's validation rows (./fold-fit.ts). Keeps the time budget, early stopping and the
 * numbering of trials. Every search is a loop over `runAll`, which runs a batch of candidates one after
 * the other, or side by side in worker threads when the search was given `parallel` (./trial-workers.ts);
 * either way the trials come out in candidate order with the same scores.
 */
import type { Classifier } from "../models/estimator";
import type { Params } from "../params";
import { fitFold, type FoldFitResult, type FoldFitSettings } from "./fold-fit";
import type { LabelledData } from "./labelled-data";
import { describeParams } from "./param-grid";
import type { ResolvedSearchOptions } from "./search-options";
import type { SplitIndices } from "./stratified-split";
import { mean, median, std, type Trial } from "./trial";
import type { TrialWorkerPool } from "./trial-workers";

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
  /** Printed before the trial's line when the search is verbose. */
  label?: string;
}

export class TrialRunner {
  readonly trials: Trial[] = [];
  /** True once a trial was abandoned or not started because the budget was spent. */
  stoppedByBudget = false;
  readonly settings: FoldFitSettings;

  constructor(
    readonly who: string,
    readonly estimator: Classifier,
    readonly data: LabelledData,
    readonly folds: SplitIndices[],
    readonly options: ResolvedSearchOptions,
    /** Worker threads for side-by-side trials, or null to run them here. */
    private readonly pool: TrialWorkerPool | null = null,
  ) {
    this.settings = {
      seed: options.seed,
      scoreTraining: options.scoreTraining,
      earlyStopping: options.earlyStopping,
      deadline: options.budget.deadline,
    };
  }

  /** Stops the worker threads, if any. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Evaluates one candidate; null (and stoppedByBudget) when the budget ran out first. */
  async run(spec: TrialSpec): Promise<Trial | null> {
    return (await this.runAll([spec]))[0];
  }

  /**
   * Evaluates the candidates (in worker threads when there is a pool), recording their trials in the
   * order given; from the first one the budget cut short on, the rest are null and not recorded.
   */
  async runAll(specs: TrialSpec[]): Promise<(Trial | null)[]> {
    const perSpec = this.pool ? await this.fitInWorkers(specs) : null;
    const trials: (Trial | null)[] = [];
    for (let i = 0; i < specs.length; i++) {
      if (this.stoppedByBudget) {
        trials.push(null);
        continue;
      }
      const fits = perSpec ? perSpec[i] : await this.fitHere(specs[i]);
      trials.push(this.record(specs[i], fits));
    }
    return trials;
  }

  /** The fold fits of one candidate, one after the other, until one diverges or the budget is spent. */
  private async fitHere(spec: TrialSpec): Promise<FoldFitResult[]> {
    const fits: FoldFitResult[] = [];
    for (let fold = 0; fold < this.folds.length; fold++) {
      const params = { ...spec.params, ...spec.fitParams };
      const task = { fold, params, samples: spec.samples };
      const fit = await fitFold(this.who, this.estimator, this.data, this.folds, task, this.settings);
      fits.push(fit);
      if (fit.error !== undefined || fit.budgetSpent) break;
    }
    return fits;
  }

  /** Every fold fit of every candidate, queued to the workers at once. */
  private async fitInWorkers(specs: TrialSpec[]): Promise<FoldFitResult[][]> {
    const pool = this.pool!;
    return Promise.all(
      specs.map((spec) =>
        Promise.all(
          this.folds.map((_, fold) =>
            pool.fit({ fold, params: { ...spec.params, ...spec.fitParams }, samples: spec.samples }),
          ),
        ),
      ),
    );
  }

  /** The trial of one candidate's fold fits (those after a diverged fold are ignored, as when serial). */
  private record(spec: TrialSpec, fits: FoldFitResult[]): Trial | null {
    const failed = fits.findIndex((f) => f.error !== undefined || f.budgetSpent);
    const counted = failed < 0 ? fits : fits.slice(0, failed + 1);
    if (counted.some((f) => f.budgetSpent)) {
      this.stoppedByBudget = true;
      return null;
    }
    const error = counted.find((f) => f.error !== undefined)?.error;
    const scored = counted.filter((f) => f.error === undefined);
    const foldScores = scored.map((f) => f.score);
    const trainScores = scored.flatMap((f) => (f.trainScore === undefined ? [] : [f.trainScore]));
    const bestEpochs = scored.flatMap((f) => (f.bestEpoch === undefined ? [] : [f.bestEpoch]));
    const trial: Trial = {
      index: this.trials.length,
      candidate: spec.candidate,
      params: spec.params,
      foldScores,
      meanScore: error === undefined ? mean(foldScores) : NaN,
      stdScore: error === undefined ? std(foldScores) : NaN,
      fitSeconds: counted.reduce((sum, f) => sum + f.seconds, 0),
      trainSamples: counted[counted.length - 1].trainSamples,
    };
    if (trainScores.length > 0) trial.trainScores = trainScores;
    if (bestEpochs.length > 0) trial.bestEpoch = Math.round(median(bestEpochs));
    if (spec.rung !== undefined) trial.rung = spec.rung;
    if (spec.resource !== undefined) trial.resource = spec.resource;
    if (error !== undefined) trial.error = error;
    this.trials.push(trial);
    if (this.options.verbose) console.log(`${this.who}: ${spec.label ?? ""}${describeTrial(trial)}`);
    return trial;
  }
}

export function describeTrial(trial: Trial): string {
  const score = trial.error ? `diverged` : `${trial.meanScore.toFixed(4)} ± ${trial.stdScore.toFixed(4)}`;
  const epoch = trial.bestEpoch !== undefined ? `, best epoch ${trial.bestEpoch}` : "";
  return `${describeParams(trial.params)} → ${score} (${trial.fitSeconds.toFixed(1)} s${epoch})`;
}
