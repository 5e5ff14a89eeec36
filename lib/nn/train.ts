/**
 * The mini-batch epoch of a network: shuffle, gather a batch into the network's input buffer, optionally
 * augment it, forward, loss, backward, optimizer step. The epochs themselves run in the shared loop
 * (../training/epochs.ts); a batch whose loss turns NaN/Inf or explodes stops the run with a
 * TrainingDivergedError naming the epoch, the step and the learning rate.
 */
import type { EpochLog } from "../training/epoch-log";
import { Random } from "../random";
import { checkLoss, checkLossGrowth } from "../training/diverged";
export { TrainingDivergedError } from "../training/diverged";
import {
  runEpochs,
  type EpochDecision,
  type EpochResult,
  type HeldOutScores,
  type StepReporter,
} from "../training/epochs";
import { checkLabelSmoothing, softmaxCrossEntropy } from "./loss";
import type { Optimizer } from "./optimizers/optimizer";
import { constantSchedule, type LearningRateSchedule } from "./schedules";
import type { Sequential } from "./sequential";
import { BatchBuffer, sizeOf } from "./tensor";
import { startInBackground } from "../augmentation/background";
import { WeightAverage } from "./weight-average";

/** Called on every training batch (batchSize × sample values, in place) before the forward pass. */
export type AugmentHook = (images: Float32Array, batchSize: number, random: Random) => void;

/** An epoch of a network's training: samples per second are always counted. */
export interface TrainLog extends EpochLog {
  samplesPerSecond: number;
  /** With weight averaging, the validation accuracy of the live (last step's) weights; valAccuracy is the average's. */
  liveValAccuracy?: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Base (peak) learning rate that the schedule scales. */
  learningRate: number;
  optimizer: Optimizer;
  schedule?: LearningRateSchedule;
  /** ε of the training loss's label smoothing, in [0, 1) (default 0: one-hot targets). */
  labelSmoothing?: number;
  /** Seeds shuffling and the augment hook's random stream. */
  seed?: number;
  augment?: AugmentHook;
  /**
   * When set, keeps an exponential moving average of the weights and batch-norm statistics with this
   * largest per-step decay (./weight-average.ts); validation scores the average, and training ends with
   * the average in the network. 0 or undefined: off.
   */
  emaDecay?: number;
  validation?: { x: Float32Array; labels: Uint8Array };
  /** Called after each epoch; returning "stop" ends training there. */
  onEpoch?: (log: TrainLog) => EpochDecision;
  verbose?: boolean;
  /** Prefix of progress lines and error messages, e.g. the model's name. */
  label?: string;
  /** The run counts as diverged once a batch loss exceeds this multiple of the first batch's loss (default 10). */
  divergenceFactor?: number;
}

/** Checks the loop's hyperparameters, naming the offending one. */
export function checkTrainOptions(
  label: string,
  options: Pick<TrainOptions, "epochs" | "batchSize" | "learningRate">,
): void {
  const { epochs, batchSize, learningRate } = options;
  if (!Number.isInteger(epochs) || epochs <= 0)
    throw new RangeError(`${label}: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new RangeError(`${label}: batchSize must be a positive integer, got ${batchSize}`);
  if (!(learningRate > 0 && Number.isFinite(learningRate)))
    throw new RangeError(`${label}: learningRate must be a positive number, got ${learningRate}`);
}

export async function train(
  network: Sequential,
  x: Float32Array,
  labels: Uint8Array,
  options: TrainOptions,
): Promise<TrainLog[]> {
  const label = options.label ?? "train";
  checkTrainOptions(label, options);
  const { epochs, batchSize, learningRate, optimizer } = options;
  const schedule = options.schedule ?? constantSchedule;
  const divergenceFactor = options.divergenceFactor ?? 10;
  const labelSmoothing = options.labelSmoothing ?? 0;
  checkLabelSmoothing(label, labelSmoothing);
  const sampleSize = sizeOf(network.inputShape);
  const count = labels.length;
  if (x.length !== count * sampleSize)
    throw new RangeError(
      `${label}: ${count} labels need ${count * sampleSize} input values, got ${x.length}`,
    );
  if (batchSize > network.batchCapacity)
    throw new RangeError(
      `${label}: batchSize ${batchSize} exceeds the network's batch capacity ${network.batchCapacity}`,
    );

  const average = options.emaDecay ? new WeightAverage(network.state(), options.emaDecay) : null;
  const random = new Random(options.seed ?? 0);
  const augmentRandom = random.fork();
  const order = new Uint32Array(count).map((_, i) => i);
  const batchLabels = new Uint8Array(batchSize);
  const gradLogits = new BatchBuffer((n) => network.kernels.alloc(n), network.outputShape, batchSize);
  const stepsPerEpoch = Math.ceil(count / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  let step = 0;
  let firstLoss = NaN;

  // A recipe augmenter (makeAugmenter) runs on a worker thread one batch ahead, unless it opted out; the
  // worker stays for the next fit.
  const background = startInBackground(options.augment, sampleSize, batchSize);
  /** Copies the shuffled samples of the batch at `start` into `into`; the background worker gets it. */
  const gather = (start: number, into: Float32Array): void => {
    const batch = Math.min(batchSize, count - start);
    for (let r = 0; r < batch; r++) {
      const from = order[start + r] * sampleSize;
      into.set(x.subarray(from, from + sampleSize), r * sampleSize);
    }
    if (background && into === background.input) background.submit(batch, augmentRandom);
  };

  /** One pass over the shuffled data: gather, augment, forward, loss, backward, optimizer step. */
  const trainEpoch = (epoch: number, reportSteps: StepReporter): EpochResult => {
    random.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    let rate = learningRate;
    for (let start = 0; start < count; start += batchSize) {
      const batch = Math.min(batchSize, count - start);
      const input = network.input.view(batch);
      const images = input.data;
      for (let r = 0; r < batch; r++) batchLabels[r] = labels[order[start + r]];
      if (background) {
        // Batch k comes back augmented; batch k + 1 goes to the worker while batch k trains.
        if (start === 0) gather(0, background.input);
        background.receive(images, augmentRandom);
        if (start + batchSize < count) gather(start + batchSize, background.input);
      } else {
        gather(start, images);
        if (options.augment) options.augment(images, batch, augmentRandom);
      }

      const logits = network.forward(input, true);
      const grad = gradLogits.view(batch);
      const result = softmaxCrossEntropy(
        logits,
        batch === batchSize ? batchLabels : batchLabels.subarray(0, batch),
        grad.data,
        labelSmoothing,
      );
      const where = { epoch, step: step + 1, learningRate: rate };
      checkLoss(label, result.loss, where);
      if (step === 0) firstLoss = result.loss;
      checkLossGrowth(label, result.loss, firstLoss, divergenceFactor, where);
      network.backward(grad);
      rate = schedule(learningRate, { step, stepsPerEpoch, totalSteps });
      optimizer.step(network.params(), rate, network.kernels);
      average?.update();
      lossSum += result.loss * batch;
      correct += result.correct;
      step++;
      reportSteps(start / batchSize + 1, stepsPerEpoch);
    }
    return { loss: lossSum / count, accuracy: correct / count, learningRate: rate, samples: count };
  };

  const validation = options.validation;
  const score = (): HeldOutScores => {
    const { x: vx, labels: vy } = validation!;
    const logits = network.predict(vx, vy.length);
    const scored = softmaxCrossEntropy({ data: logits, shape: [vy.length, sizeOf(network.outputShape)] }, vy);
    return { loss: scored.loss, accuracy: scored.correct / vy.length };
  };
  let liveValAccuracy: number | undefined;
  const validate = validation
    ? (): HeldOutScores => {
        if (!average) return score();
        liveValAccuracy = score().accuracy;
        return average.withAverage(score);
      }
    : undefined;

  const logs = await runEpochs({
    who: label,
    epochs,
    learningRate,
    trainEpoch,
    validate,
    verbose: options.verbose,
    onEpoch: (log) => {
      if (liveValAccuracy !== undefined) (log as TrainLog).liveValAccuracy = liveValAccuracy;
      return options.onEpoch?.(log as TrainLog);
    },
  });
  average?.writeAverages();
  return logs as TrainLog[];
}
