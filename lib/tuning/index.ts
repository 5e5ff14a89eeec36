/**
 * Hyperparameter search that never sees the test set (notebook 5): stratified splits and folds, grid,
 * random and successive-halving searches with early stopping and a time budget, learning curves, the
 * learning-rate range test, and the charts that show why each choice wins.
 * Notebooks use it as `mn.tuning.gridSearch(...)`.
 */
export * from "./labelled-data";
export * from "./stratified-split";
export * from "./stratified-kfold";
export * from "./validation-scheme";
export * from "./test-set-guard";
export * from "./distributions";
export * from "./param-grid";
export * from "./time-budget";
export * from "./early-stopping";
export * from "./trial";
export * from "./search-options";
export * from "./search-result";
export { TrialRunner } from "./trial-runner";
export * from "./grid-search";
export * from "./random-search";
export * from "./successive-halving";
export * from "./learning-curve";
export * from "./lr-range-test";
export * from "./pipeline";
export * from "./tuned-settings";
export * from "./final-evaluation";
