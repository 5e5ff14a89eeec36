/**
 * Multi-layer perceptron in TensorFlow.js: dense ReLU hidden layers, dropout between them while
 * training, 10 logits. The counterpart of scikit-learn's `MLPClassifier`.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { getTf } from "../../backend";
import { Random } from "../../random";
import { checkDropout, checkHiddenSizes, MLP_DEFAULTS, type MlpArchitecture } from "../mlp-options";
import { TfClassifier, TfTrainingOptions } from "./tf-classifier";

export interface TfMlpOptions extends TfTrainingOptions, MlpArchitecture {}

export class TfMlpClassifier extends TfClassifier {
  readonly name: string;
  readonly hiddenSizes: number[];
  readonly dropout: number;

  constructor(options: TfMlpOptions = {}) {
    super(options, { epochs: 10, batchSize: 64, learningRate: 0.001 }, ["hiddenSizes", "dropout"]);
    this.hiddenSizes = checkHiddenSizes("TfMlpClassifier", options.hiddenSizes ?? MLP_DEFAULTS.hiddenSizes);
    this.dropout = checkDropout("TfMlpClassifier", options.dropout ?? MLP_DEFAULTS.dropout);
    this.name = `MLP ${this.hiddenSizes.join("-")} (tfjs)`;
  }

  protected buildModel(tf: typeof tfTypes, nFeatures: number, seed: () => number): tfTypes.Sequential {
    const model = tf.sequential();
    this.hiddenSizes.forEach((units, i) =>
      model.add(
        tf.layers.dense({
          ...(i === 0 ? { inputShape: [nFeatures] } : {}),
          units,
          activation: "relu",
          kernelInitializer: tf.initializers.heNormal({ seed: seed() }),
        }),
      ),
    );
    model.add(
      tf.layers.dense({
        units: this.numClasses,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }),
      }),
    );
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
      if (i < layers.length - 1 && this.dropout > 0)
        h = tf.dropout(h, this.dropout, undefined, random.nextUint32());
    });
    return h;
  }
}
