/**
 * Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 weight decay
 * (added to the gradient, as in PyTorch's SGD).
 */
import type { Param } from "../layer";
import { checkScalar } from "../../validation";
import { SlotStore, type Optimizer } from "./optimizer";

export interface SgdOptions {
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export class Sgd implements Optimizer {
  readonly name: string;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly velocity = new SlotStore();

  constructor(options: SgdOptions = {}) {
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    checkScalar("sgd", "momentum", this.momentum, { min: 0, max: 1, maxExclusive: true });
    checkScalar("sgd", "weightDecay", this.weightDecay, { min: 0 });
    if (this.nesterov && this.momentum === 0) throw new RangeError("sgd: nesterov needs a momentum > 0");
    this.name = this.nesterov
      ? `SGD (Nesterov ${this.momentum})`
      : this.momentum > 0
        ? `SGD (momentum ${this.momentum})`
        : "SGD";
  }

  step(params: readonly Param[], learningRate: number): void {
    const mu = this.momentum;
    for (const param of params) {
      const w = param.value;
      const g = param.grad;
      const decay = param.decay ? this.weightDecay : 0;
      if (mu === 0) {
        for (let i = 0; i < w.length; i++) w[i] -= learningRate * (g[i] + decay * w[i]);
        continue;
      }
      const v = this.velocity.get(param);
      for (let i = 0; i < w.length; i++) {
        const grad = g[i] + decay * w[i];
        v[i] = mu * v[i] + grad;
        w[i] -= learningRate * (this.nesterov ? grad + mu * v[i] : v[i]);
      }
    }
  }
}
