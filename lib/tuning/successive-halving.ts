/**
 * Successive halving (Jamieson & Talwalkar, 2016; one bracket of Hyperband; scikit-learn's
 * `HalvingGridSearchCV`): every candidate gets a small budget, the best 1/factor go on with factor
 * times the budget, and so on until one candidate is left or the budget reaches its maximum. Most of
 * the time goes to the promising candidates. The budget is either epochs (each rung refits from scratch
 * with more epochs, as scikit-learn does) or training samples (a stratified subset of each fold).
 */
import type { Classifier } from "../models/estimator";
import type { Params } from "../params";
import { checkChoice, checkPositiveInteger, checkScalar } from "../validation";
import type { LabelledData } from "./labelled-data";
import { checkCandidates, withDefaultFirst } from "./param-grid";
import { finishSearch, startSearch } from "./search-context";
import type { SearchOptions } from "./search-options";
import type { SearchResult } from "./search-result";
import type { Trial } from "./trial";

export interface HalvingOptions extends SearchOptions {
  /** What the budget counts. */
  resource: "epochs" | "samples";
  /** The first rung's budget per candidate (epochs, or training samples per fold). */
  minResource: number;
  /** The most any rung gets (default: minResource × factor^(rungs−1) for epochs; all samples for samples). */
  maxResource?: number;
  /** Keep the best 1/factor of the candidates at each rung, and multiply the budget by factor (default 3). */
  factor?: number;
}

/** The rung budgets: minResource × factor^i, capped at maxResource, ending at it. */
export function halvingRungs(
  candidates: number,
  minResource: number,
  maxResource: number,
  factor: number,
): number[] {
  const rungs = [minResource];
  let alive = candidates;
  while (alive > 1 && rungs[rungs.length - 1] < maxResource) {
    alive = Math.max(1, Math.ceil(alive / factor));
    rungs.push(Math.min(maxResource, Math.round(rungs[rungs.length - 1] * factor)));
  }
  return rungs;
}

export async function successiveHalving(
  estimator: Classifier,
  candidates: Params[],
  train: LabelledData,
  options: HalvingOptions,
): Promise<SearchResult> {
  const who = "successiveHalving";
  if (!options || typeof options !== "object")
    throw new TypeError(`${who}: options { resource, minResource } are required`);
  const { resource, minResource, factor = 3, ...searchOptions } = options;
  delete (searchOptions as { maxResource?: number }).maxResource;
  checkChoice(who, "resource", resource, ["epochs", "samples"] as const);
  checkPositiveInteger(who, "minResource", minResource);
  checkScalar(who, "factor", factor, { min: 1, minExclusive: true });
  if (!Array.isArray(candidates) || candidates.length === 0)
    throw new RangeError(`${who}: no candidates to try`);
  if (resource === "epochs" && candidates.some((c) => "epochs" in c)) {
    throw new RangeError(`${who}: the budget is epochs, so "epochs" cannot also be a searched parameter`);
  }
  if (options.includeDefault) candidates = withDefaultFirst(estimator, candidates, ["epochs"]);
  checkCandidates(
    who,
    estimator,
    resource === "epochs" ? candidates.map((c) => ({ ...c, epochs: minResource })) : candidates,
  );
  const runner = startSearch(who, estimator, train, searchOptions);
  const smallestFold = Math.min(...runner.folds.map((f) => f.train.length));
  const defaultMax =
    resource === "samples"
      ? smallestFold
      : minResource * factor ** Math.ceil(Math.log(candidates.length) / Math.log(factor));
  const maxResource = options.maxResource ?? defaultMax;
  checkPositiveInteger(who, "maxResource", maxResource);
  if (maxResource < minResource) {
    throw new RangeError(
      `${who}: maxResource must be ≥ minResource, got maxResource = ${maxResource} < minResource = ${minResource}`,
    );
  }
  if (resource === "samples" && minResource > smallestFold) {
    throw new RangeError(
      `${who}: minResource = ${minResource} samples, but a fold trains on only ${smallestFold}`,
    );
  }
  const rungs = halvingRungs(candidates.length, minResource, maxResource, factor);
  const planned = rungs.reduce((sum, _, i) => sum + survivorsAt(candidates.length, factor, i), 0);
  try {
    let alive = candidates.map((_, i) => i);
    for (let rung = 0; rung < rungs.length && !runner.stoppedByBudget; rung++) {
      const budget = rungs[rung];
      if (rung > 0)
        alive = keepBest(
          runner.trials.filter((t) => t.rung === rung - 1),
          survivorsAt(candidates.length, factor, rung),
        );
      // The rung's candidates are independent: with `parallel` they train side by side.
      await runner.runAll(
        alive.map((candidate) => ({
          candidate,
          params: candidates[candidate],
          fitParams: resource === "epochs" ? { epochs: budget } : undefined,
          samples: resource === "samples" ? budget : undefined,
          rung,
          resource: budget,
          label: `rung ${rung} (${budget} ${resource}), candidate ${candidate}: `,
        })),
      );
    }
  } finally {
    await runner.close();
  }
  return finishSearch(runner, planned, resource);
}

/** How many candidates rung `rung` evaluates. */
function survivorsAt(candidates: number, factor: number, rung: number): number {
  let alive = candidates;
  for (let i = 0; i < rung; i++) alive = Math.max(1, Math.ceil(alive / factor));
  return alive;
}

/** The `count` best candidates of a rung (diverged ones last; ties to the earlier trial). */
function keepBest(trials: Trial[], count: number): number[] {
  const score = (t: Trial) => (Number.isNaN(t.meanScore) ? -Infinity : t.meanScore);
  return [...trials]
    .sort((a, b) => score(b) - score(a) || a.index - b.index)
    .slice(0, count)
    .map((t) => t.candidate);
}
