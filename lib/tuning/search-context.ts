/**
 * What every search does before its first trial: check the data, refuse the test set, check the
 * options and make the folds. Bad input fails here, before any training.
 */
import type { Classifier } from "../models/estimator";
import type { Params } from "../params";
import { checkLabelledData, type LabelledData } from "./labelled-data";
import { checkCandidates, withDefaultFirst } from "./param-grid";
import { resolveSearchOptions, type SearchOptions } from "./search-options";
import { SearchResult } from "./search-result";
import { assertNotTestSet } from "./test-set-guard";
import { TrialRunner, type TrialSpec } from "./trial-runner";
import { TrialWorkerPool } from "./trial-workers";
import { describeScheme, makeFolds } from "./validation-scheme";

export function startSearch(
  who: string,
  estimator: Classifier,
  data: LabelledData,
  options: SearchOptions,
  extraOptionNames: string[] = [],
): TrialRunner {
  if (!estimator || typeof estimator.clone !== "function" || typeof estimator.fit !== "function") {
    throw new TypeError(`${who}: estimator must be a classifier with getParams / setParams / clone`);
  }
  checkLabelledData(who, data);
  assertNotTestSet(who, data);
  const resolved = resolveSearchOptions(who, options, extraOptionNames);
  const folds = makeFolds(who, data.y, resolved.cv, resolved.seed);
  const runner = new TrialRunner(who, estimator, data, folds, resolved);
  if (resolved.workers === 0) return runner;
  const pool = new TrialWorkerPool(who, estimator, data, folds, runner.settings, resolved.workers);
  return new TrialRunner(who, estimator, data, folds, resolved, pool);
}

/** Runs `specs` on the runner, closing its worker threads (if any) however the run ends. */
export async function runTrials(runner: TrialRunner, specs: TrialSpec[]): Promise<void> {
  try {
    await runner.runAll(specs);
  } finally {
    await runner.close();
  }
}

/**
 * Grid and random search alike: every candidate (already drawn) in order, each cross-validated, until
 * the candidates or the time budget run out.
 */
export async function searchCandidates(
  who: string,
  estimator: Classifier,
  candidates: Params[],
  data: LabelledData,
  options: SearchOptions,
): Promise<SearchResult> {
  checkCandidates(who, estimator, candidates);
  if (options.includeDefault) candidates = withDefaultFirst(estimator, candidates);
  const runner = startSearch(who, estimator, data, options);
  const specs = candidates.map((params, i) => ({
    candidate: i,
    params,
    label: `${i + 1}/${candidates.length}: `,
  }));
  await runTrials(runner, specs);
  return finishSearch(runner, candidates.length);
}

export function finishSearch(
  runner: TrialRunner,
  planned: number,
  resourceName: "epochs" | "samples" | null = null,
): SearchResult {
  const { budget, cv, verbose } = runner.options;
  const result = new SearchResult(runner.estimator, runner.data, runner.trials, {
    who: runner.who,
    planned,
    stoppedByBudget: runner.stoppedByBudget,
    budgetSeconds: budget.seconds,
    elapsedSeconds: budget.elapsedSeconds,
    scheme: describeScheme(cv),
  });
  result.resourceName = resourceName;
  result.includesDefault = runner.options.includeDefault;
  if (verbose || runner.stoppedByBudget) console.log(result.message());
  return result;
}
