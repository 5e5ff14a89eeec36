/**
 * Loading the kernels module (built by scripts/build-wasm.js from assembly/) and the typed view of its
 * exports. Every pointer argument is a byte address in the shared memory.
 */
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";
import { checkExports, type KernelExports } from "./exports";

export type { KernelExports };

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
 *
 * `BufferSource`, not `Uint8Array`: from TypeScript 5.7 a bare Uint8Array may sit on a
 * SharedArrayBuffer, which WebAssembly.validate does not take, while readFileSync's buffer is known not
 * to. (`npm run build` ran tslab's bundled TypeScript 5.0 through node_modules/.bin/tsc and missed this;
 * `npm run lab` runs the project's 5.9.)
 */
function relaxedSimdAvailable(bytes: BufferSource): boolean {
  if (WebAssembly.validate(bytes)) return true;
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  return WebAssembly.validate(bytes);
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  checkExports(instance.exports);
  return instance.exports as unknown as KernelExports;
}
