import { NUM_CLASSES } from "../matrix";
import { checkConfusionMatrix, checkLabelPair } from "./validate";
import { checkScalar } from "../validation";

/**
 * counts[t][p] = number of samples whose true label is t and predicted label is p.
 * Rows are true classes and columns are predictions (scikit-learn's layout), so row sums are
 * class supports and the diagonal holds the correct predictions.
 */
export function confusionMatrix(
  yTrue: Uint8Array,
  yPred: Uint8Array,
  numClasses: number = NUM_CLASSES,
): number[][] {
  checkLabelPair("confusionMatrix", yTrue, yPred, numClasses);
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) counts[yTrue[i]][yPred[i]]++;
  return counts;
}

/**
 * Each row divided by its total: normalized[t][p] = counts[t][p] / Σₚ counts[t][p],
 * the fraction of class-t samples predicted as p. The diagonal is then per-class recall.
 * A class with no samples keeps a row of zeros rather than 0/0 = NaN.
 */
export function normalizeConfusionRows(counts: number[][]): number[][] {
  checkConfusionMatrix("normalizeConfusionRows", counts);
  return counts.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total === 0 ? 0 : count / total));
  });
}

/** One off-diagonal cell of a confusion matrix: `count` samples of class `true` predicted as `predicted`. */
export interface ConfusedPair {
  true: number;
  predicted: number;
  count: number;
}

/**
 * The off-diagonal cells with a non-zero count, largest first, at most `limit` of them.
 * Equal counts are ordered by true class, then predicted class, so the list is deterministic.
 */
export function mostConfusedPairs(counts: number[][], limit: number = Infinity): ConfusedPair[] {
  checkConfusionMatrix("mostConfusedPairs", counts);
  // Infinity (the default) means every pair; anything else is a count.
  if (limit !== Infinity) checkScalar("mostConfusedPairs", "limit", limit, { integer: true, min: 0 });
  const pairs: ConfusedPair[] = [];
  counts.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count > 0) pairs.push({ true: t, predicted: p, count });
    }),
  );
  pairs.sort((a, b) => b.count - a.count || a.true - b.true || a.predicted - b.predicted);
  return pairs.slice(0, limit);
}
