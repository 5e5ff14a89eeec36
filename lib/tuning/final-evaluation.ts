/**
 * The one look at the test set, after all tuning: each tuned model and its default are fitted on the
 * same training data and scored once on the test set, side by side. Nothing is chosen from these
 * numbers; they report how much the tuning (chosen on validation splits) carried over to unseen data.
 */
import { accuracy } from "../metrics/accuracy";
import { argmaxRows, NUM_CLASSES } from "../matrix";
import type { Classifier } from "../models/estimator";
import { fitWith, type FitterSource } from "../models/evaluate";
import type { Row } from "../data-frame";
import type { LabelledData } from "./labelled-data";

export interface TunedAndDefault {
  name: string;
  /** Unfitted models: the default settings, and the tuned ones. */
  baseline: Classifier;
  tuned: Classifier;
  /** Fit both on this instead of the shared training data (e.g. a subset for a slow model). */
  train?: LabelledData;
  /** The tuned model's validation score, shown beside the test scores. */
  validationScore?: number;
}

/** Fits and scores every pair; one row per model: default and tuned test accuracy, and fit times. */
export async function testTunedAgainstDefaults(
  models: TunedAndDefault[],
  train: LabelledData,
  test: LabelledData,
  /** `store`: fits go through it (named "<name> (default)" and "<name> (tuned)"), so a rerun loads them. */
  options: { verbose?: boolean; store?: FitterSource } = {},
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { name, baseline, tuned, validationScore, train: own } of models) {
    const data = own ?? train;
    const scored: Record<string, { accuracy: number; seconds: number }> = {};
    for (const [which, model] of [
      ["default", baseline],
      ["tuned", tuned],
    ] as const) {
      const fitter = options.store?.fitThrough(`${name} (${which})`);
      const fitted = await fitWith(model, data, { verbose: false }, fitter);
      const seconds = fitted.seconds;
      // Through a store, scored as the dashboard scores it and cached, so notebook 08 need not again.
      const predictions = fitted.predictProba
        ? argmaxRows(fitted.predictProba(test.x), test.x.rows, NUM_CLASSES)
        : model.predict(test.x);
      scored[which] = { accuracy: accuracy(test.y, predictions), seconds };
      if (options.verbose)
        console.log(
          `${name} (${which}): test accuracy ${scored[which].accuracy.toFixed(4)}, fit ${seconds.toFixed(1)} s`,
        );
    }
    rows.push({
      model: name,
      trainSamples: data.x.rows,
      defaultTestAccuracy: scored.default.accuracy,
      tunedTestAccuracy: scored.tuned.accuracy,
      change: scored.tuned.accuracy - scored.default.accuracy,
      tunedValidationScore: validationScore ?? NaN,
      defaultFitSeconds: scored.default.seconds,
      tunedFitSeconds: scored.tuned.seconds,
    });
  }
  return rows;
}
