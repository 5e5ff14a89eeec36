/**
 * Training throughput of the reference CNN (conv3×3×32-ReLU, maxpool2, conv3×3×64-ReLU, maxpool2,
 * dense128-ReLU, dense10; Adam; batch size 64) for the scratch engine, TensorFlow.js and PyTorch (CPU),
 * on the same synthetic batches (uniform pixels, random labels), each with every core, in interleaved
 * rounds (ours, PyTorch, TensorFlow.js, ours, …): each figure is the median round, min and max beside
 * it. Also the peak RSS of a child process training the scratch CNN on the full 60k training set.
 */
import { BATCH, syntheticBatches, tfjsSamplesPerSecond } from "./tfjs-reference-cnn";
import { torchSamplesPerSecond } from "./torch-peer";
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { initBackend, getTf } from "../../lib/backend";
import { getKernels } from "../../lib/kernels";
import { referenceCnnLayers } from "../../lib/models/scratch";
import { Adam } from "../../lib/nn/optimizers/adam";
import { Sequential } from "../../lib/nn/sequential";
import { train } from "../../lib/nn/train";
import { compared, interleave } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";

export const title = "CNN training throughput (reference CNN, batch 64)";

const GROUP = "cnn training";
const projectRoot = path.resolve(__dirname, "..", "..", "..");

/**
 * One round trains an epoch over the synthetic batches; the first call also warms up. `winograd`
 * false runs conv2's forward as im2col + GEMM instead of Winograd's F(2×2, 3×3), to measure what it adds.
 */
function scratchTrainer(x: Float32Array, y: Uint8Array, winograd = true): () => Promise<number> {
  const network = new Sequential(referenceCnnLayers(), [28, 28, 1], {
    batchCapacity: BATCH,
    seed: 0,
    kernels: getKernels(),
    winograd,
  });
  const options = { epochs: 1, batchSize: BATCH, learningRate: 1e-3, optimizer: new Adam() };
  let warm = false;
  return async () => {
    // Warm-up: JIT, worker threads, first-touch of every buffer.
    if (!warm) await train(network, x.subarray(0, 8 * BATCH * 784), y.subarray(0, 8 * BATCH), options);
    warm = true;
    const [log] = await train(network, x, y, options);
    return log.samplesPerSecond;
  };
}

/**
 * A round of TensorFlow.js training on its best backend that can train conv layers. The wasm backend
 * has no Conv2DBackpropFilter kernel; the cpu backend can train, at seconds per batch, so its rounds are
 * bounded: one batch after warm-up (quick) or about 20 s, in at most the first three rounds.
 */
async function tfjsTrainer(
  x: Float32Array,
  y: Uint8Array,
  quick: boolean,
): Promise<{ round: (i: number) => Promise<number | undefined>; note: string }> {
  try {
    const info = await initBackend();
    if (info.canTrainConv) {
      return {
        round: () => tfjsSamplesPerSecond(getTf(), x, y, { seconds: quick ? 3 : 10, minSteps: 3 }),
        note: `tfjs ${info.name} backend`,
      };
    }
    const fallback = await initBackend("cpu");
    return {
      round: async (i) =>
        i < 3 ? tfjsSamplesPerSecond(getTf(), x, y, { seconds: quick ? 0 : 20, minSteps: 1 }) : undefined,
      note: `tfjs ${info.name} backend cannot train conv layers (no Conv2DBackpropFilter); measured on the ${fallback.name} backend over a few batches`,
    };
  } catch (error) {
    return { round: async () => undefined, note: `tfjs skipped: ${(error as Error).message}` };
  }
}

/** Peak RSS of a child process that trains the scratch reference CNN on the full training set. */
function peakRss(quick: boolean): { value?: number; note: string } {
  const script = path.join(projectRoot, "dist", "scripts", "train-cnn.js");
  const limit = quick ? ["--train-limit", "6000"] : [];
  const run = spawnSync(
    process.execPath,
    [script, "--preset", "reference", "--epochs", "1", "--validation", "0", "--json", ...limit],
    { encoding: "utf8" },
  );
  if (run.status !== 0) return { note: `train-cnn failed: ${run.stderr.trim().split("\n").pop()}` };
  const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
  return {
    value: result.maxRssMB,
    note: `1 epoch on ${result.trainImages} MNIST images, ${Math.round(result.samplesPerSecond)} samples/s, test accuracy ${(100 * result.testAccuracy).toFixed(2)}%`,
  };
}

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const threads = os.availableParallelism();
  const kernels = getKernels();
  const { x, y } = syntheticBatches((quick ? 10 : 60) * BATCH);
  const rounds = asked ?? (quick ? 2 : 5);
  const scratch = scratchTrainer(x, y);
  const withoutWinograd = scratchTrainer(x, y, false);
  const tfjs = await tfjsTrainer(x, y, quick);
  let torchNote = "";
  const spreads = await interleave(rounds, {
    ours: () => scratch(),
    torch: () => {
      const measured = torchSamplesPerSecond(quick ? 3 : 10, threads, BATCH);
      torchNote = measured.note;
      return measured.value;
    },
    tfjs: (round) => tfjs.round(round),
    im2col: () => withoutWinograd(),
  });
  const rss = peakRss(quick);
  const ours = spreads.ours!;
  const ourNote = `${kernels.name}, ${kernels.threads} threads`;
  // The issue's bar: our median against PyTorch's best round, as well as against its median.
  const againstBest = spreads.torch
    ? `; ours / PyTorch's best round ${(ours.median / spreads.torch.max).toFixed(2)}×`
    : "";
  return [
    {
      group: GROUP,
      name: "reference CNN vs PyTorch",
      unit: "samples/s",
      peer: "PyTorch CPU",
      ...compared(ours, spreads.torch, true),
      target: "≥ 2× PyTorch's best round",
      note: `${ourNote}; ${torchNote}${againstBest}`,
    },
    {
      group: GROUP,
      name: "reference CNN vs TensorFlow.js",
      unit: "samples/s",
      peer: "TensorFlow.js",
      ...compared(ours, spreads.tfjs, true),
      note: `${ourNote}; ${tfjs.note}${spreads.tfjs ? `, ${spreads.tfjs.rounds} rounds` : ""}`,
    },
    {
      group: GROUP,
      name: "reference CNN: conv2 forward by Winograd vs im2col + GEMM",
      unit: "samples/s",
      peer: "ours, im2col + GEMM",
      ...compared(ours, spreads.im2col, true),
      note: `${ourNote}; the same network built with winograd: false`,
    },
    {
      group: GROUP,
      name: "peak RSS training on MNIST",
      value: rss.value ?? NaN,
      unit: "MB",
      rounds: rss.value === undefined ? undefined : 1,
      target: "< 1536 MB",
      note: rss.note,
    },
  ];
}
