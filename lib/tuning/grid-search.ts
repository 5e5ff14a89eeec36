/** Exhaustive search over a grid (scikit-learn's `GridSearchCV`): every combination, cross-validated. */
import type { Classifier } from "../models/estimator";
import type { LabelledData } from "./labelled-data";
import { expandGrid, type ParamGrid } from "./param-grid";
import { searchCandidates } from "./search-context";
import type { SearchOptions } from "./search-options";
import type { SearchResult } from "./search-result";

export async function gridSearch(
  estimator: Classifier,
  grid: ParamGrid,
  train: LabelledData,
  options: SearchOptions = {},
): Promise<SearchResult> {
  return searchCandidates("gridSearch", estimator, expandGrid("gridSearch", grid), train, options);
}
