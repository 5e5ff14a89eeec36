/** What every model trained by epochs records after each epoch, and how a log line reads. */
export interface EpochLog {
  epoch: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** Training accuracy over the epoch, where the loop counts it. */
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate of the epoch's last step. */
  learningRate?: number;
  /** Training samples per second of the epoch (validation excluded). */
  samplesPerSecond?: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
}
