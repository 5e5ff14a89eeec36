import { NUM_CLASSES } from "../matrix";
import { checkLabelPair, checkProbabilities } from "./validate";
import { checkScalar } from "../validation";

/**
 * Fraction of samples whose predicted label equals the true label:
 *   accuracy = (1/n) · Σᵢ [ŷᵢ = yᵢ]
 */
export function accuracy(yTrue: Uint8Array, yPred: Uint8Array, numClasses: number = NUM_CLASSES): number {
  checkLabelPair("accuracy", yTrue, yPred, numClasses);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * Fraction of samples whose true class is among the k most probable classes:
 *   topK = (1/n) · Σᵢ [rank of yᵢ in row i < k]
 * A class outranks the true class if its probability is higher, or equal with a lower class index.
 * That is the tie rule of `argmaxRows`, so k = 1 gives exactly the accuracy of the model's `predict`.
 */
export function topKAccuracy(
  yTrue: Uint8Array,
  probabilities: Float32Array,
  k: number = 2,
  numClasses: number = NUM_CLASSES,
): number {
  checkProbabilities("topKAccuracy", yTrue, probabilities, numClasses);
  checkScalar("topKAccuracy", "k", k, { integer: true, min: 1, max: numClasses });
  let hits = 0;
  for (let row = 0; row < yTrue.length; row++) {
    const offset = row * numClasses;
    const label = yTrue[row];
    const pTrue = probabilities[offset + label];
    let outranking = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probabilities[offset + c];
      if (p > pTrue || (p === pTrue && c < label)) outranking++;
    }
    if (outranking < k) hits++;
  }
  return hits / yTrue.length;
}
