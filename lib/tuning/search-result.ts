/**
 * What a search returns: every trial (as records and as a danfojs DataFrame), the best one, its
 * parameters, and a refit of the best on the whole training set, as scikit-learn's `cv_results_`,
 * `best_params_` and `best_estimator_`.
 */
import type { Classifier, FitOptions } from "../models/estimator";
import type { Params } from "../params";
import { toDataFrame, type FrameLike, type Row } from "../data-frame";
import type { LabelledData } from "./labelled-data";
import { describeParams, formatParam } from "./param-grid";
import type { Trial } from "./trial";

export interface SearchSummary {
  /** Which search ran ("gridSearch", "randomSearch", "successiveHalving"). */
  who: string;
  /** Trials the search meant to run, and how many it did. */
  planned: number;
  stoppedByBudget: boolean;
  budgetSeconds: number;
  elapsedSeconds: number;
  /** How candidates were validated, e.g. "3-fold CV". */
  scheme: string;
}

/** Where a result came from: run now, or loaded as saved by the search store (lib/store/search-store.ts). */
export interface SearchOrigin {
  status: "searched" | "loaded";
  /** ISO date the search ran, and how long it took then (a loaded result keeps the saved figures). */
  date: string;
  seconds: number;
  /** The store folder it was saved in. */
  dir: string;
}

export class SearchResult {
  constructor(
    readonly estimator: Classifier,
    /** The training data the search was given (the refit uses all of it). */
    private readonly data: LabelledData,
    readonly trials: Trial[],
    readonly summary: SearchSummary,
  ) {}

  get trialsRun(): number {
    return this.trials.length;
  }

  /**
   * The trial with the highest mean validation score (successive halving: among those of the last rung
   * reached); ties go to the earlier trial. Throws if no trial finished.
   */
  get best(): Trial {
    const scored = this.trials.filter((t) => !Number.isNaN(t.meanScore));
    if (scored.length === 0) throw new Error(`${this.summary.who}: no trial finished (${this.message()})`);
    const lastRung = Math.max(...scored.map((t) => t.rung ?? 0));
    let best: Trial | null = null;
    for (const trial of scored) {
      if ((trial.rung ?? 0) !== lastRung) continue;
      if (best === null || trial.meanScore > best.meanScore) best = trial;
    }
    return best!;
  }

  get bestScore(): number {
    return this.best.meanScore;
  }

  /**
   * The best trial's parameters, as the refit uses them: with `epochs` set to what early stopping chose,
   * or to the resource of successive halving's last rung when the budget was epochs.
   */
  get bestParams(): Params {
    const best = this.best;
    const params: Params = { ...best.params };
    if (this.resourceName === "epochs" && best.resource !== undefined) params.epochs = best.resource;
    if (best.bestEpoch !== undefined) params.epochs = best.bestEpoch;
    return params;
  }

  /** Candidate 0 is the model's default (the search's includeDefault). */
  includesDefault = false;

  /** Set by the search store; null for a search run without it. */
  origin: SearchOrigin | null = null;

  /** Set by successive halving: what its budget counted. */
  resourceName: "epochs" | "samples" | null = null;

  /** One line: what ran, how many trials, whether the budget stopped it, the best. */
  message(): string {
    const { who, planned, stoppedByBudget, budgetSeconds, elapsedSeconds, scheme } = this.summary;
    const ran = `${this.trialsRun} of ${planned} trials ran in ${elapsedSeconds.toFixed(1)} s (${scheme})`;
    const budget = stoppedByBudget ? `; stopped by the ${budgetSeconds} s time budget` : "";
    const scored = this.trials.some((t) => !Number.isNaN(t.meanScore));
    const params = scored ? describeParams(this.bestParams) : "";
    const best = scored ? `; best ${this.bestScore.toFixed(4)}${params ? ` with ${params}` : ""}` : "";
    return `${who}: ${ran}${budget}${best}`;
  }

  /** One record per trial: searched parameters, scores, fit time (and rung, resource, best epoch). */
  rows(): Row[] {
    const names = [...new Set(this.trials.flatMap((t) => Object.keys(t.params)))];
    return this.trials.map((t) => {
      const row: Row = { trial: t.index };
      if (t.rung !== undefined) row.rung = t.rung;
      if (t.resource !== undefined) row[this.resourceName ?? "resource"] = t.resource;
      for (const name of names) row[name] = name in t.params ? formatParam(t.params[name]) : "";
      if (this.includesDefault) row.isDefault = t.candidate === 0;
      row.meanScore = t.meanScore;
      row.stdScore = t.stdScore;
      if (t.trainScores) row.meanTrainScore = t.trainScores.reduce((a, b) => a + b, 0) / t.trainScores.length;
      row.fitSeconds = t.fitSeconds;
      if (t.bestEpoch !== undefined) row.bestEpoch = t.bestEpoch;
      return row;
    });
  }

  /** The trials as a danfojs DataFrame (one row per trial). */
  toDataFrame(): FrameLike {
    return toDataFrame(this.rows());
  }

  /** A new model with the best parameters, fitted on the whole training set the search was given. */
  async refit(options: FitOptions = {}): Promise<Classifier> {
    const model = this.estimator.clone().setParams(this.bestParams);
    return model.fit(this.data.x, this.data.y, options);
  }
}
