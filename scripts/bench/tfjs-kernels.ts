/**
 * Our kernels registered into TensorFlow.js's wasm backend (lib/tfjs-kernels), measured in one run:
 *  - the reference CNN (batch 64, Adam) trained by tfjs on wasm + ours, beside the scratch engine and
 *    PyTorch (CPU) on the same synthetic batches, rounds interleaved, medians;
 *  - notebook 03's tfjs MLP (512-256, dropout 0.2, batch 128) trained on MNIST images with and without
 *    our kernels, interleaved, with both models' validation accuracy (same seed, so the same accuracy
 *    up to float rounding).
 * Always on the wasm backend, even where tfjs-node is installed (which our kernels leave alone).
 */
import { tfjsReferenceCnn } from "./tfjs-reference-cnn";
import { torchSamplesPerSecond } from "./torch-peer";
import * as os from "os";
import type * as tfTypes from "@tensorflow/tfjs";
import { getTf, initBackend } from "../../lib/backend";
import { toMatrix } from "../../lib/data/dataset";
import { loadMnist } from "../../lib/data/mnist";
import { getKernels } from "../../lib/kernels";
import { matrix, type Matrix } from "../../lib/matrix";
import { referenceCnnLayers } from "../../lib/models/scratch";
import { TfMlpClassifier } from "../../lib/models/tfjs/mlp";
import { Adam } from "../../lib/nn/optimizers/adam";
import { Sequential } from "../../lib/nn/sequential";
import { train } from "../../lib/nn/train";
import { Random } from "../../lib/random";
import { registerWasmKernels, unregisterWasmKernels } from "../../lib/tfjs-kernels";
import { compared, interleave } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";

export const title = "TensorFlow.js on wasm with our kernels (lib/tfjs-kernels)";

const GROUP = "tfjs + our kernels";
const BATCH = 64;

function syntheticBatches(samples: number): { x: Float32Array; y: Uint8Array } {
  const random = new Random(0);
  const x = Float32Array.from({ length: samples * 784 }, () => random.next());
  const y = Uint8Array.from({ length: samples }, () => random.int(10));
  return { x, y };
}

/** tfjs's reference CNN, as in scripts/bench/cnn-training.ts, trained with trainOnBatch for `seconds`. */
async function tfjsCnnSamplesPerSecond(
  tf: typeof tfTypes,
  x: Float32Array,
  y: Uint8Array,
  seconds: number,
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
  for (let i = 0; i < 3; i++) await step(i);
  let steps = 0;
  const started = performance.now();
  while (steps < 5 || performance.now() - started < seconds * 1000) await step(steps++);
  const elapsed = (performance.now() - started) / 1000;
  model.dispose();
  return (steps * BATCH) / elapsed;
}

async function scratchSamplesPerSecond(x: Float32Array, y: Uint8Array): Promise<number> {
  const network = new Sequential(referenceCnnLayers(), [28, 28, 1], {
    batchCapacity: BATCH,
    seed: 0,
    kernels: getKernels(),
  });
  const options = { epochs: 1, batchSize: BATCH, learningRate: 1e-3, optimizer: new Adam() };
  await train(network, x.subarray(0, 4 * BATCH * 784), y.subarray(0, 4 * BATCH), options);
  const [log] = await train(network, x, y, options);
  return log.samplesPerSecond;
}

/** Notebook 03's tfjs MLP, one training run: samples/s and validation accuracy. */
async function mlpRun(
  trainSet: Matrix,
  labels: Uint8Array,
  validation: { x: Matrix; y: Uint8Array },
  epochs: number,
) {
  const model = new TfMlpClassifier({ hiddenSizes: [512, 256], dropout: 0.2, epochs, seed: 1 });
  await model.fit(trainSet, labels);
  const seconds = model.history.reduce((sum, log) => sum + log.seconds, 0);
  const accuracy = model.score(validation.x, validation.y);
  model.dispose();
  return { samplesPerSecond: (epochs * trainSet.rows) / seconds, accuracy };
}

export async function run({ quick, rounds }: BenchOptions): Promise<BenchRow[]> {
  await initBackend("wasm");
  const tf = getTf();
  const cnnRounds = rounds ?? (quick ? 1 : 5);
  const seconds = quick ? 3 : 8;
  const { x, y } = syntheticBatches((quick ? 8 : 30) * BATCH);
  let torchNote = "";
  let cnn;
  try {
    cnn = await interleave(cnnRounds, {
      tfjs: async () => {
        registerWasmKernels();
        const value = await tfjsCnnSamplesPerSecond(tf, x, y, seconds);
        unregisterWasmKernels();
        return value;
      },
      scratch: () => scratchSamplesPerSecond(x, y),
      torch: () => {
        const measured = torchSamplesPerSecond(seconds, os.availableParallelism(), BATCH);
        torchNote = measured.note;
        return measured.value;
      },
    });
  } finally {
    unregisterWasmKernels();
  }
  // Validation images come from the training set; the test set is not touched.
  const mnist = loadMnist({ trainLimit: quick ? 2000 : 10000, testLimit: 1 });
  const split = quick ? 1500 : 8000;
  const all = toMatrix(mnist.train);
  const trainSet = matrix(all.data.subarray(0, split * all.cols), split, all.cols);
  const validation = {
    x: matrix(all.data.subarray(split * all.cols), all.rows - split, all.cols),
    y: mnist.train.labels.subarray(split),
  };
  const labels = mnist.train.labels.subarray(0, split);
  const mlpEpochs = quick ? 1 : 2;
  const accuracies = { ours: 0, alone: 0 };
  let mlp;
  try {
    mlp = await interleave(quick ? 1 : 3, {
      alone: async () => {
        const result = await mlpRun(trainSet, labels, validation, mlpEpochs);
        accuracies.alone = result.accuracy;
        return result.samplesPerSecond;
      },
      ours: async () => {
        registerWasmKernels();
        const result = await mlpRun(trainSet, labels, validation, mlpEpochs);
        unregisterWasmKernels();
        accuracies.ours = result.accuracy;
        return result.samplesPerSecond;
      },
    });
  } finally {
    unregisterWasmKernels();
  }
  const note = `${getKernels().threads} threads, ${cnnRounds} interleaved rounds of ${seconds} s`;
  const percent = (v: number) => `${(100 * v).toFixed(2)}%`;
  return [
    {
      group: GROUP,
      name: "reference CNN: tfjs wasm + ours vs scratch engine",
      unit: "samples/s",
      peer: "scratch engine",
      ...compared(cnn.tfjs!, cnn.scratch, true),
      target: "≥ 0.50×",
      note,
    },
    {
      group: GROUP,
      name: "reference CNN: tfjs wasm + ours vs PyTorch",
      unit: "samples/s",
      peer: "PyTorch CPU",
      ...compared(cnn.tfjs!, cnn.torch, true),
      note: `${note}; ${torchNote}`,
    },
    {
      group: GROUP,
      name: "notebook 03 tfjs MLP 512-256: wasm + ours vs wasm alone",
      unit: "samples/s",
      peer: "tfjs wasm alone",
      ...compared(mlp.ours!, mlp.alone, true),
      target: "≥ 3×",
      note:
        `${mlpEpochs} epochs on ${split} MNIST images; validation accuracy ${percent(accuracies.ours)} ` +
        `with ours, ${percent(accuracies.alone)} without (${all.rows - split} images)`,
    },
  ];
}
