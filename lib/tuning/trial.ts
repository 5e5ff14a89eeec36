/** One candidate parameter set evaluated once: the row a search adds to its results table. */
import type { Params } from "../params";

export interface Trial {
  /** Order in which the trial ran, from 0. */
  index: number;
  /** Which candidate it evaluated (successive halving evaluates a candidate once per rung). */
  candidate: number;
  /** The searched parameters (not the model's other, fixed ones). */
  params: Params;
  /** Validation accuracy on each fold. */
  foldScores: number[];
  /** Mean and (population) standard deviation of foldScores; NaN when training diverged. */
  meanScore: number;
  stdScore: number;
  /** Training accuracy on each fold's training rows, when the search was asked to score them. */
  trainScores?: number[];
  /** Fit time summed over the folds. */
  fitSeconds: number;
  /** Training samples per fold fit. */
  trainSamples: number;
  /** The epoch early stopping chose (median over folds), when it ran. */
  bestEpoch?: number;
  /** Successive halving: the rung (0 = first) and its resource (epochs or samples). */
  rung?: number;
  resource?: number;
  /** Why the trial has no score (e.g. training diverged). */
  error?: string;
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function std(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
