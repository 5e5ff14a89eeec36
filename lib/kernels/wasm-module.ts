/**
 * Loading the kernels module (built by scripts/build-wasm.js from assembly/) and the typed view of its
 * exports. Every pointer argument is a byte address in the shared memory.
 */
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";

/** Pages the module declares as its memory maximum (2 GiB); see asconfig.json. */
export const MAXIMUM_PAGES = 32768;

export const WASM_PATH = path.resolve(__dirname, "..", "..", "wasm", "kernels.wasm");
/** The same kernels with relaxed-SIMD fused multiply-add in the GEMM micro kernel. */
export const RELAXED_WASM_PATH = path.resolve(__dirname, "..", "..", "wasm", "kernels-relaxed.wasm");

export interface KernelModule {
  module: WebAssembly.Module;
  /** True for the relaxed-SIMD build, whose GEMM uses fused multiply-add. */
  fusedMultiplyAdd: boolean;
}

export interface KernelExports {
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, scratch: number,
  ): void;
  gemmScratchBytes(): number;
  im2col(
    input: number, batch: number, height: number, width: number, channels: number,
    kernelHeight: number, kernelWidth: number, stride: number, pad: number, outHeight: number, outWidth: number, cols: number,
  ): void;
  convForward(
    input: number, batch: number, height: number, width: number, channels: number,
    kernelHeight: number, kernelWidth: number, stride: number, pad: number, outHeight: number, outWidth: number,
    filters: number, weights: number, bias: number, cols: number, output: number, scratch: number,
  ): void;
  col2im(
    cols: number, batch: number, height: number, width: number, channels: number,
    kernelHeight: number, kernelWidth: number, stride: number, pad: number, outHeight: number, outWidth: number, gradInput: number,
  ): void;
  maxPool(
    input: number, firstImage: number, images: number, height: number, width: number, channels: number,
    size: number, stride: number, outHeight: number, outWidth: number, output: number, argmax: number,
  ): void;
  maxPoolCheckArgmax(argmax: number, batch: number, outImage: number, inImage: number): number;
  maxPoolBackward(
    gradOutput: number, argmax: number, firstImage: number, images: number, outImage: number, gradInput: number, inImage: number,
  ): void;
  convGradRouted(cols: number, values: number, argmax: number, count: number, patch: number, filters: number, sums: number): void;
  convWeightGradSparse(cols: number, gradOutput: number, rows: number, patch: number, filters: number, stride: number, gradWeights: number, scratch: number): void;
  convInputGradSparse(
    gradOutput: number, weights: number, batch: number, height: number, width: number, channels: number,
    kernelHeight: number, kernelWidth: number, stride: number, pad: number, outHeight: number, outWidth: number,
    filters: number, gradInput: number, scratch: number,
  ): void;
  adamStep(
    w: number, g: number, m: number, v: number, length: number, beta1: number, oneMinusBeta1: number,
    beta2: number, oneMinusBeta2: number, stepSize: number, epsilonHat: number, coupled: number, shrink: number,
  ): void;
  relu(x: number, out: number, length: number): void;
  reluBackward(x: number, gradOut: number, gradIn: number, length: number): void;
  addBias(x: number, rows: number, cols: number, bias: number): void;
  sumRows(x: number, rows: number, cols: number, out: number): void;
  sumRowsOfProducts(x: number, y: number, rows: number, cols: number, out: number): void;
  /** b = 0: no b term. */
  combineColumns(a: number, wa: number, b: number, wb: number, shift: number, rows: number, cols: number, out: number): void;
}

/**
 * Compiles the kernels synchronously: the relaxed-SIMD build when wanted and the engine can run it,
 * else the plain SIMD build; undefined when neither has been built.
 */
export function loadKernelModule(preferRelaxed = true): KernelModule | undefined {
  if (preferRelaxed && fs.existsSync(RELAXED_WASM_PATH)) {
    const bytes = fs.readFileSync(RELAXED_WASM_PATH);
    if (relaxedSimdAvailable(bytes)) return { module: new WebAssembly.Module(bytes), fusedMultiplyAdd: true };
  }
  if (!fs.existsSync(WASM_PATH)) return undefined;
  return { module: new WebAssembly.Module(fs.readFileSync(WASM_PATH)), fusedMultiplyAdd: false };
}

/**
 * Relaxed SIMD is on by default from V8 11.4 (Node 22). Node 20 ships it behind a flag that can still
 * be switched on at run time, before a module using it is compiled; it only adds instructions, so no
 * other code in the process is affected.
 */
function relaxedSimdAvailable(bytes: Uint8Array): boolean {
  if (WebAssembly.validate(bytes)) return true;
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  return WebAssembly.validate(bytes);
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
