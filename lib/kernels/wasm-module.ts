/**
 * Loading dist/wasm/kernels.wasm (built by scripts/build-wasm.js from assembly/) and the typed view
 * of its exports. Every pointer argument is a byte address in the shared memory.
 */
import * as fs from "fs";
import * as path from "path";

/** Pages the module declares as its memory maximum (2 GiB); see asconfig.json. */
export const MAXIMUM_PAGES = 32768;

export const WASM_PATH = path.resolve(__dirname, "..", "..", "wasm", "kernels.wasm");

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
  col2im(
    cols: number, batch: number, height: number, width: number, channels: number,
    kernelHeight: number, kernelWidth: number, stride: number, pad: number, outHeight: number, outWidth: number, gradInput: number,
  ): void;
  maxPool(
    input: number, batch: number, height: number, width: number, channels: number, size: number, stride: number,
    outHeight: number, outWidth: number, output: number, argmax: number,
  ): void;
  maxPoolBackward(gradOutput: number, argmax: number, outputLength: number, gradInput: number, inputLength: number): void;
  relu(x: number, out: number, length: number): void;
  reluBackward(x: number, gradOut: number, gradIn: number, length: number): void;
  addBias(x: number, rows: number, cols: number, bias: number): void;
  sumRows(x: number, rows: number, cols: number, out: number): void;
}

/** Compiles the module synchronously, or returns undefined when it has not been built. */
export function loadKernelModule(file = WASM_PATH): WebAssembly.Module | undefined {
  if (!fs.existsSync(file)) return undefined;
  return new WebAssembly.Module(fs.readFileSync(file));
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
