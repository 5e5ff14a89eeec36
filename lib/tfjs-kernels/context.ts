/**
 * What every registered kernel shares: our compute kernels, their reusable scratch arrays, and the wasm
 * backend's own kernels that ours replaced (to hand them the calls ours do not cover, e.g. dilated
 * convolutions or activations other than ReLU, instead of refusing what tfjs-wasm already computes).
 */
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs";
import type { Kernels } from "../kernels";
import { UnsupportedKernelInput } from "./refuse";
import { Scratch } from "./wasm-tensors";

export interface KernelCall {
  inputs: NamedTensorInfoMap;
  attrs: NamedAttrMap;
  backend: unknown;
}

export class KernelContext {
  readonly scratch: Scratch;
  /** The wasm backend's kernel of each name ours replaced; absent for kernels it lacks. */
  readonly originals = new Map<string, KernelConfig>();
  /** Calls per kernel name computed here and handed to the wasm backend's own kernel (for tests, the bench). */
  readonly calls = new Map<string, { ours: number; delegated: number }>();

  constructor(readonly kernels: Kernels) {
    this.scratch = new Scratch(kernels);
  }

  /** Runs the wasm backend's own kernel, or refuses (naming `why`) where there is none. */
  delegate(kernel: string, call: KernelCall, why: UnsupportedKernelInput): TensorInfo | TensorInfo[] {
    const original = this.originals.get(kernel);
    if (!original) throw why;
    this.count(kernel).delegated++;
    return original.kernelFunc(call as Parameters<KernelConfig["kernelFunc"]>[0]);
  }

  count(kernel: string): { ours: number; delegated: number } {
    let counts = this.calls.get(kernel);
    if (!counts) this.calls.set(kernel, (counts = { ours: 0, delegated: 0 }));
    return counts;
  }

  /** Copies `length` floats of `source` from `offset` into the scratch array of `role` (our memory). */
  copyIn(role: string, source: Float32Array, offset: number, length: number): Float32Array {
    const target = this.scratch.get(role, length);
    target.set(source.subarray(offset, offset + length));
    return target;
  }
}

/** The fused activations computed here; others go to the wasm backend's own kernel. */
export type OurActivation = "linear" | "relu";

export function ourActivation(kernel: string, attrs: NamedAttrMap): OurActivation | UnsupportedKernelInput {
  const activation = (attrs.activation as string | undefined) ?? "linear";
  if (activation === "linear" || activation === "relu") return activation;
  return new UnsupportedKernelInput(kernel, "activation", activation, "'linear' or 'relu'");
}
