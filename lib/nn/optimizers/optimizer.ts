/** An optimizer updates parameters in place from their gradients, at a learning rate chosen per step. */
import type { Param } from "../layer";

export interface Optimizer {
  readonly name: string;
  step(params: readonly Param[], learningRate: number): void;
}

/** Throws unless `value` lies in the given range; `name` says which hyperparameter. */
export function checkRange(owner: string, name: string, value: number, min: number, max: number, includeMin = true): void {
  const aboveMin = includeMin ? value >= min : value > min;
  if (!(aboveMin && value < max && Number.isFinite(value))) {
    throw new RangeError(`${owner}: ${name} must be in ${includeMin ? "[" : "("}${min}, ${max === Infinity ? "∞" : max}), got ${value}`);
  }
}

/** Per-parameter state arrays (momentum, second moments), allocated on first use. */
export class SlotStore {
  private readonly slots = new Map<Param, Float32Array>();

  get(param: Param): Float32Array {
    let slot = this.slots.get(param);
    if (!slot) {
      slot = new Float32Array(param.value.length);
      this.slots.set(param, slot);
    }
    return slot;
  }
}
