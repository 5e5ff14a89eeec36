/** The fused Adam kernel: wasm equals the reference bit for bit, and Adam/AdamW give the same weights with or without it. */
import type { Kernels } from "../../lib/kernels";
import type { Param } from "../../lib/nn/layer";
import { Adam, AdamW } from "../../lib/nn/optimizers/adam";
import { Random } from "../../lib/random";
import { assertEqualArrays, buildLabel, place, randomArray, reference, wasmBuilds } from "./helpers";

const LENGTHS = [1, 2, 7, 64, 1001];

function makeParams(kernels: Kernels | undefined, seed: number, inKernelMemory: boolean): Param[] {
  const random = new Random(seed);
  return LENGTHS.map((length, i) => {
    const value = randomArray(random, length);
    const grad = randomArray(random, length, -0.1, 0.1);
    return {
      name: `p${i}`,
      value: kernels ? place(kernels, value, inKernelMemory) : value,
      grad: kernels ? place(kernels, grad, inKernelMemory) : grad,
      decay: i % 2 === 0,
    };
  });
}

describe("fused Adam step", () => {
  for (const kernels of [reference, ...wasmBuilds()]) {
    const label = kernels === reference ? "reference" : buildLabel(kernels);
    for (const inKernelMemory of [true, false]) {
      for (const make of [() => new Adam({ weightDecay: 0.05 }), () => new AdamW()]) {
        it(`${label} ${make().name}${inKernelMemory ? "" : " (staged arrays)"}: same weights as the TypeScript loop`, () => {
          const plain = makeParams(undefined, 3, false);
          const fused = makeParams(kernels, 3, inKernelMemory);
          const plainOptimizer = make();
          const fusedOptimizer = make();
          const random = new Random(9);
          for (let step = 0; step < 5; step++) {
            // New gradients each step, the same for both.
            plain.forEach((p, i) => {
              const g = randomArray(random, p.grad.length, -0.1, 0.1);
              p.grad.set(g);
              fused[i].grad.set(g);
            });
            plainOptimizer.step(plain, 0.01);
            fusedOptimizer.step(fused, 0.01, kernels);
          }
          plain.forEach((p, i) => assertEqualArrays(fused[i].value, p.value, `${p.name} after 5 steps`));
        });
      }
    }
  }
});
