/**
 * The one loop every model trained by epochs runs through (scratch networks, linear and RBF SVMs, the
 * TensorFlow.js models): each model says how to train one epoch and how to score held-out data; the
 * loop times the epochs, stops a diverging run, records one EpochLog per epoch, shows progress and lets
 * the event loop breathe between epochs (so a notebook can redraw a live chart). The onEpoch hook can end
 * training early by returning "stop" (early stopping, a spent time budget, a range test past its
 * minimum): the model keeps the weights of the last epoch it trained, as after its final epoch.
 */
import type { EpochLog } from "./epoch-log";
import { checkLoss } from "./diverged";
import { createProgress } from "./progress";

/** What a model's epoch reports back. */
export interface EpochResult {
  /** Mean training loss over the epoch. */
  loss: number;
  /** Training accuracy over the epoch, if the model counts it. */
  accuracy?: number;
  /** The learning rate of the epoch's last step (default: the base rate). */
  learningRate?: number;
  /** Samples trained on in the epoch. */
  samples: number;
}

export interface HeldOutScores {
  loss: number;
  accuracy: number;
}

/** What onEpoch returns: "stop" ends training after this epoch; anything else (or nothing) goes on. */
export type EpochDecision = void | "stop";

/** Called by a model's epoch as its batches finish, for the progress display. */
export type StepReporter = (done: number, total: number) => void;

export interface EpochLoopOptions {
  /** The model's name, for progress and error messages. */
  who: string;
  epochs: number;
  /** The base learning rate, named when a run diverges. */
  learningRate: number;
  trainEpoch(epoch: number, reportSteps: StepReporter): EpochResult | Promise<EpochResult>;
  /** Scores held-out data after each epoch (never the test set). */
  validate?(): HeldOutScores;
  /** Called after each epoch; returning "stop" ends training there. */
  onEpoch?(log: EpochLog): EpochDecision;
  /** Show progress (default false). */
  verbose?: boolean;
}

export async function runEpochs(options: EpochLoopOptions): Promise<EpochLog[]> {
  const { who, epochs } = options;
  const progress = createProgress(who, epochs, options.verbose ?? false);
  const logs: EpochLog[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    const result = await options.trainEpoch(epoch, (done, total) => progress.step(epoch, done, total));
    const trainSeconds = (performance.now() - started) / 1000;
    const learningRate = result.learningRate ?? options.learningRate;
    checkLoss(who, result.loss, { epoch, learningRate: options.learningRate });
    const log: EpochLog = {
      epoch,
      loss: result.loss,
      accuracy: result.accuracy,
      learningRate,
      samplesPerSecond: result.samples / trainSeconds,
      seconds: 0,
    };
    if (result.accuracy === undefined) delete log.accuracy;
    if (options.validate) {
      const scores = options.validate();
      log.valLoss = scores.loss;
      log.valAccuracy = scores.accuracy;
    }
    log.seconds = (performance.now() - started) / 1000;
    logs.push(log);
    progress.epochDone(log);
    const decision = options.onEpoch?.(log);
    if (decision === "stop") break;
    if (typeof decision === "string")
      throw new RangeError(`${who}: onEpoch returned "${decision}"; expected "stop" or nothing`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  progress.finish();
  return logs;
}
