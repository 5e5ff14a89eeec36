import { NUM_CLASSES } from "../matrix";
import { confusionMatrix } from "./confusion";
import { checkScalar } from "../validation";

/**
 * Per-class scores, from the class's true positives (TP), false positives (FP) and false negatives (FN):
 *   precision = TP / (TP + FP)    of the samples predicted as this class, the fraction that are
 *   recall    = TP / (TP + FN)    of the samples of this class, the fraction found
 *   f1        = 2 · precision · recall / (precision + recall)
 *   support   = TP + FN           number of samples of this class
 * Zero division gives 0, like scikit-learn's zero_division=0: a class never predicted has precision 0,
 * a class with no samples has recall 0, and F1 is 0 when precision and recall are both 0.
 */
export interface ClassMetrics {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Precision, recall and F1 averaged over classes; support is the total number of samples. */
export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  /** One entry per class that occurs in yTrue or yPred, in label order. */
  classes: ClassMetrics[];
  accuracy: number;
  /** Unweighted mean over `classes`: every class counts the same, however rare. */
  macroAvg: AveragedMetrics;
  /** Mean over `classes` weighted by support: Σ_c support_c · metric_c / Σ_c support_c. */
  weightedAvg: AveragedMetrics;
}

/**
 * Per-class precision, recall, F1 and support with macro and weighted averages, as scikit-learn's
 * classification_report. Like scikit-learn, the classes listed (and averaged over) are those that
 * occur in yTrue or yPred; a class absent from both has no meaningful scores, so it is left out.
 */
export function classificationReport(
  yTrue: Uint8Array,
  yPred: Uint8Array,
  numClasses: number = NUM_CLASSES,
): ClassificationReport {
  const counts = confusionMatrix(yTrue, yPred, numClasses);
  const total = yTrue.length;
  const classes: ClassMetrics[] = [];
  let correct = 0;
  for (let c = 0; c < numClasses; c++) {
    const truePositives = counts[c][c];
    const support = counts[c].reduce((sum, count) => sum + count, 0);
    const predicted = counts.reduce((sum, row) => sum + row[c], 0);
    correct += truePositives;
    if (support === 0 && predicted === 0) continue;
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    classes.push({ label: c, precision, recall, f1, support });
  }
  return {
    classes,
    accuracy: correct / total,
    macroAvg: average(classes, () => 1, total),
    weightedAvg: average(classes, (m) => m.support, total),
  };
}

function average(
  classes: ClassMetrics[],
  weight: (m: ClassMetrics) => number,
  total: number,
): AveragedMetrics {
  const weightSum = classes.reduce((sum, m) => sum + weight(m), 0);
  const mean = (metric: (m: ClassMetrics) => number): number =>
    classes.reduce((sum, m) => sum + weight(m) * metric(m), 0) / weightSum;
  return {
    precision: mean((m) => m.precision),
    recall: mean((m) => m.recall),
    f1: mean((m) => m.f1),
    support: total,
  };
}

/**
 * The report as a fixed-width text table laid out like scikit-learn's, for printing in a notebook.
 * For yTrue = [0, 0, 0, 0, 1, 1] and yPred = [0, 0, 0, 1, 1, 1]:
 *
 *                   precision    recall  f1-score   support
 *
 *              0       1.00      0.75      0.86         4
 *              1       0.67      1.00      0.80         2
 *
 *       accuracy                           0.83         6
 *      macro avg       0.83      0.88      0.83         6
 *   weighted avg       0.89      0.83      0.84         6
 *
 * Scores are rounded with toFixed, which rounds an exact tie such as 0.625 up (0.63) where Python prints 0.62.
 */
export function formatClassificationReport(report: ClassificationReport, digits: number = 2): string {
  checkScalar("formatClassificationReport", "digits", digits, { integer: true, min: 0, max: 10 });
  const nameWidth = "weighted avg".length;
  const name = (text: string): string => text.padStart(nameWidth);
  const cell = (text: string): string => " " + text.padStart(9);
  const score = (value: number): string => cell(value.toFixed(digits));
  const row = (label: string, m: AveragedMetrics): string =>
    name(label) + " " + score(m.precision) + score(m.recall) + score(m.f1) + cell(String(m.support));

  const lines = [name("") + " " + ["precision", "recall", "f1-score", "support"].map(cell).join(""), ""];
  for (const m of report.classes) lines.push(row(String(m.label), m));
  lines.push("");
  lines.push(
    name("accuracy") +
      " " +
      cell("") +
      cell("") +
      score(report.accuracy) +
      cell(String(report.macroAvg.support)),
  );
  lines.push(row("macro avg", report.macroAvg));
  lines.push(row("weighted avg", report.weightedAvg));
  return lines.join("\n") + "\n";
}
