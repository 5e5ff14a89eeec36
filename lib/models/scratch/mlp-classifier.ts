/** Multi-layer perceptron: dense → [batch-norm] → ReLU → [dropout] per hidden layer, then a dense output. */
import { BatchNorm } from "../../nn/layers/batch-norm";
import { Dense } from "../../nn/layers/dense";
import { Dropout } from "../../nn/layers/dropout";
import { ReLU } from "../../nn/layers/relu";
import type { Layer } from "../../nn/layer";
import { ScratchNetworkClassifier, type TrainingOptions } from "./network-classifier";

export interface MlpOptions extends TrainingOptions {
  /** Units per hidden layer (default [256, 128]). */
  hiddenSizes?: number[];
  /** Dropout rate after each hidden layer, in [0, 1) (default 0). */
  dropout?: number;
  batchNorm?: boolean;
}

export class MlpClassifier extends ScratchNetworkClassifier {
  readonly name: string;
  readonly hiddenSizes: number[];
  readonly dropout: number;
  readonly batchNorm: boolean;

  constructor(options: MlpOptions = {}) {
    super(options, { epochs: 10, batchSize: 64, learningRate: 0.001, optimizer: "adam", schedule: "constant" });
    this.hiddenSizes = [...(options.hiddenSizes ?? [256, 128])];
    this.dropout = options.dropout ?? 0;
    this.batchNorm = options.batchNorm ?? false;
    for (const units of this.hiddenSizes) {
      if (!Number.isInteger(units) || units <= 0) throw new RangeError(`MlpClassifier: hiddenSizes must be positive integers, got [${this.hiddenSizes}]`);
    }
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new RangeError(`MlpClassifier: dropout must be in [0, 1), got ${this.dropout}`);
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
