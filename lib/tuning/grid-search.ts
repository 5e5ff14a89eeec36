/** Exhaustive search over a grid (scikit-learn's `GridSearchCV`): every combination, cross-validated. */
import type { Classifier } from "../models/estimator";
import type { LabelledData } from "./labelled-data";
import { checkCandidates, expandGrid, type ParamGrid } from "./param-grid";
import { finishSearch, startSearch } from "./search-context";
import type { SearchOptions } from "./search-options";
import type { SearchResult } from "./search-result";

export async function gridSearch(
  estimator: Classifier,
  grid: ParamGrid,
  train: LabelledData,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const who = "gridSearch";
  const candidates = expandGrid(who, grid);
  checkCandidates(who, estimator, candidates);
  const runner = startSearch(who, estimator, train, options);
  for (let i = 0; i < candidates.length; i++) {
    const trial = await runner.run(
      { candidate: i, params: candidates[i] },
      `${i + 1}/${candidates.length}: `,
    );
    if (trial === null) break;
  }
  return finishSearch(runner, candidates.length);
}
