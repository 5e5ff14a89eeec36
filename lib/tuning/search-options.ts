/** The options every search shares, checked (with clear errors) before any training starts. */
import * as os from "os";
import { checkOptionKeys, checkPositiveInteger, checkSeed } from "../validation";
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
  /**
   * Run trials side by side in this many worker threads (true: one per core; never more than the
   * cores), each model on single-threaded kernels. For models that do not use the engine's threads
   * within one fit (small linear models, k-NN screening); the scores are those of a serial run.
   */
  parallel?: boolean | number;
  /**
   * Try the model's own values of the searched parameters first (default false): a candidate then
   * replaces the default only by a higher validation score, so a tie keeps the default.
   */
  includeDefault?: boolean;
}

export const SEARCH_OPTION_NAMES = [
  "cv",
  "seed",
  "timeBudgetSeconds",
  "earlyStopping",
  "scoreTraining",
  "verbose",
  "parallel",
  "includeDefault",
];

export interface ResolvedSearchOptions {
  cv: ValidationScheme;
  seed: number;
  budget: TimeBudget;
  /** Early stopping's settings (a fresh stopper per fit), or null for none. */
  earlyStopping: EarlyStoppingOptions | null;
  scoreTraining: boolean;
  verbose: boolean;
  /** Candidate 0 is the model's default. */
  includeDefault: boolean;
  /** Worker threads for side-by-side trials; 0 runs them in the calling thread. */
  workers: number;
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
  const stopping = earlyStopping === false ? null : earlyStopping === true ? {} : earlyStopping;
  if (stopping) new EarlyStopping(stopping); // checks the settings now, before any training
  return {
    cv,
    seed,
    budget,
    earlyStopping: stopping,
    scoreTraining: options.scoreTraining ?? false,
    verbose: options.verbose ?? false,
    workers: workerCount(who, options.parallel ?? false),
    includeDefault: options.includeDefault ?? false,
  };
}

/** Worker threads for `parallel`: true is one per core, a number is capped at the cores. */
function workerCount(who: string, parallel: boolean | number): number {
  const cores = os.availableParallelism();
  if (parallel === false) return 0;
  if (parallel === true) return cores;
  if (typeof parallel !== "number")
    throw new TypeError(`${who}: parallel must be true, false or a number of threads, got ${parallel}`);
  return Math.min(cores, checkPositiveInteger(who, "parallel", parallel));
}
