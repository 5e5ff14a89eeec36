/**
 * GEMM throughput of the wasm kernels (1 thread and all cores) against tfjs-wasm `tf.matMul`,
 * measured in the same run on the same shapes, in interleaved rounds: each figure is the median
 * round, with the slowest and fastest beside it.
 */
import * as os from "os";
import { getKernels, type Kernels } from "../../lib/kernels";
import { WasmKernels } from "../../lib/kernels/wasm";
import { compared, spread, type Spread } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";

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

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const tf = await loadTfjsWasm();
  const cores = os.availableParallelism();
  // The default (relaxed-SIMD FMA where supported) on 1 thread and all cores, then plain SIMD on 1.
  const builds = [
    getKernels({ threads: 1 }),
    ...(cores > 1 ? [getKernels({ threads: cores })] : []),
    getKernels({ threads: 1, relaxedSimd: false }),
  ];
  // This VM's speed drifts by ±30% over seconds (both cores, every program alike): many short rounds,
  // interleaved, give every candidate the same chances at the machine's quiet moments.
  const rounds = asked ?? (quick ? 3 : 15);
  const roundSeconds = quick ? 0.1 : 0.25;
  const rows: BenchRow[] = [];
  for (const [m, k, n] of SHAPES) {
    const flops = 2 * m * n * k;
    const [peer, ...ours] = measureInterleaved(
      [timeTfjs(tf, m, k, n), ...builds.map((kernels) => timeOurs(kernels, m, k, n))],
      flops,
      rounds,
      roundSeconds,
    );
    builds.forEach((kernels, index) => {
      const fma = kernels instanceof WasmKernels && kernels.fusedMultiplyAdd;
      const key = `${m}x${k}x${n} ${kernels.threads}T${fma ? "" : " no-fma"}`;
      rows.push({
        group: "gemm",
        name: `m=${m} k=${k} n=${n}, ${kernels.name}${fma ? "+fma" : ""} ${kernels.threads} thread${kernels.threads > 1 ? "s" : ""}`,
        unit: "GFLOPS",
        peer: `tfjs-wasm matMul (${tf.threads} thread${tf.threads > 1 ? "s" : ""})`,
        ...compared(ours[index], peer, true),
        target: TARGETS[key],
        note: `${rounds} interleaved rounds of about ${roundSeconds} s`,
      });
    });
  }
  return rows;
}

/**
 * Times each candidate: a warm-up of about `roundSeconds` (which also sizes its rounds), then
 * `rounds` rounds taken in turn, so a burst of load from elsewhere hits every candidate alike.
 */
function measureInterleaved(
  candidates: Array<() => void>,
  flops: number,
  rounds: number,
  roundSeconds: number,
): Spread[] {
  const callsPerRound = candidates.map((once) => {
    const start = performance.now();
    let calls = 0;
    do {
      once();
      calls++;
    } while (performance.now() - start < roundSeconds * 1000);
    return calls;
  });
  const rates: number[][] = candidates.map(() => []);
  for (let round = 0; round < rounds; round++) {
    candidates.forEach((once, index) => {
      const start = performance.now();
      for (let i = 0; i < callsPerRound[index]; i++) once();
      const seconds = (performance.now() - start) / 1000;
      rates[index].push((flops * callsPerRound[index]) / seconds / 1e9);
    });
  }
  return rates.map((list) => spread(list));
}

function timeOurs(kernels: Kernels, m: number, k: number, n: number): () => void {
  // Operands live in the kernels' own memory, as the engine's tensors do (and tfjs's in its backend),
  // so no call pays for copying them in; `map` would return a copy outside it.
  const a = fillRandom(kernels.alloc(m * k));
  const b = fillRandom(kernels.alloc(k * n));
  const c = kernels.alloc(m * n);
  return () => kernels.gemm(false, false, m, n, k, 1, a, b, 0, c);
}

function fillRandom(array: Float32Array): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = Math.random() - 0.5;
  return array;
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
