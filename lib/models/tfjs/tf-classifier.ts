/**
 * What every TensorFlow.js classifier shares: a seeded training loop, batched synchronous prediction,
 * and tensor hygiene. Subclasses only describe their layers.
 *
 * The loop is ours rather than `model.fit`'s because `model.fit` shuffles with Math.random: here the
 * batch order (and dropout masks) come from a seeded `Random`, and initialisers are seeded, so the same
 * seed on the same backend gives the same model. Loss: softmax cross-entropy on the logits; Adam.
 *
 * Memory: every step runs inside `tf.tidy`, prediction works in batches of `predictBatchSize` rows,
 * and `dispose()` frees the weights and optimizer state (tfjs does not garbage-collect tensors).
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { getTf } from "../../backend";
import { argmaxRows, type Matrix } from "../../matrix";
import { EpochTrainedClassifier } from "../epoch-trained";
import { FitOptions } from "../estimator";
import { Random } from "../../random";
import { scheduleByName, SCHEDULE_NAMES, type ScheduleName } from "../../nn/schedules";
import { checkChoice, checkPositiveInteger } from "../../validation";
import { accuracy } from "../../metrics/accuracy";
import { logLoss } from "../../metrics/log-loss";
import { checkLabelSmoothing } from "../../nn/loss";
import { type EpochResult, type HeldOutScores, type StepReporter } from "../../training/epochs";

export interface TfTrainingOptions {
  epochs?: number;
  batchSize?: number;
  /** Adam's base (peak) step size. */
  learningRate?: number;
  /** How the step size changes over the run, as for the scratch networks (default "constant"). */
  schedule?: ScheduleName;
  /** ε of the training loss's label smoothing, in [0, 1) (default 0), as in the scratch networks. */
  labelSmoothing?: number;
  seed?: number;
  /**
   * Rows per batch in predictProba, bounding memory (default 256: a CNN's activations for 2048 rows grew
   * tfjs's WebAssembly memory, which never shrinks, by ~500 MB; 256 rows by ~100 MB, at the same speed).
   */
  predictBatchSize?: number;
}

type Tf = typeof tfTypes;

const TF_TRAINING_PARAM_NAMES = [
  "epochs",
  "batchSize",
  "learningRate",
  "schedule",
  "labelSmoothing",
  "seed",
  "predictBatchSize",
] as const;

export abstract class TfClassifier extends EpochTrainedClassifier {
  readonly implementation = "tfjs";
  readonly schedule: ScheduleName;
  readonly labelSmoothing: number;
  readonly predictBatchSize: number;
  protected model: tfTypes.Sequential | null = null;
  private optimizer: tfTypes.Optimizer | null = null;

  /**
   * @param defaults the subclass's defaults for the shared training options
   * @param ownParamNames the subclass's own options (architecture), besides the shared ones
   */
  constructor(
    options: TfTrainingOptions,
    defaults: Required<
      Omit<TfTrainingOptions, "seed" | "predictBatchSize" | "schedule" | "labelSmoothing">
    > & {
      schedule?: ScheduleName;
    },
    ownParamNames: readonly string[] = [],
  ) {
    super(options, defaults, [...TF_TRAINING_PARAM_NAMES, ...ownParamNames]);
    const who = new.target.name;
    this.schedule = checkChoice(
      who,
      "schedule",
      options.schedule ?? defaults.schedule ?? "constant",
      SCHEDULE_NAMES,
    );
    this.labelSmoothing = options.labelSmoothing ?? 0;
    checkLabelSmoothing(who, this.labelSmoothing);
    this.predictBatchSize = checkPositiveInteger(who, "predictBatchSize", options.predictBatchSize ?? 256);
  }

  protected release(): void {
    this.dispose();
  }

  /** The layers, ending in 10 linear logits; `seed` gives each initialiser its own seed. */
  protected abstract buildModel(tf: Tf, nFeatures: number, seed: () => number): tfTypes.Sequential;

  /** Reshapes a batch of flat rows to the model's input (identity except for image models). */
  protected toInput(batch: tfTypes.Tensor2D): tfTypes.Tensor {
    return batch;
  }

  /** Logits in training mode; subclasses with dropout override it. */
  protected trainingLogits(input: tfTypes.Tensor, _random: Random): tfTypes.Tensor {
    return this.model!.apply(input, { training: true }) as tfTypes.Tensor;
  }

  protected async fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void> {
    const tf = getTf();
    this.dispose();
    const random = new Random(this.seed);
    const initRandom = random.fork();
    this.model = this.buildModel(tf, x.cols, () => initRandom.nextUint32());
    this.optimizer = tf.train.adam(this.learningRate);
    const batchSize = Math.min(this.batchSize, x.rows);
    const batchData = new Float32Array(batchSize * x.cols);
    const batchLabels = new Int32Array(batchSize);
    const steps = Math.ceil(x.rows / batchSize);
    const schedule = scheduleByName(this.schedule);
    // tfjs's Adam reads its learningRate field at every step, so the schedule sets it before each one.
    const adam = this.optimizer as unknown as { learningRate: number };
    let step = 0;
    let rate = this.learningRate;

    const trainEpoch = (_epoch: number, reportSteps: StepReporter): EpochResult => {
      const order = random.permutation(x.rows);
      // Running sums stay on the backend: reading them once per epoch instead of after every step
      // saves a synchronisation per batch, which dominates small models such as softmax regression.
      let lossSum: tfTypes.Tensor = tf.scalar(0);
      let hitSum: tfTypes.Tensor = tf.scalar(0, "int32");
      for (let start = 0; start < x.rows; start += batchSize) {
        const rows = Math.min(batchSize, x.rows - start);
        for (let r = 0; r < rows; r++) {
          const i = order[start + r];
          batchData.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), r * x.cols);
          batchLabels[r] = y[i];
        }
        const [nextLossSum, nextHitSum] = tf.tidy(() => {
          const input = this.toInput(tf.tensor2d(batchData.subarray(0, rows * x.cols), [rows, x.cols]));
          const labels = tf.tensor1d(batchLabels.subarray(0, rows), "int32");
          const targets = tf.oneHot(labels, this.numClasses);
          // minimize() runs the forward pass in its own tidy; keep the logits out of it to count hits.
          const forward: { logits?: tfTypes.Tensor } = {};
          rate = schedule(this.learningRate, {
            step: step++,
            stepsPerEpoch: steps,
            totalSteps: steps * this.epochs,
          });
          adam.learningRate = rate;
          const cost = this.optimizer!.minimize(() => {
            forward.logits = tf.keep(this.trainingLogits(input, random));
            // The same smoothed targets as ours: (1 − ε)·one-hot + ε/K.
            const smoothing = this.labelSmoothing;
            const logits = forward.logits;
            return tf.losses.softmaxCrossEntropy(targets, logits, undefined, smoothing) as tfTypes.Scalar;
          }, true)!;
          const matches = tf.sum(tf.cast(tf.equal(tf.argMax(forward.logits!, 1), labels), "int32"));
          forward.logits!.dispose();
          return [tf.add(lossSum, tf.mul(cost, rows)), tf.add(hitSum, matches)];
        });
        lossSum.dispose();
        hitSum.dispose();
        [lossSum, hitSum] = [nextLossSum, nextHitSum];
        reportSteps(start / batchSize + 1, steps);
      }
      const [loss, correct] = [lossSum.dataSync()[0], hitSum.dataSync()[0]];
      lossSum.dispose();
      hitSum.dispose();
      return { loss: loss / x.rows, accuracy: correct / x.rows, learningRate: rate, samples: x.rows };
    };

    const validation = options.validation;
    const validate = validation
      ? (): HeldOutScores => {
          const proba = this.predictProbaImpl(validation.x);
          const predicted = argmaxRows(proba, validation.x.rows, this.numClasses);
          return { loss: logLoss(validation.y, proba, 1e-7), accuracy: accuracy(validation.y, predicted) };
        }
      : undefined;

    await this.trainEpochs(
      { epochs: this.epochs, learningRate: this.learningRate, trainEpoch, validate },
      options,
    );
  }

  /** Softmax probabilities, computed in batches inside tf.tidy so no tensor outlives the call. */
  protected predictProbaImpl(x: Matrix): Float32Array {
    const tf = getTf();
    const out = new Float32Array(x.rows * this.numClasses);
    for (let start = 0; start < x.rows; start += this.predictBatchSize) {
      const rows = Math.min(this.predictBatchSize, x.rows - start);
      const proba = tf.tidy(() => {
        const batch = tf.tensor2d(x.data.subarray(start * x.cols, (start + rows) * x.cols), [rows, x.cols]);
        // One forward pass per batch: predict's default cuts it into slices of 32 rows, each a small
        // call of every kernel (and, on tfjs-wasm 4.22, a copy of the whole batch per slice).
        const logits = this.model!.predict(this.toInput(batch), { batchSize: rows }) as tfTypes.Tensor;
        return tf.softmax(logits).dataSync() as Float32Array;
      });
      out.set(proba, start * this.numClasses);
    }
    return out;
  }

  /** Frees the model's weights and the optimizer's state; the classifier is unfitted afterwards. */
  dispose(): void {
    this.model?.dispose();
    this.optimizer?.dispose();
    this.model = null;
    this.optimizer = null;
    this.nFeatures = null;
  }
}
