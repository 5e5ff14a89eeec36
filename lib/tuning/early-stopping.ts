/**
 * Early stopping on validation loss: training stops once the loss has not improved by `minDelta` for
 * `patience` epochs, and the epoch with the lowest validation loss is the one reported. The search
 * scores the trial with that epoch's validation accuracy and refits the winner for that many epochs.
 * The search's onEpoch hook returns "stop" when `observe` says so; the epoch loop ends the fit there.
 */
import type { EpochLog } from "../training/epoch-log";
import { checkPositiveInteger, checkScalar } from "../validation";

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (default 2). */
  patience?: number;
  /** The smallest decrease of the validation loss that counts as an improvement (default 0). */
  minDelta?: number;
}

export class EarlyStopping {
  readonly patience: number;
  readonly minDelta: number;
  /** The epoch log with the lowest validation loss so far. */
  best: EpochLog | null = null;
  private sinceBest = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    this.patience = checkPositiveInteger("EarlyStopping", "patience", options.patience ?? 2);
    this.minDelta = checkScalar("EarlyStopping", "minDelta", options.minDelta ?? 0, { min: 0 });
  }

  /** Records an epoch; true when training should stop. */
  observe(log: EpochLog): boolean {
    if (log.valLoss === undefined)
      throw new Error("EarlyStopping: the epoch has no validation loss (pass validation data to fit)");
    if (this.best === null || log.valLoss < this.best.valLoss! - this.minDelta) {
      this.best = log;
      this.sinceBest = 0;
      return false;
    }
    return ++this.sinceBest >= this.patience;
  }
}
