/**
 * Fine-tuning a copy of a trained scratch CNN to one person's hand. The few personal samples are
 * repeated and augmented (small rotations, shifts and zooms), and mixed with MNIST images so the model
 * does not forget the digits it already reads; by default only the dense head (the layers after the
 * flatten) learns, at a small rate, so the convolutions' features stay as MNIST trained them.
 * The given model is never changed: its weights are copied into a new model first.
 */
import { makeAugmenter } from "../augmentation/augmenter";
import { matrix, type Matrix } from "../matrix";
import { CnnClassifier } from "../models/scratch/cnn-classifier";
import type { Param } from "../nn/layer";
import { Adam } from "../nn/optimizers/adam";
import type { Optimizer } from "../nn/optimizers/optimizer";
import { cosineSchedule } from "../nn/schedules";
import { train, type TrainLog } from "../nn/train";
import { Random } from "../random";
import {
  checkChoice,
  checkOptionKeys,
  checkPositiveInteger,
  checkPositiveReal,
  checkSeed,
} from "../validation";

/** Fewer labelled samples than this teach nothing reliable: fineTune refuses them. */
export const MIN_FINE_TUNE_SAMPLES = 10;

export interface FineTuneOptions {
  /** MNIST training images mixed in so the model keeps reading MNIST (recommended). */
  mnist?: { x: Matrix; y: ArrayLike<number> };
  /** How many MNIST images of `mnist` join the mix (default 3000, drawn at random). */
  mnistSamples?: number;
  /** Times each personal sample appears per epoch, each differently augmented (default 10). */
  repeats?: number;
  /** Passes over the mix (default 4). */
  epochs?: number;
  /** Peak learning rate of Adam under a cosine decay (default 0.001). */
  learningRate?: number;
  /** "head": only the layers after the flatten learn (default); "all": every layer. */
  layers?: "head" | "all";
  /** Small random rotations, shifts and zooms of every training image (default true). */
  augment?: boolean;
  seed?: number;
  onEpoch?: (log: TrainLog) => void;
}

const OPTION_NAMES = [
  "mnist",
  "mnistSamples",
  "repeats",
  "epochs",
  "learningRate",
  "layers",
  "augment",
  "seed",
  "onEpoch",
];

/** Fine-tunes a copy of `model` on `samples`; resolves to the new model, `model` is unchanged. */
export async function fineTune(
  model: CnnClassifier,
  samples: { x: Matrix; y: ArrayLike<number> },
  options: FineTuneOptions = {},
): Promise<CnnClassifier> {
  const who = "fineTune";
  checkOptionKeys(who, options, OPTION_NAMES);
  if (!(model instanceof CnnClassifier)) throw new TypeError(`${who}: model must be a CnnClassifier`);
  if (!model.network) throw new Error(`${who}: the model must be trained (or loaded) first`);
  const epochs = checkPositiveInteger(who, "epochs", options.epochs ?? 4);
  const repeats = checkPositiveInteger(who, "repeats", options.repeats ?? 10);
  const mnistSamples = checkPositiveInteger(who, "mnistSamples", options.mnistSamples ?? 3000);
  const learningRate = checkPositiveReal(who, "learningRate", options.learningRate ?? 0.001);
  const layers = checkChoice(who, "layers", options.layers ?? "head", ["head", "all"] as const);
  const seed = checkSeed(who, options.seed ?? 0);
  checkSamples(who, samples);

  const copy = model.clone().loadWeights(model.saveWeights());
  const network = copy.network!;
  const random = new Random(seed);
  const mix = mixedTrainingSet(samples, options.mnist, repeats, mnistSamples, random);
  const trainable = new Set<Param>(
    layers === "all"
      ? network.params()
      : network.layers
          .slice(network.layers.findIndex((l) => l.kind === "flatten") + 1)
          .flatMap((l) => l.params()),
  );
  await train(network, mix.x.data, mix.y, {
    epochs,
    batchSize: Math.min(64, copy.batchSize),
    learningRate,
    optimizer: onlyUpdating(trainable, new Adam()),
    schedule: cosineSchedule(),
    seed: random.nextUint32(),
    augment:
      options.augment === false
        ? undefined
        : makeAugmenter({ affine: { rotation: 8, shift: 2, scale: 0.1 } }),
    label: `${who} ${copy.name}`,
    onEpoch: options.onEpoch,
  });
  return copy;
}

/** Refuses labels outside 0–9, a shape that is not MNIST's, and too few samples, saying which. */
function checkSamples(who: string, samples: { x: Matrix; y: ArrayLike<number> }): void {
  const { x, y } = samples;
  if (x.cols !== 784) throw new RangeError(`${who}: samples must be 28×28 = 784 columns, got ${x.cols}`);
  if (y.length !== x.rows) throw new RangeError(`${who}: ${x.rows} samples but ${y.length} labels`);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] > 9)
      throw new RangeError(`${who}: label ${i} must be a digit 0–9, got ${y[i]}`);
    counts[y[i]]++;
  }
  if (x.rows < MIN_FINE_TUNE_SAMPLES) {
    const have = counts.flatMap((n, digit) => (n > 0 ? [`${n}×${digit}`] : [])).join(", ") || "none";
    throw new RangeError(
      `${who}: needs at least ${MIN_FINE_TUNE_SAMPLES} labelled samples, got ${x.rows} (${have}); ` +
        `teach more digits first`,
    );
  }
}

/** Personal samples `repeats` times each, plus up to `mnistSamples` MNIST images drawn at random. */
function mixedTrainingSet(
  samples: { x: Matrix; y: ArrayLike<number> },
  mnist: { x: Matrix; y: ArrayLike<number> } | undefined,
  repeats: number,
  mnistSamples: number,
  random: Random,
): { x: Matrix; y: Uint8Array } {
  const personal = samples.x.rows;
  const fromMnist = mnist ? Math.min(mnistSamples, mnist.x.rows) : 0;
  const rows = personal * repeats + fromMnist;
  const data = new Float32Array(rows * 784);
  const y = new Uint8Array(rows);
  let row = 0;
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < personal; i++, row++) {
      data.set(samples.x.data.subarray(i * 784, (i + 1) * 784), row * 784);
      y[row] = samples.y[i];
    }
  }
  if (mnist) {
    const picks = random.shuffle(Array.from({ length: mnist.x.rows }, (_, i) => i)).slice(0, fromMnist);
    for (const i of picks) {
      data.set(mnist.x.data.subarray(i * 784, (i + 1) * 784), row * 784);
      y[row++] = mnist.y[i];
    }
  }
  return { x: matrix(data, rows, 784), y };
}

/** An optimizer that steps only the parameters in `trainable`; the others keep their values. */
function onlyUpdating(trainable: ReadonlySet<Param>, inner: Optimizer): Optimizer {
  return {
    name: inner.name,
    step: (params, learningRate, kernels) =>
      inner.step(
        params.filter((p) => trainable.has(p)),
        learningRate,
        kernels,
      ),
  };
}
