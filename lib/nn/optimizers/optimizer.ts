/** An optimizer updates parameters in place from their gradients, at a learning rate chosen per step. */
import type { Kernels } from "../../kernels/api";
import type { Param } from "../layer";

export interface Optimizer {
  readonly name: string;
  /** `kernels`, when given (the network's), may run the update as one fused kernel per parameter. */
  step(params: readonly Param[], learningRate: number, kernels?: Kernels): void;
}

/** Per-parameter state arrays (momentum, second moments), allocated on first use. */
export class SlotStore {
  private readonly slots = new Map<Param, Float32Array>();

  /** `allocate` (e.g. a kernels' `alloc`) places a new slot, zeroed; by default a plain Float32Array. */
  get(param: Param, allocate?: (length: number) => Float32Array): Float32Array {
    let slot = this.slots.get(param);
    if (!slot) {
      slot = allocate ? allocate(param.value.length) : new Float32Array(param.value.length);
      this.slots.set(param, slot);
    }
    return slot;
  }
}
