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

  /**
   * Defaults chosen on a 5,000-image validation split (seed 0) held out of the training set: Adam at
   * 0.002 on batches of 256 for 20 epochs reached 92.76% there (92.68% at 0.001 × 64 × 20, 92.62% at
   * 0.005 × 1024 × 30), against 92.00% for the former 0.001 × 128 × 10 epochs. The scratch twin's
   * best setting (0.01 × 1024 × 30) differs: tfjs's Adam and initialisation are not bit-identical.
   */
  constructor(options: TfSoftmaxRegressionOptions = {}) {
    super(options, { epochs: 20, batchSize: 256, learningRate: 0.002 });
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
