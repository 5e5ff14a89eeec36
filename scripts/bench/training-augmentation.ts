/**
 * Does augmentation stall training? The speed and accuracy presets' networks train on the same MNIST
 * images with and without their augmentation hook (the tuned affine recipe, and affine + elastic), in
 * interleaved rounds (plain, affine, affine + elastic, plain, …); each figure is the median round's
 * samples/s, min and max beside it, and the ratio is augmented / plain. The hook runs on the training
 * thread between batches, so whatever it costs shows up here as a ratio below 1.
 */
import { makeAugmenter, type AugmentOptions } from "../../lib/augmentation";
import { take, toMatrix } from "../../lib/data/dataset";
import { loadMnist } from "../../lib/data/mnist";
import { getKernels } from "../../lib/kernels";
import { CNN_PRESET_SPECS, type CnnPreset } from "../../lib/models/scratch/cnn-presets";
import { AdamW } from "../../lib/nn/optimizers/adam";
import { Sequential } from "../../lib/nn/sequential";
import { train, type AugmentHook } from "../../lib/nn/train";
import { compared, interleave } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";

export const title = "Training with and without augmentation (samples/s, interleaved rounds)";

const GROUP = "training augmentation";
const BATCH = 64;
const AFFINE: AugmentOptions = { affine: { rotation: 10, shift: 2, scale: 0.1 } };
const AFFINE_ELASTIC: AugmentOptions = { ...AFFINE, elastic: { alpha: 34, sigma: 4 } };

/** One round: an epoch over the images with the given hook, after a warm-up on the first call. */
function trainer(preset: CnnPreset, x: Float32Array, y: Uint8Array, augment?: AugmentHook) {
  const network = new Sequential(CNN_PRESET_SPECS[preset].layers(10), [28, 28, 1], {
    batchCapacity: BATCH,
    seed: 0,
    kernels: getKernels(),
  });
  const options = { epochs: 1, batchSize: BATCH, learningRate: 1e-3, optimizer: new AdamW(), augment };
  let warm = false;
  return async (): Promise<number> => {
    if (!warm) await train(network, x.subarray(0, 4 * BATCH * 784), y.subarray(0, 4 * BATCH), options);
    warm = true;
    const [log] = await train(network, x, y, options);
    return log.samplesPerSecond;
  };
}

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const rounds = asked ?? (quick ? 3 : 5);
  const kernels = getKernels();
  const rows: BenchRow[] = [];
  for (const preset of ["speed", "accuracy"] as const) {
    const samples = (quick ? 8 : preset === "speed" ? 60 : 30) * BATCH;
    const mnist = loadMnist({ trainLimit: samples, testLimit: 1 });
    const images = take(mnist.train, samples);
    const x = toMatrix(images).data;
    const y = images.labels;
    const spreads = await interleave(rounds, {
      plain: trainer(preset, x, y),
      affine: trainer(preset, x, y, makeAugmenter(AFFINE)),
      elastic: trainer(preset, x, y, makeAugmenter(AFFINE_ELASTIC)),
    });
    const note = `${samples} MNIST images per round, batch ${BATCH}, ${kernels.name} × ${kernels.threads} threads`;
    for (const [name, spread] of [
      ["affine (the presets' recipe)", spreads.affine],
      ["affine + elastic", spreads.elastic],
    ] as const) {
      rows.push({
        group: GROUP,
        name: `${preset} preset, ${name}`,
        unit: "samples/s",
        peer: "no augmentation",
        ...compared(spread!, spreads.plain, true),
        target: "ratio ≥ 0.95 (no stall)",
        note,
      });
    }
  }
  return rows;
}
