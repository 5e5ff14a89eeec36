/**
 * Adam (Kingma & Ba) with bias correction. Weight decay is either L2 added to the gradient (`Adam`)
 * or decoupled from it, shrinking the weights directly (`AdamW`, Loshchilov & Hutter), which
 * regularises better with adaptive step sizes.
 *
 * As in tinygrad (where AdamW is LAMB with adam=True), there is one rule: this class only derives the
 * per-step constants, and the kernels' `adamStep` applies them (the rule is written in the reference
 * kernels; the wasm build fuses it), so the optimizer has no loop of its own to keep in step.
 */
import type { Kernels } from "../../kernels/api";
import { ReferenceKernels } from "../../kernels/reference";
import type { Param } from "../layer";
import { checkPositiveReal, checkScalar } from "../../validation";
import { SlotStore, type Optimizer } from "./optimizer";

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

/** For a step without the network's kernels: the plain TypeScript rule, on plain arrays. */
const plainKernels = new ReferenceKernels();

export class Adam implements Optimizer {
  readonly name: string = "Adam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** True for AdamW. */
  protected readonly decoupled: boolean = false;
  private readonly firstMoment = new SlotStore();
  private readonly secondMoment = new SlotStore();
  private steps = 0;

  constructor(options: AdamOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? this.defaultWeightDecay();
    const owner = this.constructor.name.toLowerCase();
    checkScalar(owner, "beta1", this.beta1, { min: 0, max: 1, maxExclusive: true });
    checkScalar(owner, "beta2", this.beta2, { min: 0, max: 1, maxExclusive: true });
    checkPositiveReal(owner, "epsilon", this.epsilon);
    checkScalar(owner, "weightDecay", this.weightDecay, { min: 0 });
  }

  protected defaultWeightDecay(): number {
    return 0;
  }

  step(params: readonly Param[], learningRate: number, kernels?: Kernels): void {
    this.steps++;
    const { beta1, beta2, epsilon } = this;
    // Folding both bias corrections into the step size saves two divisions per weight.
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** this.steps)) / (1 - beta1 ** this.steps);
    const epsilonHat = epsilon * Math.sqrt(1 - beta2 ** this.steps);
    // The moments live in the kernels' memory, so the fused kernel reads them without copies.
    const k = kernels ?? plainKernels;
    const allocate = (length: number) => k.alloc(length);
    for (const param of params) {
      const w = param.value;
      const g = param.grad;
      const m = this.firstMoment.get(param, allocate);
      const v = this.secondMoment.get(param, allocate);
      const decay = param.decay ? this.weightDecay : 0;
      const coupled = this.decoupled ? 0 : decay;
      const shrink = this.decoupled ? 1 - learningRate * decay : 1;
      k.adamStep(w, g, m, v, { beta1, beta2, stepSize, epsilonHat, coupled, shrink });
    }
  }
}

export class AdamW extends Adam {
  readonly name = "AdamW";
  protected readonly decoupled = true;

  /** Decoupled decay needs a sizeable coefficient to matter; 0.01 is the usual default. */
  protected defaultWeightDecay(): number {
    return 0.01;
  }
}
