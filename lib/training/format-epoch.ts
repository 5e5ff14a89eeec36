import type { EpochLog } from "./epoch-log";

/** One progress line per epoch, the same for every model: "MLP epoch 3/10  loss 0.1234  acc 96.50%  …". */
export function formatEpoch(label: string, log: EpochLog, epochs?: number): string {
  const counter =
    epochs === undefined ? `${log.epoch}` : `${String(log.epoch).padStart(String(epochs).length)}/${epochs}`;
  const parts = [`${label} epoch ${counter}`, `loss ${log.loss.toFixed(4)}`];
  if (log.accuracy !== undefined) parts.push(`acc ${percent(log.accuracy)}`);
  if (log.valLoss !== undefined) parts.push(`val loss ${log.valLoss.toFixed(4)}`);
  if (log.valAccuracy !== undefined) parts.push(`val acc ${percent(log.valAccuracy)}`);
  if (log.learningRate !== undefined) parts.push(`lr ${log.learningRate.toExponential(2)}`);
  if (log.samplesPerSecond !== undefined) parts.push(`${Math.round(log.samplesPerSecond)} samples/s`);
  parts.push(`${log.seconds.toFixed(1)} s`);
  return parts.join("  ");
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}
