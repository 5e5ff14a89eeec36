/**
 * Learning-rate schedules: functions from the training position to a learning rate, given the base
 * (peak) rate. Positions are in optimizer steps so schedules change smoothly within an epoch.
 */
import { checkPositiveReal, checkScalar } from "../validation";

export interface SchedulePosition {
  /** Steps taken so far (0 for the first step). */
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

export type LearningRateSchedule = (baseRate: number, at: SchedulePosition) => number;

export const SCHEDULE_NAMES = ["constant", "step", "cosine", "one-cycle"] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export const constantSchedule: LearningRateSchedule = (baseRate) => baseRate;

/** Multiplies the rate by `gamma` every `everyEpochs` epochs. */
export function stepSchedule(options: { everyEpochs?: number; gamma?: number } = {}): LearningRateSchedule {
  const everyEpochs = options.everyEpochs ?? 1;
  const gamma = options.gamma ?? 0.5;
  checkPositiveReal("stepSchedule", "everyEpochs", everyEpochs);
  checkScalar("stepSchedule", "gamma", gamma, { min: 0, minExclusive: true, max: 1 });
  return (baseRate, at) => baseRate * gamma ** Math.floor(at.step / (everyEpochs * at.stepsPerEpoch));
}

/** Cosine annealing from the base rate down to `minFraction` of it at the last step. */
export function cosineSchedule(options: { minFraction?: number } = {}): LearningRateSchedule {
  const minFraction = options.minFraction ?? 0;
  checkScalar("cosineSchedule", "minFraction", minFraction, { min: 0, max: 1, maxExclusive: true });
  return (baseRate, at) => {
    const progress = at.totalSteps > 1 ? at.step / (at.totalSteps - 1) : 1;
    return baseRate * (minFraction + ((1 - minFraction) * (1 + Math.cos(Math.PI * progress))) / 2);
  };
}

/**
 * Smith's one-cycle policy as in PyTorch's OneCycleLR: cosine warm-up from base/divFactor to the base
 * rate over the first `warmupFraction` of training, then cosine annealing to base/finalDivFactor.
 */
export function oneCycleSchedule(
  options: { warmupFraction?: number; divFactor?: number; finalDivFactor?: number } = {},
): LearningRateSchedule {
  const warmupFraction = options.warmupFraction ?? 0.25;
  const divFactor = options.divFactor ?? 25;
  const finalDivFactor = options.finalDivFactor ?? 1e4;
  checkScalar("oneCycleSchedule", "warmupFraction", warmupFraction, {
    min: 0,
    minExclusive: true,
    max: 1,
    maxExclusive: true,
  });
  checkScalar("oneCycleSchedule", "divFactor", divFactor, { min: 1 });
  checkScalar("oneCycleSchedule", "finalDivFactor", finalDivFactor, { min: 1 });
  const anneal = (from: number, to: number, progress: number) =>
    to + ((from - to) * (1 + Math.cos(Math.PI * progress))) / 2;
  return (baseRate, at) => {
    const warmupSteps = Math.max(1, Math.round(warmupFraction * at.totalSteps));
    const start = baseRate / divFactor;
    if (at.step < warmupSteps) return anneal(start, baseRate, at.step / warmupSteps);
    const remaining = Math.max(1, at.totalSteps - 1 - warmupSteps);
    return anneal(baseRate, start / finalDivFactor, Math.min(1, (at.step - warmupSteps) / remaining));
  };
}

export function scheduleByName(name: ScheduleName): LearningRateSchedule {
  switch (name) {
    case "constant":
      return constantSchedule;
    case "step":
      return stepSchedule();
    case "cosine":
      return cosineSchedule();
    case "one-cycle":
      return oneCycleSchedule();
    default:
      throw new RangeError(
        `unknown learning-rate schedule "${name}"; use constant, step, cosine or one-cycle`,
      );
  }
}
