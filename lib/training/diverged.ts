/**
 * The divergence stop every training loop shares: a loss that turns NaN or infinite (or explodes) ends
 * the run at once with an error naming the model, where it happened and the learning rate, instead of
 * training on garbage and returning a model that predicts one class.
 */
export class TrainingDivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainingDivergedError";
  }
}

export interface LossContext {
  epoch: number;
  /** 1-based step within the whole run, where the loop checks per step. */
  step?: number;
  learningRate: number;
}

/** Throws a TrainingDivergedError unless `loss` is a finite number. */
export function checkLoss(who: string, loss: number, where: LossContext): void {
  if (Number.isFinite(loss)) return;
  throw new TrainingDivergedError(
    `${who}: training diverged at ${describe(where)}: the loss is ${loss}; ${advice(where)}`,
  );
}

/**
 * Throws a TrainingDivergedError once `loss` exceeds `factor` times the first loss of the run: a run
 * whose loss grows tenfold is not coming back.
 */
export function checkLossGrowth(
  who: string,
  loss: number,
  firstLoss: number,
  factor: number,
  where: LossContext,
): void {
  if (loss <= factor * Math.max(firstLoss, 1e-3)) return;
  throw new TrainingDivergedError(
    `${who}: training diverged at ${describe(where)}: the loss exploded from ${firstLoss.toFixed(3)} to ` +
      `${loss.toFixed(3)}; ${advice(where)}`,
  );
}

function describe({ epoch, step }: LossContext): string {
  return step === undefined ? `epoch ${epoch}` : `epoch ${epoch}, step ${step}`;
}

function advice({ learningRate }: LossContext): string {
  return `the learning rate was ${learningRate}: lower it`;
}
