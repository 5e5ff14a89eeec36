/**
 * Random search (scikit-learn's `RandomizedSearchCV`): `nTrials` candidates drawn from distributions.
 * With the same budget it covers each important parameter with more distinct values than a grid
 * (Bergstra & Bengio, 2012), and a seed draws the same candidates every time.
 */
import type { Classifier } from "../models/estimator";
import type { Params } from "../params";
import { Random } from "../random";
import { checkPositiveInteger, checkSeed } from "../validation";
import { isDistribution, type Distribution } from "./distributions";
import type { LabelledData } from "./labelled-data";
import { searchCandidates } from "./search-context";
import type { SearchOptions } from "./search-options";
import type { SearchResult } from "./search-result";

/** Parameter name → a distribution, or a list of values to choose from. */
export type SearchSpace = Record<string, Distribution | readonly unknown[]>;

export interface RandomSearchOptions extends SearchOptions {
  /** Candidates to draw (default 10). */
  nTrials?: number;
}

/** `n` candidates drawn from `space` with `seed`, parameters in the order of `space`. */
export function sampleCandidates(
  space: SearchSpace,
  n: number,
  seed = 0,
  who = "sampleCandidates",
): Params[] {
  checkPositiveInteger(who, "nTrials", n);
  checkSeed(who, seed);
  if (!space || typeof space !== "object" || Object.keys(space).length === 0) {
    throw new RangeError(
      `${who}: the search space is empty; give at least one parameter and its distribution`,
    );
  }
  for (const [name, spec] of Object.entries(space)) {
    const emptyList = Array.isArray(spec) && spec.length === 0;
    if (emptyList || (!Array.isArray(spec) && !isDistribution(spec))) {
      throw new RangeError(`${who}: parameter "${name}" needs a distribution or a non-empty list of values`);
    }
  }
  const random = new Random(seed);
  const candidates: Params[] = [];
  for (let i = 0; i < n; i++) {
    const params: Params = {};
    for (const [name, spec] of Object.entries(space)) {
      params[name] = Array.isArray(spec)
        ? spec[random.int(spec.length)]
        : (spec as Distribution).sample(random);
    }
    candidates.push(params);
  }
  return candidates;
}

export async function randomSearch(
  estimator: Classifier,
  space: SearchSpace,
  train: LabelledData,
  options: RandomSearchOptions = {},
): Promise<SearchResult> {
  const who = "randomSearch";
  const { nTrials = 10, ...searchOptions } = options;
  const candidates = sampleCandidates(space, nTrials, options.seed ?? 0, who);
  return searchCandidates(who, estimator, candidates, train, searchOptions);
}
