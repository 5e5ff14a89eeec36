/**
 * A saved scratch network (SavedWeights, from `saveWeights()`) → the plain JSON the browser's forward
 * pass (./forward-pass.ts) runs: the layers in order with their shapes and float32 arrays as base64.
 * The weights are loaded into the engine's own classifier first, so every check `loadWeights` makes
 * (format, architecture, byte counts, checksums, finite values) applies here too; batch-norm is folded
 * to its inference form (one scale and shift per channel, computed as the engine computes them) and
 * dropout, the identity at inference, is left out.
 */
import { BatchNorm } from "../nn/layers/batch-norm";
import { Conv2D } from "../nn/layers/conv2d";
import { Dense } from "../nn/layers/dense";
import { Dropout } from "../nn/layers/dropout";
import { Flatten } from "../nn/layers/flatten";
import { MaxPool2D } from "../nn/layers/max-pool";
import { ReLU } from "../nn/layers/relu";
import type { Layer } from "../nn/layer";
import { CnnClassifier } from "../models/scratch/cnn-classifier";
import { MlpClassifier } from "../models/scratch/mlp-classifier";
import type { SavedWeights, ScratchNetworkClassifier } from "../models/scratch/network-classifier";
import { SoftmaxRegression } from "../models/scratch/softmax-regression";

export const BROWSER_NETWORK_FORMAT = "mnist-notebooks/browser-network";

export type BrowserLayer =
  | {
      type: "conv2d";
      filters: number;
      kernelSize: number;
      stride: number;
      pad: number;
      weights: string;
      bias: string | null;
    }
  | { type: "maxpool2d"; size: number; stride: number }
  | { type: "batchnorm"; scale: string; shift: string }
  | { type: "relu" }
  | { type: "flatten" }
  | { type: "dense"; units: number; weights: string; bias: string | null };

export interface BrowserNetwork {
  format: typeof BROWSER_NETWORK_FORMAT;
  /** The classifier's display name, e.g. "CNN speed (scratch)". */
  model: string;
  classes: number;
  /** Per-sample input shape: [28, 28, 1] for a CNN, [784] for an MLP. */
  inputShape: number[];
  layers: BrowserLayer[];
}

/** The browser form of saved weights (checked as `loadWeights` checks them). */
export function browserNetwork(weights: SavedWeights): BrowserNetwork {
  return browserNetworkOf(classifierFor(weights).loadWeights(weights));
}

/** The browser form of a fitted scratch network classifier. */
export function browserNetworkOf(model: ScratchNetworkClassifier): BrowserNetwork {
  const network = model.network;
  if (!network) throw new Error(`browserNetwork: ${model.name} is not fitted (fit it or load its weights)`);
  const layers = network.layers.flatMap(browserLayer);
  return {
    format: BROWSER_NETWORK_FORMAT,
    model: model.name,
    classes: model.numClasses,
    inputShape: [...network.inputShape],
    layers,
  };
}

/** An unfitted classifier of the kind and architecture the weights were saved from. */
function classifierFor(weights: SavedWeights): ScratchNetworkClassifier {
  const record = weights as unknown as Record<string, unknown> | null;
  if (typeof record !== "object" || record === null) {
    throw new TypeError(`browserNetwork: expected saved weights (an object), got ${record}`);
  }
  const architecture = (weights.architecture ?? {}) as Record<string, unknown>;
  switch (weights.model) {
    case "CnnClassifier":
      return new CnnClassifier(architecture as { preset?: never; imageSize?: number });
    case "MlpClassifier":
      return new MlpClassifier(architecture as { hiddenSizes?: number[]; batchNorm?: boolean });
    case "SoftmaxRegression":
      return new SoftmaxRegression();
    default:
      throw new Error(
        `browserNetwork: weights of a ${JSON.stringify(weights.model)} cannot run in the browser ` +
          `(expected CnnClassifier, MlpClassifier or SoftmaxRegression)`,
      );
  }
}

function browserLayer(layer: Layer): BrowserLayer[] {
  const arrays = new Map(layer.state().map(({ name, value }) => [name.slice(layer.name.length + 1), value]));
  const base64 = (key: string) => {
    const value = arrays.get(key);
    return value ? float32Base64(value) : null;
  };
  if (layer instanceof Conv2D) {
    const { filters, kernelSize, stride, pad } = layer;
    return [
      { type: "conv2d", filters, kernelSize, stride, pad, weights: base64("weights")!, bias: base64("bias") },
    ];
  }
  if (layer instanceof Dense) {
    return [{ type: "dense", units: layer.units, weights: base64("weights")!, bias: base64("bias") }];
  }
  if (layer instanceof MaxPool2D) return [{ type: "maxpool2d", size: layer.size, stride: layer.stride }];
  if (layer instanceof ReLU) return [{ type: "relu" }];
  if (layer instanceof Flatten) return [{ type: "flatten" }];
  if (layer instanceof Dropout) return [];
  if (layer instanceof BatchNorm) {
    const [gamma, beta, mean, variance] = ["gamma", "beta", "runningMean", "runningVar"].map((k) =>
      arrays.get(k)!,
    );
    // As the engine's inference forward computes them: in float64, stored as float32.
    const scale = new Float32Array(gamma.length);
    const shift = new Float32Array(gamma.length);
    for (let j = 0; j < gamma.length; j++) {
      const s = gamma[j] / Math.sqrt(variance[j] + layer.epsilon);
      scale[j] = s;
      shift[j] = beta[j] - mean[j] * s;
    }
    return [{ type: "batchnorm", scale: float32Base64(scale), shift: float32Base64(shift) }];
  }
  throw new Error(`browserNetwork: layer ${layer.name} (${layer.kind}) has no browser implementation`);
}

function float32Base64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}
