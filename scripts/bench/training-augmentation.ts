/**
 * Does augmentation stall training? The speed and accuracy presets' networks train on the same MNIST
 * images without augmentation, and with each recipe (the tuned affine one, and affine + elastic) run two
 * ways: on the training thread between batches, and in the background (a worker thread augments batch
 * k + 1 while batch k trains; the images are the same). Rounds are interleaved (plain, affine on the
 * thread, affine in the background, …) and each trains for at least 6 s, however loaded the machine,
 * so a cost of a few percent is not lost in the warm-up or in one burst of load from elsewhere; each figure is the
 * median round's samples/s, min and max beside it, and the ratio is augmented / plain. The load
 * average over each preset's rounds goes in the note: other programs on the two cores take the idle
 * time a background worker would use.
 */
import * as os from "os";
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

/**
 * Each round trains for at least this long (whole passes over the images, as many as it takes), so a
 * round lasts the same on a quiet machine and a loaded one; 1 s rounds told nothing apart.
 */
const ROUND_SECONDS = 6;
/**
 * Images per pass, a fraction of a second on a quiet machine: every pass starts by augmenting its first
 * batch while nothing trains, so passes need enough batches for that to be a small share.
 */
const IMAGES = { speed: 32 * BATCH, accuracy: 16 * BATCH } as const;

/**
 * One round: passes of one epoch over the images with the given hook until ROUND_SECONDS have gone by,
 * after a warm-up on the first call (which also starts a background worker, kept between fits).
 */
function trainer(preset: CnnPreset, x: Float32Array, y: Uint8Array, seconds: number, augment?: AugmentHook) {
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
    const start = performance.now();
    let samples = 0;
    do {
      await train(network, x, y, options);
      samples += y.length;
    } while (performance.now() - start < seconds * 1000);
    return samples / ((performance.now() - start) / 1000);
  };
}

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const rounds = asked ?? (quick ? 2 : 5);
  const kernels = getKernels();
  const rows: BenchRow[] = [];
  for (const preset of ["speed", "accuracy"] as const) {
    const samples = quick ? 8 * BATCH : IMAGES[preset];
    const seconds = quick ? 0 : ROUND_SECONDS;
    const mnist = loadMnist({ trainLimit: samples, testLimit: 1 });
    const images = take(mnist.train, samples);
    const x = toMatrix(images).data;
    const y = images.labels;
    const hook = (recipe: AugmentOptions, inBackground: boolean) => makeAugmenter(recipe, { inBackground });
    const loadBefore = os.loadavg()[0];
    const spreads = await interleave(rounds, {
      plain: trainer(preset, x, y, seconds),
      affine: trainer(preset, x, y, seconds, hook(AFFINE, false)),
      affineBackground: trainer(preset, x, y, seconds, hook(AFFINE, true)),
      elastic: trainer(preset, x, y, seconds, hook(AFFINE_ELASTIC, false)),
      elasticBackground: trainer(preset, x, y, seconds, hook(AFFINE_ELASTIC, true)),
    });
    const load = `load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`;
    const note = `rounds of ≥ ${seconds} s over ${samples} MNIST images, batch ${BATCH}, ${kernels.name} × ${kernels.threads} threads, ${load}`;
    for (const [name, spread] of [
      ["affine (the presets' recipe), on the training thread", spreads.affine],
      ["affine, in the background", spreads.affineBackground],
      ["affine + elastic, on the training thread", spreads.elastic],
      ["affine + elastic, in the background", spreads.elasticBackground],
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
