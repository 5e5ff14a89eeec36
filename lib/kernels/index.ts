/**
 * Entry point for the compute kernels: `getKernels()` hands out one cached instance per configuration.
 * Synchronous on purpose, because callers are synchronous `predict` methods.
 */
import * as os from "os";
import type { Kernels } from "./api";
import { ReferenceKernels } from "./reference";
import { checkChoice, checkOptionKeys } from "../validation";
import { checkThreadCount } from "./thread-pool";
import { WasmKernels } from "./wasm";
import { WASM_PATH, loadKernelModule, type KernelModule } from "./wasm-module";

export * from "./api";

export interface KernelOptions {
  /** Threads for the parallel kernels, the caller included; default: every core. */
  threads?: number;
  /** Default "wasm"; "reference" forces the plain TypeScript kernels. */
  implementation?: "wasm" | "reference";
  /**
   * Default true: use the build with relaxed-SIMD fused multiply-add where the engine supports it
   * (results differ from the plain build in the last bits, never beyond float rounding).
   */
  relaxedSimd?: boolean;
}

const cache = new Map<string, Kernels>();
/** Compiled kernels per build: absent until first needed, null when the file is missing. */
const modules = new Map<boolean, KernelModule | null>();

export function getKernels(options: KernelOptions = {}): Kernels {
  checkOptionKeys("getKernels", options, ["threads", "implementation", "relaxedSimd"]);
  const implementation = checkChoice("getKernels", "implementation", options.implementation ?? "wasm", [
    "wasm",
    "reference",
  ]);
  if (options.threads !== undefined) checkThreadCount(options.threads);
  const threads = implementation === "reference" ? 1 : (options.threads ?? os.availableParallelism());
  const relaxedSimd = implementation === "wasm" && (options.relaxedSimd ?? true);
  const key = `${implementation}/${threads}/${relaxedSimd}`;
  let kernels = cache.get(key);
  if (!kernels) {
    kernels = create(implementation, threads, relaxedSimd);
    cache.set(key, kernels);
  }
  return kernels;
}

/** One line describing the kernels getKernels(options) returns, e.g. for a notebook header. */
export function describeKernels(options: KernelOptions = {}): string {
  const kernels = getKernels(options);
  const simd = !(kernels instanceof WasmKernels)
    ? "no SIMD"
    : kernels.fusedMultiplyAdd
      ? "128-bit SIMD (f32x4) with relaxed-SIMD FMA"
      : "128-bit SIMD (f32x4)";
  return `${kernels.name} kernels, ${kernels.threads} thread${kernels.threads === 1 ? "" : "s"}, ${simd}`;
}

function create(implementation: "wasm" | "reference", threads: number, relaxedSimd: boolean): Kernels {
  if (implementation === "reference") return new ReferenceKernels();
  if (!modules.has(relaxedSimd)) modules.set(relaxedSimd, loadKernelModule(relaxedSimd) ?? null);
  const loaded = modules.get(relaxedSimd);
  if (!loaded) {
    console.warn(
      `kernels: ${WASM_PATH} is missing (run \`npm run build\`); using the slow reference kernels`,
    );
    return new ReferenceKernels();
  }
  return new WasmKernels(loaded, threads);
}
