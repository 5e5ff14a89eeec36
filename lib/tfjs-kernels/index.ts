/**
 * Our threaded WebAssembly SIMD kernels registered into TensorFlow.js's `wasm` backend, so that plain
 * tfjs code trains CNNs where the native backend (@tensorflow/tfjs-node) cannot install:
 *
 *   registerWasmKernels();            // before or after tf.setBackend("wasm")
 *   model.fit(...);                   // conv layers now train on wasm
 *   unregisterWasmKernels();          // the wasm backend's own kernels again
 *
 * `Conv2DBackpropFilter` is missing from tfjs-backend-wasm 4.22 (tensorflow/tfjs#8474); the others
 * replace its single-threaded kernels where they are slow in training: convolutions and their input
 * gradient, matrix products, max pooling (whose arg-max its gradient reuses) and the bias gradient's
 * sum; and Identity and Slice, which tfjs-wasm makes copy whole tensors. Written against the
 * TensorFlow.js 4.x kernel signatures; any other version, or an attribute these kernels do not compute
 * (NCHW, dilated gradients, unequal strides), is refused with an error naming the kernel and the
 * attribute. Calls the wasm backend computes itself (dilated forward convolutions, other fused
 * activations, tiny products) go to its own kernel. Independent of the rest of the library except
 * `lib/kernels`.
 */
import * as tf from "@tensorflow/tfjs";
import { getKernels, type Kernels } from "../kernels";
import { type KernelCall, KernelContext, type KernelFn } from "./context";
import { convFilterGradient, convInputGradient, convolve } from "./conv";
import { multiply } from "./matmul";
import { identity, slice } from "./no-copy";
import { maxPoolForward, maxPoolGradient } from "./pool";
import { sumLeadingAxes } from "./reduce";

export { UnsupportedKernelInput } from "./refuse";

export const WASM_KERNEL_NAMES = [
  "Conv2DBackpropFilter",
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropInput",
  "_FusedMatMul",
  "BatchMatMul",
  "MaxPool",
  "MaxPoolGrad",
  "Sum",
  "Identity",
  "Slice",
] as const;
export type WasmKernelName = (typeof WASM_KERNEL_NAMES)[number];

export interface WasmKernelOptions {
  /** Our compute kernels (default `getKernels()`: WebAssembly SIMD on every core). */
  kernels?: Kernels;
  /** Which to register (default all of WASM_KERNEL_NAMES). */
  names?: readonly WasmKernelName[];
}

const BACKEND = "wasm";
const SUPPORTED_MAJOR = 4;

let context: KernelContext | null = null;
let registered: WasmKernelName[] = [];

/**
 * Registers our kernels for the wasm backend (replacing any registered before by this function) and
 * returns their names. Throws, registering nothing, on a TensorFlow.js other than 4.x.
 */
export function registerWasmKernels(options: WasmKernelOptions = {}): WasmKernelName[] {
  checkTfjsVersion(tf.version_core);
  const names = options.names ?? WASM_KERNEL_NAMES;
  for (const name of names) {
    if (!WASM_KERNEL_NAMES.includes(name))
      throw new RangeError(
        `registerWasmKernels: unknown kernel '${name}', expected one of ${WASM_KERNEL_NAMES.join(", ")}`,
      );
  }
  unregisterWasmKernels();
  const shared = new KernelContext(options.kernels ?? getKernels());
  for (const name of names) {
    const original = tf.getKernel(name, BACKEND);
    if (original) {
      shared.originals.set(name, original);
      tf.unregisterKernel(name, BACKEND);
    }
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      // The replaced kernel's setup (its C++ bindings) still runs: ours hand it some calls.
      setupFunc: original?.setupFunc,
      kernelFunc: (call) => run(shared, name, call as unknown as KernelCall),
    });
  }
  context = shared;
  registered = [...names];
  return [...registered];
}

/**
 * Throws unless `version` (TensorFlow.js core's) is one whose kernel signatures these kernels follow:
 * another major version may pass other inputs and attributes, and so must not get our kernels.
 */
export function checkTfjsVersion(version: string): void {
  const major = Number(version.split(".")[0]);
  if (major !== SUPPORTED_MAJOR) {
    throw new Error(
      `registerWasmKernels: TensorFlow.js ${version} is not supported; these kernels follow the ` +
        `${SUPPORTED_MAJOR}.x kernel signatures (Conv2DBackpropFilter, Conv2D, FusedConv2D, ...)`,
    );
  }
}

/** Puts the wasm backend's own kernels back (Conv2DBackpropFilter is then missing again). */
export function unregisterWasmKernels(): void {
  if (!context) return;
  for (const name of registered) {
    tf.unregisterKernel(name, BACKEND);
    const original = context.originals.get(name);
    if (original) tf.registerKernel(original);
  }
  context.scratch.release();
  context.argmaxes.clear();
  context = null;
  registered = [];
}

/** The kernels registered by `registerWasmKernels` (empty when none are). */
export function registeredWasmKernels(): WasmKernelName[] {
  return [...registered];
}

/** How many max-pool gradients reused their forward pass's arg-max, and how many recomputed it. */
export function maxPoolArgmaxReuse(): { reused: number; recomputed: number } {
  return { ...(context?.argmaxes.stats ?? { reused: 0, recomputed: 0 }) };
}

/** How many calls of each kernel ours computed and how many went to the wasm backend's own kernel. */
export function wasmKernelCalls(): Record<string, { ours: number; delegated: number }> {
  return Object.fromEntries(
    [...(context?.calls ?? new Map()).entries()].map(([name, counts]) => [name, { ...counts }]),
  );
}

function run(shared: KernelContext, name: WasmKernelName, call: KernelCall) {
  const counts = shared.count(name);
  const before = counts.delegated;
  const result = KERNELS[name](shared, name, call);
  if (counts.delegated === before) counts.ours++;
  return result;
}

/** Our kernel for each name. */
const KERNELS: Record<WasmKernelName, KernelFn> = {
  Conv2D: (shared, name, call) => convolve(shared, name, call, false),
  FusedConv2D: (shared, name, call) => convolve(shared, name, call, true),
  Conv2DBackpropFilter: convFilterGradient,
  Conv2DBackpropInput: convInputGradient,
  BatchMatMul: (shared, name, call) => multiply(shared, name, call, false),
  _FusedMatMul: (shared, name, call) => multiply(shared, name, call, true),
  MaxPool: maxPoolForward,
  MaxPoolGrad: maxPoolGradient,
  Sum: sumLeadingAxes,
  Identity: identity,
  Slice: slice,
};
