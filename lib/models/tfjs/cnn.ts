/**
 * The reference convolutional network in TensorFlow.js:
 *   conv 3×3×32 ReLU → max-pool 2 → conv 3×3×64 ReLU → max-pool 2 → dense 128 ReLU → dense 10.
 * Takes the usual flat 784-pixel rows and reshapes them to 28×28×1 images.
 *
 * Training needs a backend with conv gradients: `fit` checks first and throws a clear error on wasm
 * without our kernels (no Conv2DBackpropFilter; `useOurWasmKernels()` adds it) or cpu (hours per
 * epoch) instead of failing or hanging mid-way.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { assertCanTrainConv } from "../../backend";
import { Matrix } from "../../matrix";
import { FitOptions } from "../estimator";
import { TfClassifier, TfTrainingOptions } from "./tf-classifier";

export type TfCnnOptions = TfTrainingOptions;

export class TfCnnClassifier extends TfClassifier {
  readonly name = "CNN (tfjs)";
  private side = 0;

  constructor(options: TfCnnOptions = {}) {
    // The scratch reference CNN's schedule: Adam at 0.002 decayed along a cosine over 3 epochs.
    super(options, { epochs: 3, batchSize: 64, learningRate: 0.002, schedule: "cosine" });
  }

  protected async fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void> {
    assertCanTrainConv();
    const side = Math.round(Math.sqrt(x.cols));
    if (side * side !== x.cols || side < 10) {
      throw new RangeError(
        `${this.name}: expects square images of at least 10×10 pixels as rows, got ${x.cols} features`,
      );
    }
    this.side = side;
    await super.fitImpl(x, y, options);
  }

  protected toInput(batch: tfTypes.Tensor2D): tfTypes.Tensor {
    return batch.reshape([batch.shape[0], this.side, this.side, 1]);
  }

  protected buildModel(tf: typeof tfTypes, _nFeatures: number, seed: () => number): tfTypes.Sequential {
    const he = () => tf.initializers.heNormal({ seed: seed() });
    return tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [this.side, this.side, 1],
          filters: 32,
          kernelSize: 3,
          activation: "relu",
          kernelInitializer: he(),
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu", kernelInitializer: he() }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: he() }),
        tf.layers.dense({
          units: this.numClasses,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed() }),
        }),
      ],
    });
  }
}
