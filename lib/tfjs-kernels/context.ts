/**
 * What every registered kernel shares: our compute kernels, their reusable scratch arrays, and the wasm
 * backend's own kernels that ours replaced (to hand them the calls ours do not cover, e.g. dilated
 * convolutions or activations other than ReLU, instead of refusing what tfjs-wasm already computes).
 */
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs";
import type { Kernels } from "../kernels";
import { ArgmaxCache } from "./argmax-cache";
import { UnsupportedKernelInput } from "./refuse";
import { Scratch } from "./wasm-tensors";

export interface KernelCall {
  inputs: NamedTensorInfoMap;
  attrs: NamedAttrMap;
  backend: unknown;
}

/**
 * One of our kernels: the context every kernel shares, the name tfjs calls it by (for errors and for
 * delegating to the wasm backend's own kernel) and tfjs's call; a kernel computing two variants (plain
 * and fused) takes which one as a further argument.
 */
export type KernelFn<Variant extends unknown[] = []> = (
  context: KernelContext,
  kernel: string,
  call: KernelCall,
  ...variant: Variant
) => TensorInfo | TensorInfo[];

export class KernelContext {
  readonly scratch: Scratch;
  /** Max-pool arg-maxes of the forward pass, for their gradients. */
  readonly argmaxes: ArgmaxCache;
  /** The wasm backend's kernel of each name ours replaced; absent for kernels it lacks. */
  readonly originals = new Map<string, KernelConfig>();
  /** Calls per kernel name computed here and handed to the wasm backend's own kernel (for tests, the bench). */
  readonly calls = new Map<string, { ours: number; delegated: number }>();

  constructor(readonly kernels: Kernels) {
    this.scratch = new Scratch(kernels);
    this.argmaxes = new ArgmaxCache(kernels);
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

/** What a fused kernel adds to its product, when we compute it: the activation and the bias (if any). */
export interface OurFusion {
  activation: OurActivation;
  bias: TensorInfo | undefined;
}

/**
 * The fusion of a FusedConv2D or _FusedMatMul call (none for the plain kernel), or why it goes to the wasm
 * backend's own kernel: an activation other than ReLU, or PReLU weights.
 */
export function ourFusion(
  kernel: string,
  call: KernelCall,
  fused: boolean,
): OurFusion | UnsupportedKernelInput {
  if (!fused) return { activation: "linear", bias: undefined };
  const activation = (call.attrs.activation as string | undefined) ?? "linear";
  if (activation !== "linear" && activation !== "relu")
    return new UnsupportedKernelInput(kernel, "activation", activation, "'linear' or 'relu'");
  if (call.inputs.preluActivationWeights)
    return new UnsupportedKernelInput(kernel, "preluActivationWeights", "a tensor", "none");
  return { activation, bias: call.inputs.bias as TensorInfo | undefined };
}
