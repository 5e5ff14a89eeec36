/**
 * What both CNN benches (cnn-training.ts, tfjs-kernels.ts) time alike: the reference CNN in
 * TensorFlow.js, the synthetic batches every framework trains on, and the loop that times tfjs.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { Random } from "../../lib/random";

/** The batch size of every reference-CNN training measurement. */
export const BATCH = 64;

/** Synthetic data shared by every framework: uniform pixels in [0, 1), uniform labels. */
export function syntheticBatches(samples: number): { x: Float32Array; y: Uint8Array } {
  const random = new Random(0);
  const x = Float32Array.from({ length: samples * 784 }, () => random.next());
  const y = Uint8Array.from({ length: samples }, () => random.int(10));
  return { x, y };
}

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

export interface TfjsTiming {
  /** Train at least this long after the warm-up… */
  seconds: number;
  /** …and at least this many batches. */
  minSteps: number;
  /** Batches trained before the clock starts (JIT, kernel set-up, first allocations); default 1. */
  warmUpSteps?: number;
}

/** A fresh reference CNN trained with trainOnBatch over the batches of (x, y); returns samples per second. */
export async function tfjsSamplesPerSecond(
  tf: typeof tfTypes,
  x: Float32Array,
  y: Uint8Array,
  { seconds, minSteps, warmUpSteps = 1 }: TfjsTiming,
): Promise<number> {
  const model = tfjsReferenceCnn(tf);
  const batches = Math.floor(y.length / BATCH);
  const step = async (i: number) => {
    const b = i % batches;
    const xs = tf.tensor4d(x.subarray(b * BATCH * 784, (b + 1) * BATCH * 784), [BATCH, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(Array.from(y.subarray(b * BATCH, (b + 1) * BATCH)), "int32"), 10);
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
  };
  for (let i = 0; i < warmUpSteps; i++) await step(i);
  let steps = 0;
  const started = performance.now();
  while (steps < minSteps || performance.now() - started < seconds * 1000) await step(warmUpSteps + steps++);
  const elapsed = (performance.now() - started) / 1000;
  model.dispose();
  return (steps * BATCH) / elapsed;
}
