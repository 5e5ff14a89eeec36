/**
 * Multi-layer perceptron in TensorFlow.js: dense ReLU hidden layers, dropout between them while
 * training, 10 logits. The counterpart of scikit-learn's `MLPClassifier`.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { getTf } from "../../backend";
import { Random } from "../../random";
import { TfClassifier, TfTrainingOptions } from "./tf-classifier";

export interface TfMlpOptions extends TfTrainingOptions {
  /** Units of each hidden layer (default [512, 256]). */
  hiddenLayers?: number[];
  /** Fraction of hidden activations dropped while training (default 0.2; 0 disables). */
  dropout?: number;
}

export class TfMlpClassifier extends TfClassifier {
  readonly name: string;
  readonly hiddenLayers: number[];
  readonly dropout: number;

  constructor(options: TfMlpOptions = {}) {
    super(options, { epochs: 15, batchSize: 128, learningRate: 0.001 });
    this.hiddenLayers = options.hiddenLayers ?? [512, 256];
    this.dropout = options.dropout ?? 0.2;
    if (this.hiddenLayers.length === 0 || !this.hiddenLayers.every((units) => Number.isInteger(units) && units > 0)) {
      throw new RangeError(`TfMlpClassifier: hiddenLayers must be positive integers, got [${this.hiddenLayers.join(", ")}]`);
    }
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new RangeError(`TfMlpClassifier: dropout must be in [0, 1), got ${this.dropout}`);
    this.name = `MLP ${this.hiddenLayers.join("-")} (tfjs)`;
  }

  protected buildModel(tf: typeof tfTypes, nFeatures: number, seed: () => number): tfTypes.Sequential {
    const model = tf.sequential();
    this.hiddenLayers.forEach((units, i) =>
      model.add(
        tf.layers.dense({
          ...(i === 0 ? { inputShape: [nFeatures] } : {}),
          units,
          activation: "relu",
          kernelInitializer: tf.initializers.heNormal({ seed: seed() }),
        }),
      ),
    );
    model.add(tf.layers.dense({ units: this.numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }) }));
    return model;
  }

  /**
   * Dropout applied by hand between the layers, with a fresh seed per step from our Random:
   * tfjs's Dropout layer reuses one fixed seed, which would drop the same units on every batch.
   */
  protected trainingLogits(input: tfTypes.Tensor, random: Random): tfTypes.Tensor {
    const tf = getTf();
    const layers = this.model!.layers;
    let h = input;
    layers.forEach((layer, i) => {
      h = layer.apply(h) as tfTypes.Tensor;
      if (i < layers.length - 1 && this.dropout > 0) h = tf.dropout(h, this.dropout, undefined, random.nextUint32());
    });
    return h;
  }
}
