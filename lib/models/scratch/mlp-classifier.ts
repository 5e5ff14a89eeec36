/** Multi-layer perceptron: dense → [batch-norm] → ReLU → [dropout] per hidden layer, then a dense output. */
import { BatchNorm } from "../../nn/layers/batch-norm";
import { Dense } from "../../nn/layers/dense";
import { Dropout } from "../../nn/layers/dropout";
import { ReLU } from "../../nn/layers/relu";
import type { Layer } from "../../nn/layer";
import { checkDropout, checkHiddenSizes, MLP_DEFAULTS, type MlpArchitecture } from "../mlp-options";
import { ScratchNetworkClassifier, type TrainingOptions } from "./network-classifier";

/** Adam at 1e-3 in batches of 64 (the TensorFlow.js twin's defaults too). */
const MLP_TRAINING_DEFAULTS = {
  epochs: 10,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: "adam",
  schedule: "constant",
} as const;

export interface MlpOptions extends TrainingOptions, MlpArchitecture {
  /** Batch-norm after each hidden dense layer (default false; the scratch engine only). */
  batchNorm?: boolean;
}

export class MlpClassifier extends ScratchNetworkClassifier {
  readonly name: string;
  readonly hiddenSizes: number[];
  readonly dropout: number;
  readonly batchNorm: boolean;

  constructor(options: MlpOptions = {}) {
    super(options, MLP_TRAINING_DEFAULTS, ["hiddenSizes", "dropout", "batchNorm"]);
    this.hiddenSizes = checkHiddenSizes("MlpClassifier", options.hiddenSizes ?? MLP_DEFAULTS.hiddenSizes);
    this.dropout = checkDropout("MlpClassifier", options.dropout ?? MLP_DEFAULTS.dropout);
    this.batchNorm = options.batchNorm ?? false;
    this.name = `MLP ${this.hiddenSizes.join("-")} (scratch)`;
  }

  protected sampleShape(features: number): number[] {
    return [features];
  }

  protected buildLayers(): Layer[] {
    const layers: Layer[] = [];
    for (const units of this.hiddenSizes) {
      layers.push(new Dense(units, { bias: !this.batchNorm }));
      if (this.batchNorm) layers.push(new BatchNorm());
      layers.push(new ReLU());
      if (this.dropout > 0) layers.push(new Dropout(this.dropout));
    }
    layers.push(new Dense(this.numClasses, { init: "glorot" }));
    return layers;
  }

  protected architecture(): unknown {
    return { hiddenSizes: this.hiddenSizes, batchNorm: this.batchNorm };
  }
}
