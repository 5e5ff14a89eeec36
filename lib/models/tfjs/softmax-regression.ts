/**
 * Multinomial logistic regression in TensorFlow.js: one dense layer of 10 logits, softmax cross-entropy,
 * Adam. The counterpart of scikit-learn's `LogisticRegression` (which solves the same convex problem
 * with L-BFGS and a small L2 penalty).
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { TfClassifier, TfTrainingOptions } from "./tf-classifier";

export type TfSoftmaxRegressionOptions = TfTrainingOptions;

/** The TensorFlow.js twin of the scratch `SoftmaxRegression`. */
export class TfSoftmaxRegression extends TfClassifier {
  readonly name = "Softmax regression (tfjs)";

  constructor(options: TfSoftmaxRegressionOptions = {}) {
    super(options, { epochs: 10, batchSize: 128, learningRate: 0.001 });
  }

  protected buildModel(tf: typeof tfTypes, nFeatures: number, seed: () => number): tfTypes.Sequential {
    return tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [nFeatures],
          units: this.numClasses,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }),
        }),
      ],
    });
  }
}
