/**
 * The learning-rate range test (Smith, 2017; fastai's `lr_find`): train one network while the learning
 * rate grows exponentially from `minRate` to `maxRate`, and watch the training loss. It falls fastest a
 * little below the rate where it turns up and explodes; a good base rate sits there, about ten times
 * below the minimum of the curve. Each step is one pass over a small stratified subset, so the loss
 * reported for a rate is the mean over that pass.
 */
import type { Classifier } from "../models/estimator";
import type { LearningRateSchedule } from "../nn/schedules";
import { TrainingDivergedError } from "../training/diverged";
import { checkOptionKeys, checkPositiveInteger, checkPositiveReal, checkSeed } from "../validation";
import { checkLabelledData, takeRows, type LabelledData } from "./labelled-data";
import type { SearchOrigin } from "./search-result";
import { stratifiedSubset } from "./stratified-split";
import { assertNotTestSet } from "./test-set-guard";

export interface LrRangeOptions {
  minRate?: number;
  maxRate?: number;
  /** Learning rates tried, log-spaced (default 24). */
  steps?: number;
  /** Training samples per step (default 1024). */
  samplesPerStep?: number;
  /** Stop once the loss exceeds this multiple of the lowest so far (default 4). */
  stopFactor?: number;
  seed?: number;
}

export interface LrRangePoint {
  learningRate: number;
  loss: number;
}

export interface LrRangeResult {
  points: LrRangePoint[];
  /** The rate with the lowest loss, and the suggestion: a tenth of it. */
  minimumRate: number;
  suggestedRate: number;
  /** Set when the search store loaded it (lib/store/search-store.ts). */
  origin?: SearchOrigin;
}

export async function learningRateRangeTest(
  estimator: Classifier,
  train: LabelledData,
  options: LrRangeOptions = {},
): Promise<LrRangeResult> {
  const who = "learningRateRangeTest";
  checkOptionKeys(who, options, ["minRate", "maxRate", "steps", "samplesPerStep", "stopFactor", "seed"]);
  const {
    minRate = 1e-5,
    maxRate = 1,
    steps = 24,
    samplesPerStep = 1024,
    stopFactor = 4,
    seed = 0,
  } = options;
  checkPositiveReal(who, "minRate", minRate);
  checkPositiveReal(who, "maxRate", maxRate);
  if (minRate >= maxRate)
    throw new RangeError(`${who}: minRate must be < maxRate, got ${minRate} ≥ ${maxRate}`);
  checkPositiveInteger(who, "steps", steps);
  checkPositiveInteger(who, "samplesPerStep", samplesPerStep);
  checkPositiveReal(who, "stopFactor", stopFactor);
  checkSeed(who, seed);
  checkLabelledData(who, train);
  assertNotTestSet(who, train);
  const names = Object.keys(estimator.getParams());
  for (const needed of ["learningRate", "epochs", "schedule"]) {
    if (!names.includes(needed))
      throw new RangeError(`${who}: the model needs a "${needed}" parameter; it has ${names.join(", ")}`);
  }
  const growth = steps > 1 ? Math.pow(maxRate / minRate, 1 / (steps - 1)) : 1;
  // Constant within a step (an epoch over the subset), ×growth from one step to the next.
  const schedule: LearningRateSchedule = (base, at) =>
    base * Math.pow(growth, Math.floor(at.step / at.stepsPerEpoch));
  const model = estimator.clone().setParams({ learningRate: minRate, epochs: steps, schedule });
  const subset = takeRows(train, stratifiedSubset(train.y, Array.from(train.y.keys()), samplesPerStep, seed));
  const points: LrRangePoint[] = [];
  let lowest = Infinity;
  try {
    await model.fit(subset.x, subset.y, {
      verbose: false,
      onEpoch: (log) => {
        points.push({ learningRate: minRate * Math.pow(growth, log.epoch - 1), loss: log.loss });
        lowest = Math.min(lowest, log.loss);
        return log.loss > stopFactor * lowest ? "stop" : undefined;
      },
    });
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
  }
  if (points.length === 0)
    throw new Error(`${who}: training diverged at the first rate ${minRate}; lower minRate`);
  const minimum = points.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { points, minimumRate: minimum.learningRate, suggestedRate: minimum.learningRate / 10 };
}
