/**
 * Learning curves (scikit-learn's `learning_curve`): training and validation accuracy as the training
 * set grows, each size cross-validated on the same folds. A gap that stays wide says the model overfits
 * (more data or regularisation helps); two low curves that meet say it underfits (a bigger model helps).
 */
import type { Classifier } from "../models/estimator";
import { checkPositiveInteger } from "../validation";
import type { LabelledData } from "./labelled-data";
import { finishSearch, runTrials, startSearch } from "./search-context";
import type { SearchOptions } from "./search-options";
import { mean, std } from "./trial";

export interface LearningCurvePoint {
  trainSize: number;
  trainMean: number;
  trainStd: number;
  validationMean: number;
  validationStd: number;
  fitSeconds: number;
}

/** Fits `estimator` (as it is) on stratified subsets of each fold's training rows of the given sizes. */
export async function learningCurve(
  estimator: Classifier,
  train: LabelledData,
  sizes: number[],
  options: SearchOptions = {},
): Promise<LearningCurvePoint[]> {
  const who = "learningCurve";
  if (!Array.isArray(sizes) || sizes.length === 0)
    throw new RangeError(`${who}: sizes is empty; give training-set sizes`);
  sizes.forEach((s, i) => checkPositiveInteger(who, `sizes[${i}]`, s));
  const runner = startSearch(who, estimator, train, { ...options, scoreTraining: true });
  const sorted = [...sizes].sort((a, b) => a - b);
  const specs = sorted.map((size, i) => ({
    candidate: i,
    params: {},
    samples: size,
    resource: size,
    label: `${size} samples: `,
  }));
  await runTrials(runner, specs);
  const points: LearningCurvePoint[] = runner.trials.map((trial) => {
    const trainScores = trial.trainScores ?? [];
    return {
      trainSize: trial.trainSamples,
      trainMean: mean(trainScores),
      trainStd: std(trainScores),
      validationMean: trial.meanScore,
      validationStd: trial.stdScore,
      fitSeconds: trial.fitSeconds,
    };
  });
  finishSearch(runner, sizes.length);
  return points;
}
