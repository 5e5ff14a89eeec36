/**
 * Input checks shared by every metric. Metrics fail loudly on malformed input instead of returning
 * a plausible-looking number: a label array one element short would otherwise shift every comparison.
 */
import { checkLabels as checkLabelArray, checkScalar } from "../validation";

/** Labels are bytes, so at most 256 classes; a metric needs at least two. */
export function checkNumClasses(fn: string, numClasses: number): void {
  checkScalar(fn, "numClasses", numClasses, { integer: true, min: 2, max: 256 });
}

/** Throws unless `labels` is a non-empty Uint8Array whose values all lie in 0..numClasses-1. */
export function checkLabels(fn: string, what: string, labels: Uint8Array, numClasses: number): void {
  checkLabelArray(fn, labels, { name: what, numClasses });
}

/** Throws unless yTrue and yPred are valid label arrays describing the same samples. */
export function checkLabelPair(fn: string, yTrue: Uint8Array, yPred: Uint8Array, numClasses: number): void {
  checkNumClasses(fn, numClasses);
  checkLabels(fn, "yTrue", yTrue, numClasses);
  checkLabels(fn, "yPred", yPred, numClasses);
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`${fn}: yTrue has ${yTrue.length} labels but yPred has ${yPred.length}`);
  }
}

/**
 * Throws unless `probabilities` holds yTrue.length × numClasses finite values in [0, 1], row-major.
 * Rows are not required to sum to exactly 1: float32 softmax outputs are off by rounding.
 */
export function checkProbabilities(
  fn: string,
  yTrue: Uint8Array,
  probabilities: Float32Array,
  numClasses: number,
): void {
  checkNumClasses(fn, numClasses);
  checkLabels(fn, "yTrue", yTrue, numClasses);
  if (!(probabilities instanceof Float32Array))
    throw new TypeError(`${fn}: probabilities must be a Float32Array`);
  const expected = yTrue.length * numClasses;
  if (probabilities.length !== expected) {
    throw new RangeError(
      `${fn}: probabilities has ${probabilities.length} values but ${yTrue.length} samples × ${numClasses} classes needs ${expected}`,
    );
  }
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) {
      const row = Math.floor(i / numClasses);
      throw new RangeError(`${fn}: probability ${p} at row ${row}, class ${i % numClasses} is not in [0, 1]`);
    }
  }
}

/** Throws unless `counts` is a non-empty square matrix of non-negative integers. */
export function checkConfusionMatrix(fn: string, counts: number[][]): void {
  if (!Array.isArray(counts) || counts.length === 0) throw new RangeError(`${fn}: confusion matrix is empty`);
  for (let t = 0; t < counts.length; t++) {
    const row = counts[t];
    if (!Array.isArray(row) || row.length !== counts.length) {
      throw new RangeError(
        `${fn}: confusion matrix must be square (${counts.length}×${counts.length}); row ${t} has ${row?.length} entries`,
      );
    }
    for (let p = 0; p < row.length; p++) {
      checkScalar(fn, `confusion matrix entry [${t}][${p}]`, row[p], { integer: true, min: 0 });
    }
  }
}
