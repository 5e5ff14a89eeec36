/**
 * Entry point for the compute kernels: `getKernels()` hands out one cached instance per configuration.
 * Synchronous on purpose, because callers are synchronous `predict` methods.
 */
import * as os from "os";
import type { Kernels } from "./api";
import { ReferenceKernels } from "./reference";
import { WasmKernels } from "./wasm";
import { WASM_PATH, loadKernelModule } from "./wasm-module";

export * from "./api";

export interface KernelOptions {
  /** Threads for the parallel kernels, the caller included; default: every core. */
  threads?: number;
  /** Default "wasm"; "reference" forces the plain TypeScript kernels. */
  implementation?: "wasm" | "reference";
}

const cache = new Map<string, Kernels>();
/** The compiled kernels module: undefined until first needed, null when the file is missing. */
let compiledModule: WebAssembly.Module | null | undefined;

export function getKernels(options: KernelOptions = {}): Kernels {
  const implementation = options.implementation ?? "wasm";
  const threads = implementation === "reference" ? 1 : options.threads ?? os.availableParallelism();
  const key = `${implementation}/${threads}`;
  let kernels = cache.get(key);
  if (!kernels) {
    kernels = create(implementation, threads);
    cache.set(key, kernels);
  }
  return kernels;
}

/** One line describing the kernels getKernels(options) returns, e.g. for a notebook header. */
export function describeKernels(options: KernelOptions = {}): string {
  const kernels = getKernels(options);
  const simd = kernels.name === "wasm-simd" ? "128-bit SIMD (f32x4)" : "no SIMD";
  return `${kernels.name} kernels, ${kernels.threads} thread${kernels.threads === 1 ? "" : "s"}, ${simd}`;
}

function create(implementation: "wasm" | "reference", threads: number): Kernels {
  if (implementation === "reference") return new ReferenceKernels();
  if (compiledModule === undefined) compiledModule = loadKernelModule() ?? null;
  if (compiledModule === null) {
    console.warn(`kernels: ${WASM_PATH} is missing (run \`npm run build\`); using the slow reference kernels`);
    return new ReferenceKernels();
  }
  return new WasmKernels(compiledModule, threads);
}
