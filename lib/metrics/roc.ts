import { NUM_CLASSES } from "../matrix";
import { checkProbabilities } from "./validate";
import { checkFinite, checkScalar } from "../validation";

/**
 * Receiver operating characteristic of a score: for every threshold τ (each distinct score, highest first),
 * predicting "positive" when score ≥ τ gives
 *   tpr = TP / (number of positives),   fpr = FP / (number of negatives).
 * The curve starts at (0, 0) with τ = +∞ and ends at (1, 1). Tied scores cross a threshold together,
 * so a tie between a positive and a negative is one diagonal step, not a staircase in either order.
 */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** ROC curve of a binary problem: `isPositive[i]` says whether sample i is positive, `scores[i]` how positive it looks. */
export function rocCurve(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): RocCurve {
  const { positives, negatives } = checkBinary("rocCurve", isPositive, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  let truePositives = 0;
  let falsePositives = 0;
  for (let start = 0; start < order.length;) {
    const threshold = scores[order[start]];
    let end = start;
    for (; end < order.length && scores[order[end]] === threshold; end++) {
      if (isPositive[order[end]]) truePositives++;
      else falsePositives++;
    }
    curve.fpr.push(falsePositives / negatives);
    curve.tpr.push(truePositives / positives);
    curve.thresholds.push(threshold);
    start = end;
  }
  return curve;
}

/**
 * Area under the ROC curve: the probability that a random positive scores higher than a random negative,
 * counting ties as half. Computed from ranks (the Mann-Whitney U statistic), with tied scores sharing
 * the average of the ranks they span:
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)
 * where R₊ is the sum of the positives' ranks (1 = lowest score), n₊ and n₋ the numbers of positives and negatives.
 */
export function rocAuc(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): number {
  const { positives, negatives } = checkBinary("rocAuc", isPositive, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    // Positions start..end-1 hold ranks start+1..end; each tied sample gets their mean.
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (isPositive[order[i]]) positiveRankSum += averageRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** ROC curve of one class against all others, scoring each sample by its probability for that class. */
export function rocCurveOneVsRest(
  yTrue: Uint8Array,
  probabilities: Float32Array,
  positiveClass: number,
  numClasses: number = NUM_CLASSES,
): RocCurve {
  checkProbabilities("rocCurveOneVsRest", yTrue, probabilities, numClasses);
  const classes = { integer: true, min: 0, max: numClasses - 1 };
  checkScalar("rocCurveOneVsRest", "positiveClass", positiveClass, classes);
  return rocCurve(
    oneVsRestLabels(yTrue, positiveClass),
    classColumn(probabilities, positiveClass, numClasses),
  );
}

export interface OneVsRestAuc {
  /** perClass[c] = AUC of class c against the rest; NaN when class c has no samples or is every sample. */
  perClass: number[];
  /** Unweighted mean of the per-class AUCs that are defined (not NaN). */
  macro: number;
}

/** One-vs-rest ROC-AUC of every class, and their macro average. */
export function rocAucOneVsRest(
  yTrue: Uint8Array,
  probabilities: Float32Array,
  numClasses: number = NUM_CLASSES,
): OneVsRestAuc {
  checkProbabilities("rocAucOneVsRest", yTrue, probabilities, numClasses);
  const perClass: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const isPositive = oneVsRestLabels(yTrue, c);
    const positives = isPositive.filter(Boolean).length;
    // With only one kind of sample there is no positive-negative pair to rank, so AUC is undefined.
    const defined = positives > 0 && positives < isPositive.length;
    perClass.push(defined ? rocAuc(isPositive, classColumn(probabilities, c, numClasses)) : NaN);
  }
  const defined = perClass.filter((auc) => !Number.isNaN(auc));
  const macro = defined.length === 0 ? NaN : defined.reduce((sum, auc) => sum + auc, 0) / defined.length;
  return { perClass, macro };
}

function oneVsRestLabels(yTrue: Uint8Array, positiveClass: number): boolean[] {
  return Array.from(yTrue, (label) => label === positiveClass);
}

function classColumn(probabilities: Float32Array, c: number, numClasses: number): Float32Array {
  const column = new Float32Array(probabilities.length / numClasses);
  for (let row = 0; row < column.length; row++) column[row] = probabilities[row * numClasses + c];
  return column;
}

function checkBinary(
  fn: string,
  isPositive: ArrayLike<boolean>,
  scores: ArrayLike<number>,
): { positives: number; negatives: number } {
  if (isPositive.length !== scores.length) {
    throw new RangeError(`${fn}: ${isPositive.length} labels but ${scores.length} scores`);
  }
  if (scores.length === 0) throw new RangeError(`${fn}: no samples`);
  checkFinite(fn, "scores", scores);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (isPositive[i]) positives++;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(
      `${fn}: needs both positive and negative samples (got ${positives} positive, ${negatives} negative)`,
    );
  }
  return { positives, negatives };
}
