/**
 * TensorFlow.js backend selection, in one place: native tfjs-node when it loads, else WebAssembly,
 * else the pure-JS cpu backend. Every notebook prints `describeBackend()` at the top.
 *
 * | backend    | matMul         | conv training                           |
 * |------------|----------------|-----------------------------------------|
 * | tensorflow | native, fast   | yes                                     |
 * | wasm       | SIMD, fast     | with our kernels (lib/tfjs-kernels)     |
 * | cpu        | plain JS, slow | works, at a few samples per second      |
 *
 * `useOurWasmKernels()` registers our threaded kernels into the wasm backend (lib/tfjs-kernels), which
 * adds the missing filter gradient: conv layers then train on wasm too.
 */
import type * as tfTypes from "@tensorflow/tfjs";

export type BackendName = "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  name: BackendName;
  /** Why this backend was chosen (including why better ones were not). */
  reason: string;
  /** Whether convolution layers can be trained at a practical speed here. */
  canTrainConv: boolean;
  /** The wasm backend's kernels replaced or added by ours (lib/tfjs-kernels); absent when none. */
  ourKernels?: string[];
}

let tf: typeof tfTypes | null = null;
let active: BackendInfo | null = null;

/**
 * Picks and activates the best available backend (cached). `prefer` forces one, for tests and
 * benchmarks; forcing "tensorflow" where tfjs-node is missing is an error.
 */
export async function initBackend(prefer?: BackendName): Promise<BackendInfo> {
  if (active && (!prefer || prefer === active.name)) return active;
  const notes: string[] = [];
  const order: BackendName[] = prefer ? [prefer] : ["tensorflow", "wasm", "cpu"];
  for (const name of order) {
    try {
      const lib = loadTf(name);
      const ok = await lib.setBackend(name);
      if (!ok) throw new Error(`tf.setBackend("${name}") returned false`);
      await lib.ready();
      tf = lib;
      active = { name, reason: reasonFor(name, notes), canTrainConv: convTrainingPractical(lib, name) };
      const ours = name === "wasm" ? registeredOnWasm() : [];
      if (ours.length) active.ourKernels = ours;
      return active;
    } catch (err) {
      notes.push(`${name} unavailable: ${whyUnavailable(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be initialised: ${notes.join("; ")}`);
}

/**
 * On the wasm backend, registers our threaded kernels into it (lib/tfjs-kernels: Conv2DBackpropFilter,
 * which it lacks, and faster conv and matMul kernels), so conv layers train; on any other backend,
 * changes nothing. Returns the updated backend info.
 */
export function useOurWasmKernels(): BackendInfo {
  if (!active) throw new Error("TensorFlow.js is not initialised: `await initBackend()` first");
  if (active.name !== "wasm") return active;
  // Required here, not imported: loading the kernels starts nothing until they are wanted.
  const { registerWasmKernels } = require("./tfjs-kernels") as typeof import("./tfjs-kernels");
  const ourKernels = registerWasmKernels();
  active = { ...active, ourKernels, canTrainConv: convTrainingPractical(getTf(), "wasm") };
  return active;
}

/** Puts the wasm backend's own kernels back (conv layers cannot train on wasm again). */
export function stopUsingOurWasmKernels(): BackendInfo | null {
  if (registeredOnWasm().length === 0) return active;
  (require("./tfjs-kernels") as typeof import("./tfjs-kernels")).unregisterWasmKernels();
  if (active?.name !== "wasm") return active;
  const { ourKernels: _, ...rest } = active;
  active = { ...rest, canTrainConv: convTrainingPractical(getTf(), "wasm") };
  return active;
}

/** The tfjs module bound to the active backend; call `initBackend` first. */
export function getTf(): typeof tfTypes {
  if (!tf) throw new Error("TensorFlow.js is not initialised: `await initBackend()` first");
  return tf;
}

export function activeBackend(): BackendInfo | null {
  return active;
}

/** One line for the top of a notebook: the backend, why, and what it can do. */
export function describeBackend(info: BackendInfo | null = active): string {
  if (!info) return "TensorFlow.js: not initialised";
  const conv = info.canTrainConv
    ? "can train CNNs"
    : "cannot train CNNs at a practical speed (the scratch engine can)";
  const ours = info.ourKernels?.length ? `; our threaded kernels: ${info.ourKernels.join(", ")}` : "";
  return `TensorFlow.js backend: ${info.name} — ${info.reason}${ours}; ${conv}.`;
}

/** Throws a clear error, instead of hanging for hours, when conv layers cannot be trained here. */
export function assertCanTrainConv(info: BackendInfo | null = active): void {
  if (!info) throw new Error("TensorFlow.js is not initialised: `await initBackend()` first");
  if (info.canTrainConv) return;
  const why =
    info.name === "wasm"
      ? "the wasm backend has no Conv2DBackpropFilter kernel, so conv layers cannot be trained " +
        "(`useOurWasmKernels()` adds ours; `setupNotebook()` does it)"
      : "the cpu backend trains a small CNN at a few samples per second (hours for one epoch of MNIST)";
  throw new Error(
    `Training a TensorFlow.js CNN is impractical on the '${info.name}' backend: ${why}. ` +
      "Install @tensorflow/tfjs-node (see README, Troubleshooting) or use the from-scratch CnnClassifier.",
  );
}

function loadTf(name: BackendName): typeof tfTypes {
  if (name === "tensorflow") return require("@tensorflow/tfjs-node") as typeof tfTypes;
  const lib = require("@tensorflow/tfjs") as typeof tfTypes;
  if (name === "wasm") require("@tensorflow/tfjs-backend-wasm");
  return lib;
}

function convTrainingPractical(lib: typeof tfTypes, name: BackendName): boolean {
  if (name === "cpu") return false;
  return lib.getKernel("Conv2DBackpropFilter", name) !== undefined;
}

/** Our kernels registered for wasm, without loading lib/tfjs-kernels when nothing loaded it. */
function registeredOnWasm(): string[] {
  const path = require.resolve("./tfjs-kernels");
  if (!require.cache[path]) return [];
  return (require(path) as typeof import("./tfjs-kernels")).registeredWasmKernels();
}

function reasonFor(name: BackendName, notes: string[]): string {
  const base = {
    tensorflow: "native libtensorflow via @tensorflow/tfjs-node",
    wasm: "WebAssembly SIMD via @tensorflow/tfjs-backend-wasm",
    cpu: "pure JavaScript fallback",
  }[name];
  return notes.length ? `${base} (${notes.join("; ")})` : base;
}

function whyUnavailable(err: unknown): string {
  if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String(err).includes("tfjs-node")) {
    return "@tensorflow/tfjs-node is not installed";
  }
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0].slice(0, 160);
}
