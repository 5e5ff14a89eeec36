/** Multinomial logistic regression: one dense layer straight into the softmax. */
import { Dense } from "../../nn/layers/dense";
import type { Layer } from "../../nn/layer";
import { ScratchNetworkClassifier, type TrainingOptions } from "./network-classifier";

export type SoftmaxRegressionOptions = TrainingOptions;

export class SoftmaxRegression extends ScratchNetworkClassifier {
  readonly name = "Softmax regression (scratch)";

  constructor(options: SoftmaxRegressionOptions = {}) {
    super(options, { epochs: 10, batchSize: 128, learningRate: 0.001, optimizer: "adam", schedule: "constant" }, []);
  }

  protected sampleShape(features: number): number[] {
    return [features];
  }

  protected buildLayers(): Layer[] {
    return [new Dense(this.numClasses, { init: "glorot" })];
  }

  protected architecture(): unknown {
    return { classes: this.numClasses };
  }
}
