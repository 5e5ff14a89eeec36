/**
 * Augmentation throughput (images per second on one core, the hook runs on the training thread) for
 * affine, elastic and the typical mix, against the 50,000 images/s target; and PCA fit time on MNIST.
 * Each figure is the median of several rounds, min and max beside it.
 */
import { spread, type Spread } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";
import { Random } from "../../lib/random";
import { makeAugmenter } from "../../lib/augmentation";
import type { AugmentOptions } from "../../lib/augmentation";
import { PCA } from "../../lib/preprocessing";
import { getKernels } from "../../lib/kernels";
import { loadMnist } from "../../lib/data/mnist";
import { take, toMatrix } from "../../lib/data/dataset";

export const title = "Preprocessing and augmentation";

const AFFINE: AugmentOptions["affine"] = { rotation: 12, shift: 2, scale: 0.1, shear: 10 };
const ELASTIC: AugmentOptions["elastic"] = { alpha: 34, sigma: 4 };

const CASES: { name: string; options: AugmentOptions }[] = [
  { name: "affine (rotation, shift, scale, shear)", options: { affine: AFFINE } },
  { name: "elastic (alpha 34, sigma 4)", options: { elastic: ELASTIC } },
  { name: "mix: affine + elastic", options: { affine: AFFINE, elastic: ELASTIC } },
];

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const rounds = asked ?? (quick ? 3 : 5);
  const rows: BenchRow[] = [];
  const mnist = loadMnist({ trainLimit: quick ? 10_000 : 60_000 });
  const batchSize = 256;
  const batch = toMatrix(take(mnist.train, batchSize)).data;
  for (const { name, options } of CASES) {
    const augment = makeAugmenter(options);
    const random = new Random(1);
    const work = new Float32Array(batch.length);
    const rate = rateSpread(rounds, quick ? 0.2 : 0.5, () => {
      work.set(batch);
      augment(work, batchSize, random);
      return batchSize;
    });
    rows.push({
      group: "augmentation",
      name,
      value: rate.median,
      min: rate.min,
      max: rate.max,
      rounds,
      unit: "images/CPU-s",
      target: "≥ 50,000 per core",
    });
  }

  const x = toMatrix(mnist.train);
  const kernels = getKernels();
  for (const nComponents of [50, 784]) {
    const times: number[] = [];
    for (let round = 0; round < Math.min(rounds, 3); round++) {
      const started = process.hrtime.bigint();
      new PCA({ nComponents, kernels }).fit(x);
      times.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    const seconds = spread(times);
    rows.push({
      group: "preprocessing",
      name: `PCA fit, ${x.rows}×${x.cols}, ${nComponents} components`,
      value: seconds.median,
      min: seconds.min,
      max: seconds.max,
      rounds: seconds.rounds,
      unit: "s",
      target: x.rows === 60_000 ? "< 2 s" : undefined,
      note: `kernels: ${kernels.name}, ${kernels.threads} thread(s)`,
    });
  }
  return rows;
}

/**
 * Items per CPU-second of this process (per core: the hook is single-threaded) over several rounds,
 * each running `step` for at least `seconds` of CPU time. CPU time rather than wall time because the
 * cores are shared: other processes stretch wall time.
 */
function rateSpread(rounds: number, seconds: number, step: () => number): Spread {
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let items = 0;
    const started = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < seconds) {
      items += step();
      const used = process.cpuUsage(started);
      elapsed = (used.user + used.system) / 1e6;
    }
    rates.push(items / elapsed);
  }
  return spread(rates);
}
