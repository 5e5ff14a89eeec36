/**
 * What each ingredient of the accuracy preset adds, measured on the validation split: a ladder of CNN
 * runs in which each step adds one ingredient to the one before (augmentation, then the wider, deeper
 * network with batch-norm, then label smoothing, then a longer schedule, then a moving average of the
 * weights), and a last step that scores the previous step's model with test-time augmentation instead
 * of training again. The longer schedule and the weight average are one run (the average does not
 * change the training), scored twice. Notebook 6 shows it as a table and a chart; the test set plays
 * no part.
 */
import { scoreTta, type TtaViewSet } from "../augmentation/test-time";
import { makeAugmenter } from "../augmentation/augmenter";
import type { AugmentOptions } from "../augmentation/options";
import type { Matrix } from "../matrix";
import { barChart, type Chart } from "../plots/series-charts";
import { CNN_PRESET_SPECS, type CnnPreset } from "../models/scratch/cnn-presets";
import { CnnClassifier } from "../models/scratch/cnn-classifier";
import { timed, type FitterSource } from "../models/evaluate";
import { checkOptionKeys, checkPositiveInteger, checkScalar, checkSeed } from "../validation";

export interface AblationOptions {
  /** Epochs of every step before "longer schedule" (default 2). */
  epochs?: number;
  /** Epochs of the "longer schedule" step (default 2 × epochs). */
  longerEpochs?: number;
  /** ε of the label-smoothing step (default 0.1). */
  labelSmoothing?: number;
  /** Largest per-step decay of the weight-averaging step's moving average (default: the accuracy preset's). */
  emaDecay?: number;
  /** The augmentation the steps from "+ augmentation" on use (default: the accuracy preset's). */
  augmentation?: AugmentOptions;
  /** The test-time views of the last step (default "shifts"). */
  ttaViews?: TtaViewSet;
  seed?: number;
  /** Called after each step, e.g. to print progress. */
  onStep?: (row: AblationRow) => void;
  /** Fits go through it (one name per step), so a rerun loads the trained steps. */
  store?: FitterSource;
}

export interface AblationRow {
  /** What this step adds to the one before. */
  step: string;
  preset: CnnPreset;
  epochs: number;
  augmentation: boolean;
  labelSmoothing: number;
  /** The decay of the moving average of the weights the model was scored with; 0 for none. */
  emaDecay: number;
  tta: TtaViewSet | null;
  validationAccuracy: number;
  /** Validation accuracy minus the previous step's (0 for the baseline). */
  gain: number;
  /**
   * Training time of this step: 0 for the steps that score the step before's run another way, weight
   * averaging (the average was kept during that run) and test-time augmentation (which only predicts).
   */
  fitSeconds: number;
}

interface Step {
  step: string;
  preset: CnnPreset;
  augment: boolean;
  labelSmoothing: boolean;
  longer: boolean;
  average: boolean;
}

function step(name: string, preset: CnnPreset, flags: Omit<Step, "step" | "preset">): Step {
  return { step: name, preset, ...flags };
}

/** Each step adds one ingredient; the last ("+ test-time augmentation") reuses the last trained model. */
const NONE = { augment: false, labelSmoothing: false, longer: false, average: false };
export const ABLATION_STEPS: readonly Step[] = [
  step("baseline (reference CNN)", "reference", NONE),
  step("+ augmentation", "reference", { ...NONE, augment: true }),
  step("+ batch-norm, width, depth", "accuracy", { ...NONE, augment: true }),
  step("+ label smoothing", "accuracy", { ...NONE, augment: true, labelSmoothing: true }),
  step("+ longer schedule", "accuracy", { ...NONE, augment: true, labelSmoothing: true, longer: true }),
  step("+ weight averaging", "accuracy", {
    augment: true,
    labelSmoothing: true,
    longer: true,
    average: true,
  }),
];
export const TTA_STEP = "+ test-time augmentation";

/**
 * Trains each step of the ladder on `train` and scores it on `validation`; returns one row per step
 * plus the test-time augmentation row. Every run uses the accuracy preset's optimizer and one-cycle
 * schedule (the baseline too, so only the named ingredient changes), with the same seed.
 */
export async function ingredientAblation(
  train: { x: Matrix; y: Uint8Array },
  validation: { x: Matrix; y: Uint8Array },
  options: AblationOptions = {},
): Promise<AblationRow[]> {
  const who = "ingredientAblation";
  checkOptionKeys(who, options, [
    "epochs",
    "longerEpochs",
    "labelSmoothing",
    "emaDecay",
    "augmentation",
    "ttaViews",
    "seed",
    "onStep",
    "store",
  ]);
  const epochs = checkPositiveInteger(who, "epochs", options.epochs ?? 2);
  const longerEpochs = checkPositiveInteger(who, "longerEpochs", options.longerEpochs ?? 2 * epochs);
  const smoothing = checkScalar(who, "labelSmoothing", options.labelSmoothing ?? 0.1, {
    min: 0,
    max: 1,
    maxExclusive: true,
  });
  const { defaults } = CNN_PRESET_SPECS.accuracy;
  const emaDecay = checkScalar(who, "emaDecay", options.emaDecay ?? defaults.emaDecay ?? 0.999, {
    min: 0,
    minExclusive: true,
    max: 1,
    maxExclusive: true,
  });
  const seed = checkSeed(who, options.seed ?? 0);
  const augmentation = options.augmentation ?? CNN_PRESET_SPECS.accuracy.augmentation!;
  const rows: AblationRow[] = [];
  const record = (row: Omit<AblationRow, "gain">) => {
    const previous = rows[rows.length - 1];
    const full = { ...row, gain: previous ? row.validationAccuracy - previous.validationAccuracy : 0 };
    rows.push(full);
    options.onStep?.(full);
  };

  let last: CnnClassifier | null = null;
  for (const [i, step] of ABLATION_STEPS.entries()) {
    // The weight average only watches training (a shadow copy of the weights, no effect on the steps),
    // so the step before it and the step itself are one run: trained once with the average, scored with
    // the last step's weights (during training, on the validation split) and then with the average.
    if (step.average && last?.emaDecay) {
      const validationAccuracy = last.score(validation.x, validation.y);
      const run = rows[rows.length - 1];
      record({ ...run, step: step.step, emaDecay: last.emaDecay, validationAccuracy, fitSeconds: 0 });
      continue;
    }
    const averagedNext = ABLATION_STEPS[i + 1]?.average === true && !step.average;
    const model = new CnnClassifier({
      preset: step.preset,
      epochs: step.longer ? longerEpochs : epochs,
      batchSize: defaults.batchSize,
      learningRate: defaults.learningRate,
      optimizer: defaults.optimizer,
      schedule: defaults.schedule,
      labelSmoothing: step.labelSmoothing ? smoothing : 0,
      emaDecay: step.average || averagedNext ? emaDecay : 0,
      augment: step.augment ? makeAugmenter(augmentation) : undefined,
      seed,
    });
    const fit = averagedNext ? { validation } : {};
    const fitter = options.store?.fitThrough(`ablation ${step.step}`);
    const fitSeconds = fitter
      ? (await fitter(model, train, fit)).seconds
      : (await timed(() => model.fit(train.x, train.y, fit))).seconds;
    record({
      step: step.step,
      preset: step.preset,
      epochs: model.epochs,
      augmentation: step.augment,
      labelSmoothing: model.labelSmoothing,
      emaDecay: averagedNext ? 0 : (model.emaDecay ?? 0),
      tta: null,
      validationAccuracy: averagedNext ? lastStepAccuracy(model) : model.score(validation.x, validation.y),
      fitSeconds,
    });
    // Only the last step's model is used again (for the TTA row): free each earlier one's memory now.
    last?.dispose();
    last = model;
  }
  const views = options.ttaViews ?? "shifts";
  const previous = rows[rows.length - 1];
  record({
    ...previous,
    step: TTA_STEP,
    tta: views,
    validationAccuracy: scoreTta(last!, validation.x, validation.y, { views }),
    fitSeconds: 0,
  });
  last!.dispose();
  return rows;
}

/** The validation accuracy of a run's last-step weights, which training with an average records. */
function lastStepAccuracy(model: CnnClassifier): number {
  const last = model.history[model.history.length - 1] as { liveValAccuracy?: number } | undefined;
  if (last?.liveValAccuracy === undefined)
    throw new Error(`ingredientAblation: ${model.name} has no validation score of its last-step weights`);
  return last.liveValAccuracy;
}

/**
 * Each step's gain over the step before, in points of validation accuracy, as a bar chart labelled
 * with its sign: the steps differ by tenths of a point, which bars of the accuracy itself (from 0 to
 * 100%) would hide. The title gives the baseline's accuracy the gains add to.
 */
export function ablationChart(rows: AblationRow[]): Chart {
  const steps = rows.slice(1);
  const series = [{ name: "gain", x: steps.map((r) => r.step), y: steps.map((r) => 100 * r.gain) }];
  const baseline = (100 * rows[0].validationAccuracy).toFixed(2);
  const axes = {
    title: `What each ingredient adds to the baseline's ${baseline}% (validation accuracy)`,
    yTitle: "points over the step before",
  };
  return barChart(series, axes, (y) => `${y >= 0 ? "+" : ""}${y.toFixed(2)}`);
}

/** The rows as a table for showTable: percentages and the gain in points. */
export function ablationTable(rows: AblationRow[]): Record<string, string | number>[] {
  return rows.map((row) => ({
    step: row.step,
    network: row.preset,
    epochs: row.epochs,
    "validation %": 100 * row.validationAccuracy,
    "gain (points)": 100 * row.gain,
    "fit s": row.fitSeconds,
  }));
}
