/**
 * The TensorFlow.js CNN where this backend can train it. Notebooks show it beside the from-scratch CNN
 * when they can, and otherwise say so in one line instead of failing.
 */
import type { BackendInfo } from "../../backend";
import { TfCnnClassifier, type TfCnnOptions } from "./cnn";

/** A new TfCnnClassifier when `backend.canTrainConv`; else null, after printing one line saying why. */
export function tfCnnIfTrainable(backend: BackendInfo, options: TfCnnOptions = {}): TfCnnClassifier | null {
  if (backend.canTrainConv) return new TfCnnClassifier(options);
  console.log(skippedTfCnnMessage(backend));
  return null;
}

/** The one line printed when the TensorFlow.js CNN is skipped. */
export function skippedTfCnnMessage(backend: BackendInfo): string {
  return (
    `TensorFlow.js CNN skipped: the '${backend.name}' backend cannot train convolutions at a practical ` +
    "speed (install @tensorflow/tfjs-node for it); the from-scratch CNN runs instead."
  );
}
