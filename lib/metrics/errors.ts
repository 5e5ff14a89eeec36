/**
 * The mistakes themselves: which samples a model got wrong, how sure it was, ordered so the most
 * confident mistakes (the most instructive, or mislabelled data) come first.
 */
import { checkProbabilities } from "./validate";
import { NUM_CLASSES } from "../matrix";

export interface Mistake {
  index: number;
  trueLabel: number;
  predicted: number;
  /** The probability the model gave its (wrong) prediction. */
  confidence: number;
  /** The probability the model gave the true label. */
  trueProbability: number;
}

export function misclassified(
  yTrue: Uint8Array,
  probabilities: Float32Array,
  numClasses = NUM_CLASSES,
): Mistake[] {
  checkProbabilities("misclassified", yTrue, probabilities, numClasses);
  const mistakes: Mistake[] = [];
  for (let i = 0; i < yTrue.length; i++) {
    const row = probabilities.subarray(i * numClasses, (i + 1) * numClasses);
    let predicted = 0;
    for (let c = 1; c < numClasses; c++) if (row[c] > row[predicted]) predicted = c;
    if (predicted !== yTrue[i]) {
      mistakes.push({
        index: i,
        trueLabel: yTrue[i],
        predicted,
        confidence: row[predicted],
        trueProbability: row[yTrue[i]],
      });
    }
  }
  return mistakes.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
