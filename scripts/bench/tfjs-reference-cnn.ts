import type * as tfTypes from "@tensorflow/tfjs";

/**
 * The reference CNN in TensorFlow.js, compiled for model.fit-style training, as both CNN benches time
 * it: conv 3×3×32 → max-pool → conv 3×3×64 → max-pool → dense 128 → dense 10, Adam 1e-3.
 */
export function tfjsReferenceCnn(tf: typeof tfTypes): tfTypes.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: "relu" }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  return model;
}
