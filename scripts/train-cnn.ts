/**
 * Trains a scratch CNN on MNIST and reports validation and test accuracy, training time and peak
 * memory, so the accuracy figures in the README can be reproduced:
 *
 *   node dist/scripts/train-cnn.js --preset reference              # ≥ 99.0% within 60 s of training
 *   node dist/scripts/train-cnn.js --preset strong                 # ≥ 99.4%, with augmentation
 *
 * Options: --epochs N --lr X --batch-size N --optimizer NAME --schedule NAME --seed N
 *          --validation N (held out from the 60k training images, default 5000; 0 = train on all)
 *          --train-limit N --test-limit N --augment / --no-augment --threads N --json
 * Hyperparameters are chosen on the validation split; the test set is only reported.
 */
import { makeAugmenter } from "../lib/augmentation";
import { toMatrix, trainValidationSplit } from "../lib/data/dataset";
import { loadMnist } from "../lib/data/mnist";
import { getKernels } from "../lib/kernels";
import { CnnClassifier, type CnnPreset, type OptimizerName } from "../lib/models/scratch";
import type { TrainLog } from "../lib/nn/train";
import type { ScheduleName } from "../lib/nn/schedules";

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith("--")) throw new Error(`train-cnn: unexpected argument ${argv[i]}`);
    const key = argv[i].slice(2);
    const value = argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
    args.set(key, value);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const number = (key: string) => (args.has(key) ? Number(args.get(key)) : undefined);
  const preset = (args.get("preset") ?? "reference") as CnnPreset;
  const augment = args.has("no-augment") ? false : args.has("augment") || preset === "strong";
  const validationSize = number("validation") ?? 5000;
  const json = args.has("json");
  const say = (line: string) => {
    if (!json) console.log(line);
  };

  const kernels = getKernels({ threads: number("threads") });
  const { train: fullTrain, test } = loadMnist({ trainLimit: number("train-limit"), testLimit: number("test-limit") });
  const split = validationSize > 0 ? trainValidationSplit(fullTrain, { validationSize, seed: 0 }) : { train: fullTrain, validation: null };
  const x = toMatrix(split.train);
  const validation = split.validation ? { x: toMatrix(split.validation), y: split.validation.labels } : undefined;

  const model = new CnnClassifier({
    preset,
    epochs: number("epochs"),
    learningRate: number("lr"),
    batchSize: number("batch-size"),
    optimizer: args.get("optimizer") as OptimizerName | undefined,
    schedule: args.get("schedule") as ScheduleName | undefined,
    weightDecay: number("weight-decay"),
    seed: number("seed") ?? 0,
    augment: augment ? makeAugmenter({ affine: { rotation: 10, shift: 2, scale: 0.1 } }) : undefined,
    kernels,
  });
  say(`${model.name}: ${model.epochs} epochs, batch ${model.batchSize}, ${model.optimizer} lr ${model.learningRate}, ` +
    `schedule ${String(model.schedule)}, augment ${augment}, ${kernels.name} × ${kernels.threads} threads`);
  say(`training on ${x.rows} images, validating on ${validation?.x.rows ?? 0}`);

  const started = performance.now();
  await model.fit(x, split.train.labels, { validation, verbose: !json });
  const fitSeconds = (performance.now() - started) / 1000;
  const history = model.history as TrainLog[];
  const trainSeconds = history.reduce((total, log) => total + x.rows / log.samplesPerSecond, 0);
  const testAccuracy = model.score(toMatrix(test), test.labels);
  const result = {
    preset,
    epochs: model.epochs,
    augment,
    trainImages: x.rows,
    validationAccuracy: history[history.length - 1].valAccuracy ?? null,
    testAccuracy,
    trainSeconds,
    fitSeconds,
    samplesPerSecond: (x.rows * history.length) / trainSeconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  if (json) console.log(JSON.stringify(result));
  else {
    say(`test accuracy ${(100 * testAccuracy).toFixed(2)}%  (validation ${((result.validationAccuracy ?? NaN) * 100).toFixed(2)}%)`);
    say(`training ${trainSeconds.toFixed(1)} s (${fitSeconds.toFixed(1)} s with validation), ${Math.round(result.samplesPerSecond)} samples/s, peak RSS ${result.maxRssMB.toFixed(0)} MB`);
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
