/**
 * Stratified k-fold cross-validation (scikit-learn's `StratifiedKFold(shuffle=True)`): every class is
 * shuffled (seeded) and dealt round-robin into k folds, so each fold holds about 1/k of every class.
 * Fold i validates on its own rows and trains on all the others.
 */
import { Random } from "../random";
import { checkScalar, checkSeed } from "../validation";
import { indicesByClass } from "./labelled-data";
import type { SplitIndices } from "./stratified-split";

/**
 * k train/validation splits whose validation parts are disjoint and together cover every row.
 * Throws before any work if k < 2 or if the smallest class has fewer than k samples (a fold would then
 * miss that class).
 */
export function stratifiedKFold(y: Uint8Array, k: number, seed = 0): SplitIndices[] {
  const who = "stratifiedKFold";
  checkScalar(who, "k", k, { integer: true, min: 2 });
  checkSeed(who, seed);
  const classes = indicesByClass(y);
  const smallest = Math.min(...classes.map((rows) => rows.length));
  if (smallest < k) {
    const label = y[classes.find((rows) => rows.length === smallest)![0]];
    throw new RangeError(
      `${who}: k = ${k} folds, but class ${label} has only ${smallest} sample${smallest === 1 ? "" : "s"}; ` +
        `k must be at most the size of the smallest class`,
    );
  }
  const random = new Random(seed);
  const foldOf = new Int32Array(y.length);
  let offset = 0;
  for (const rows of classes) {
    random.shuffle(rows);
    // Continue the round-robin where the previous class stopped so fold sizes differ by at most one.
    rows.forEach((row, i) => (foldOf[row] = (offset + i) % k));
    offset = (offset + rows.length) % k;
  }
  const folds: SplitIndices[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train: number[] = [];
    const validation: number[] = [];
    for (let row = 0; row < y.length; row++) (foldOf[row] === fold ? validation : train).push(row);
    folds.push({ train: Uint32Array.from(train), validation: Uint32Array.from(validation) });
  }
  return folds;
}
