/** The options every search shares, checked (with clear errors) before any training starts. */
import { checkOptionKeys, checkSeed } from "../validation";
import { EarlyStopping, type EarlyStoppingOptions } from "./early-stopping";
import { TimeBudget } from "./time-budget";
import type { ValidationScheme } from "./validation-scheme";

export interface SearchOptions {
  /** k-fold CV (a number, default 3) or one hold-out split ({ validationFraction }). */
  cv?: ValidationScheme;
  /** Seeds the splits, subsets and sampled candidates (default 0); models keep their own `seed`. */
  seed?: number;
  /** Stop starting (and abandon running) trials after this many seconds (default: no limit). */
  timeBudgetSeconds?: number;
  /** Stop each fit once the validation loss stops improving (models trained by epochs). */
  earlyStopping?: boolean | EarlyStoppingOptions;
  /** Also score each fit on its own training rows (for learning curves; costs a prediction pass). */
  scoreTraining?: boolean;
  /** Print a line per trial (default false). */
  verbose?: boolean;
}

export const SEARCH_OPTION_NAMES = [
  "cv",
  "seed",
  "timeBudgetSeconds",
  "earlyStopping",
  "scoreTraining",
  "verbose",
];

export interface ResolvedSearchOptions {
  cv: ValidationScheme;
  seed: number;
  budget: TimeBudget;
  /** A fresh stopper per fit, or null. */
  makeStopper: (() => EarlyStopping) | null;
  scoreTraining: boolean;
  verbose: boolean;
}

export function resolveSearchOptions(
  who: string,
  options: SearchOptions,
  extraNames: string[] = [],
): ResolvedSearchOptions {
  checkOptionKeys(who, options, [...SEARCH_OPTION_NAMES, ...extraNames]);
  const { cv = 3, seed = 0, timeBudgetSeconds = Infinity, earlyStopping = false } = options;
  checkSeed(who, seed);
  const budget = new TimeBudget(who, timeBudgetSeconds);
  let makeStopper: (() => EarlyStopping) | null = null;
  if (earlyStopping) {
    const settings = earlyStopping === true ? {} : earlyStopping;
    new EarlyStopping(settings);
    makeStopper = () => new EarlyStopping(settings);
  }
  return {
    cv,
    seed,
    budget,
    makeStopper,
    scoreTraining: options.scoreTraining ?? false,
    verbose: options.verbose ?? false,
  };
}
