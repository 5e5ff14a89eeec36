/**
 * Trains a scratch CNN on MNIST and reports validation and test accuracy, training time and peak
 * memory, so the accuracy figures in the README can be reproduced:
 *
 *   node dist/scripts/train-cnn.js --preset speed                  # ≥ 99.0% test; about 15 s of training here
 *   node dist/scripts/train-cnn.js --preset accuracy               # the best single model, with augmentation
 *   node dist/scripts/train-cnn.js --help                          # every option
 *
 * Hyperparameters are chosen on the validation split; the test set is only reported.
 */
import * as os from "os";
import * as path from "path";
import { makeAugmenter, scoreTta } from "../lib/augmentation";
import type { AugmentOptions } from "../lib/augmentation/options";
import { toMatrix, trainValidationSplit } from "../lib/data/dataset";
import { loadMnist } from "../lib/data/mnist";
import { getKernels } from "../lib/kernels";
import { CNN_PRESET_SPECS, CnnClassifier } from "../lib/models/scratch";
import type { TrainLog } from "../lib/nn/train";
import { ModelStore } from "../lib/store";
import { parseTrainCnnArgs, TRAIN_CNN_USAGE, UsageError, type TrainCnnArgs } from "./train-cnn-args";

async function main(): Promise<void> {
  const args = parseTrainCnnArgs(process.argv.slice(2));
  if (args === "help") {
    console.log(TRAIN_CNN_USAGE);
    return;
  }
  const say = (line: string) => {
    if (!args.json) console.log(line);
  };
  const augmentation = chosenAugmentation(args);

  // The model first: options the preset cannot honour fail before the data is loaded.
  const kernels = getKernels({ threads: args.threads });
  const model = new CnnClassifier({
    preset: args.preset,
    epochs: args.epochs,
    learningRate: args.learningRate,
    batchSize: args.batchSize,
    optimizer: args.optimizer,
    schedule: args.schedule,
    weightDecay: args.weightDecay,
    labelSmoothing: args.labelSmoothing,
    emaDecay: args.emaDecay,
    seed: args.seed,
    augment: augmentation ? makeAugmenter(augmentation) : undefined,
    kernels,
  });

  const { train: fullTrain, test } = loadMnist({ trainLimit: args.trainLimit, testLimit: args.testLimit });
  const split =
    args.validationSize > 0
      ? trainValidationSplit(fullTrain, { validationSize: args.validationSize, seed: 0 })
      : { train: fullTrain, validation: null };
  const x = toMatrix(split.train);
  const validation = split.validation
    ? { x: toMatrix(split.validation), y: split.validation.labels }
    : undefined;
  say(
    `${model.name}: ${model.epochs} epochs, batch ${model.batchSize}, ${model.optimizer} lr ${model.learningRate}, ` +
      `schedule ${String(model.schedule)}, weight average ${model.emaDecay ? `decay ${model.emaDecay}` : "off"}, augment ${augmentation ? JSON.stringify(augmentation) : "off"}, seed ${model.seed}, ` +
      `${kernels.name} × ${kernels.threads} threads`,
  );
  say(
    `training on ${x.rows} images, validating on ${validation?.x.rows ?? 0}; load average ${os.loadavg()[0].toFixed(1)}`,
  );

  const loadBefore = os.loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await model.fit(x, split.train.labels, {
    validation,
    verbose: !args.json,
    onEpoch: (log) => {
      const live = (log as TrainLog).liveValAccuracy;
      if (live !== undefined)
        say(`  epoch ${log.epoch}: the live weights' validation ${(100 * live).toFixed(2)}%`);
    },
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const history = model.history as TrainLog[];
  const trainSeconds = history.reduce((total, log) => total + x.rows / log.samplesPerSecond, 0);
  if (args.save) {
    const store = new ModelStore({ root: path.dirname(path.resolve(args.save)), verbose: false });
    await store.save(path.basename(args.save), model, {
      trainingSeconds: trainSeconds,
      metrics: validation
        ? { validationAccuracy: history[history.length - 1].valAccuracy, validationImages: validation.x.rows }
        : {},
    });
    say(`saved to ${args.save}`);
  }
  const testAccuracy = args.test ? model.score(toMatrix(test), test.labels) : null;
  const validationAccuracy = history[history.length - 1].valAccuracy;
  const liveValidationAccuracy = history[history.length - 1].liveValAccuracy;
  // Test-time augmentation with the view set chosen on validation (the preset's unless --tta says).
  const ttaViews = args.tta ?? CNN_PRESET_SPECS[args.preset].tta ?? "none";
  const tta =
    ttaViews === "none"
      ? null
      : {
          views: ttaViews,
          validationAccuracy: validation
            ? scoreTta(model, validation.x, validation.y, { views: ttaViews })
            : null,
          testAccuracy: args.test ? scoreTta(model, toMatrix(test), test.labels, { views: ttaViews }) : null,
        };
  const result = {
    preset: args.preset,
    seed: model.seed,
    epochs: model.epochs,
    batchSize: model.batchSize,
    augment: augmentation,
    labelSmoothing: model.labelSmoothing,
    emaDecay: model.emaDecay ?? 0,
    learningRate: model.learningRate,
    /** Validation and test accuracy with test-time augmentation, or null without. */
    tta,
    trainImages: x.rows,
    validationAccuracy: validationAccuracy ?? null,
    /** With weight averaging: the last step's weights on validation (validationAccuracy is the average's). */
    liveValidationAccuracy: liveValidationAccuracy ?? null,
    testAccuracy,
    trainSeconds,
    fitSeconds,
    /** CPU time of every thread during fit (validation included): wall time on an idle machine × threads. */
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    threads: kernels.threads,
    samplesPerSecond: (x.rows * history.length) / trainSeconds,
    loadAverage: [loadBefore, os.loadavg()[0]],
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  if (args.json) console.log(JSON.stringify(result));
  else {
    const validationText =
      validationAccuracy === undefined
        ? "no validation split"
        : `validation ${(100 * validationAccuracy).toFixed(2)}%`;
    const testText = testAccuracy === null ? "not scored" : `${(100 * testAccuracy).toFixed(2)}%`;
    say(`test accuracy ${testText}  (${validationText})`);
    if (tta) {
      const percent = (value: number | null) => (value === null ? "-" : `${(100 * value).toFixed(2)}%`);
      say(
        `with test-time augmentation (${tta.views}): test ${percent(tta.testAccuracy)}, ` +
          `validation ${percent(tta.validationAccuracy)}`,
      );
    }
    say(
      `training ${trainSeconds.toFixed(1)} s (${fitSeconds.toFixed(1)} s with validation; ${result.cpuSeconds.toFixed(1)} CPU-s), ` +
        `${Math.round(result.samplesPerSecond)} samples/s, peak RSS ${result.maxRssMB.toFixed(0)} MB, load average ${os.loadavg()[0].toFixed(1)}`,
    );
  }
}

/** The preset's augmentation unless --no-augment; --augment and the strengths override its parts. */
function chosenAugmentation(args: TrainCnnArgs): AugmentOptions | null {
  if (args.augment === false) return null;
  const preset = CNN_PRESET_SPECS[args.preset].augmentation;
  const strengthsGiven = [args.rotation, args.shift, args.scale].some((value) => value !== undefined);
  if (!preset && !args.augment && !strengthsGiven && args.elasticAlpha === undefined) return null;
  const base = preset?.affine ?? { rotation: 10, shift: 2, scale: 0.1 };
  const elastic =
    args.elasticAlpha !== undefined
      ? { elastic: { alpha: args.elasticAlpha, sigma: args.elasticSigma ?? 4 } }
      : {};
  return {
    ...preset,
    ...elastic,
    affine: {
      ...base,
      ...(args.rotation !== undefined ? { rotation: args.rotation } : {}),
      ...(args.shift !== undefined ? { shift: args.shift } : {}),
      ...(args.scale !== undefined ? { scale: args.scale } : {}),
    },
  };
}

main().then(
  // Worker threads of the kernels keep the event loop alive; exit once the work is done.
  () => process.exit(0),
  (error) => {
    console.error(error instanceof UsageError || error instanceof RangeError ? error.message : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
