/**
 * GEMM throughput of the wasm kernels (1 thread and all cores) against tfjs-wasm `tf.matMul`,
 * measured in the same run on the same shapes. Each figure is the best of several timed rounds,
 * since other processes on the machine can only ever make a round slower.
 */
import * as os from "os";
import { getKernels, type Kernels } from "../../lib/kernels";
import type { BenchRow } from "./types";

export const title = "GEMM (wasm SIMD kernels vs tfjs-wasm matMul)";

/** (m, k, n): a dense layer on a 1024 batch, a 128 batch, and a 3×3 conv over 26×26×8 as im2col. */
const SHAPES: Array<[m: number, k: number, n: number]> = [
  [1024, 784, 1024],
  [128, 784, 128],
  [5408, 9, 32],
];

const TARGETS: Record<string, string> = {
  "1024x784x1024 1T": "≥ 40 GFLOPS",
  "1024x784x1024 2T": "≥ 75 GFLOPS",
};

interface Timing {
  gflops: number;
  median: number;
}

export async function run({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const tf = await loadTfjsWasm();
  const cores = os.availableParallelism();
  const builds = [getKernels({ threads: 1 }), ...(cores > 1 ? [getKernels({ threads: cores })] : [])];
  const rounds = quick ? 3 : 7;
  const roundSeconds = quick ? 0.1 : 0.4;
  const rows: BenchRow[] = [];
  for (const [m, k, n] of SHAPES) {
    const flops = 2 * m * n * k;
    const peer = measure(timeTfjs(tf, m, k, n), flops, rounds, roundSeconds);
    for (const kernels of builds) {
      const ours = measure(timeOurs(kernels, m, k, n), flops, rounds, roundSeconds);
      const key = `${m}x${k}x${n} ${kernels.threads}T`;
      rows.push({
        group: "gemm",
        name: `m=${m} k=${k} n=${n}, ${kernels.name} ${kernels.threads} thread${kernels.threads > 1 ? "s" : ""}`,
        value: ours.gflops,
        unit: "GFLOPS",
        peer: `tfjs-wasm matMul (${tf.threads} thread${tf.threads > 1 ? "s" : ""})`,
        peerValue: peer.gflops,
        ratio: ours.gflops / peer.gflops,
        target: TARGETS[key],
        note: `best of ${rounds} rounds; median ${ours.median.toFixed(1)} (peer ${peer.median.toFixed(1)})`,
      });
    }
  }
  return rows;
}

/** Calls `once` repeatedly: a warm-up round, then `rounds` timed rounds of about `roundSeconds`. */
function measure(once: () => void, flops: number, rounds: number, roundSeconds: number): Timing {
  let start = performance.now();
  let calls = 0;
  do {
    once();
    calls++;
  } while (performance.now() - start < roundSeconds * 1000);
  const perRound = Math.max(1, calls);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    start = performance.now();
    for (let i = 0; i < perRound; i++) once();
    const seconds = (performance.now() - start) / 1000;
    rates.push((flops * perRound) / seconds / 1e9);
  }
  rates.sort((x, y) => x - y);
  return { gflops: rates[rates.length - 1], median: rates[Math.floor(rates.length / 2)] };
}

function timeOurs(kernels: Kernels, m: number, k: number, n: number): () => void {
  const a = kernels.alloc(m * k).map(() => Math.random() - 0.5);
  const b = kernels.alloc(k * n).map(() => Math.random() - 0.5);
  const c = kernels.alloc(m * n);
  return () => kernels.gemm(false, false, m, n, k, 1, a, b, 0, c);
}

type Tf = typeof import("@tensorflow/tfjs");

interface TfjsWasm {
  tf: Tf;
  threads: number;
}

async function loadTfjsWasm(): Promise<TfjsWasm> {
  const tf: Tf = require("@tensorflow/tfjs");
  const wasm: typeof import("@tensorflow/tfjs-backend-wasm") = require("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend("wasm");
  await tf.ready();
  return { tf, threads: wasm.getThreadsCount() };
}

function timeTfjs({ tf }: TfjsWasm, m: number, k: number, n: number): () => void {
  const a = tf.randomUniform([m, k], -0.5, 0.5);
  const b = tf.randomUniform([k, n], -0.5, 0.5);
  // The wasm backend computes eagerly inside matMul; disposing the result frees its output buffer.
  return () => tf.matMul(a, b).dispose();
}
