/**
 * Finite-difference gradient checking for layers. The objective is L = Σ r·f(x) for a fixed random
 * r, so backward(r) must equal dL/dx and dL/dθ. Forward passes run in float32, so we use central
 * differences with a fairly large step and compare with a relative-plus-absolute tolerance.
 */
import * as assert from "assert";
import { getKernels } from "../../lib/kernels";
import type { Layer } from "../../lib/nn/layer";
import type { Tensor } from "../../lib/nn/tensor";
import { sizeOf } from "../../lib/nn/tensor";
import { Random } from "../../lib/random";

export interface CheckOptions {
  /** Builds a fresh layer; called again for every evaluation when `rebuildEachForward` (fixed dropout masks). */
  make: () => Layer;
  inputShape: number[];
  batch: number;
  /** Input values; default normal(0, 1). */
  input?: Float32Array;
  rebuildEachForward?: boolean;
  epsilon?: number;
  tolerance?: number;
}

const SEED = 42;

export function buildLayer(layer: Layer, inputShape: number[], batch: number): Layer {
  layer.build(inputShape, {
    kernels: getKernels(),
    random: new Random(SEED),
    batchCapacity: batch,
    needsInputGradient: true,
  });
  return layer;
}

/** Compares the analytic gradient of every input value and every parameter with central differences. */
export function checkGradients(options: CheckOptions): void {
  const { inputShape, batch } = options;
  const epsilon = options.epsilon ?? 1e-2;
  const tolerance = options.tolerance ?? 1e-2;
  const random = new Random(7);
  const size = batch * sizeOf(inputShape);
  const x = options.input ?? Float32Array.from({ length: size }, () => random.normal());
  let layer = buildLayer(options.make(), inputShape, batch);
  const outputSize = batch * sizeOf(layer.outputShape);
  const r = Float64Array.from({ length: outputSize }, () => random.normal());

  const objective = (values: Float32Array): number => {
    if (options.rebuildEachForward) layer = buildLayer(options.make(), inputShape, batch);
    // Copy: ReLU and dropout work in place.
    const out = layer.forward({ data: Float32Array.from(values), shape: [batch, ...inputShape] }, true).data;
    let total = 0;
    for (let i = 0; i < out.length; i++) total += r[i] * out[i];
    return total;
  };

  // Analytic gradients (the layer keeps the parameters it was built with).
  objective(x);
  const gradOutput: Tensor = { data: Float32Array.from(r), shape: [batch, ...layer.outputShape] };
  const gradInput = layer.backward(gradOutput);
  assert.ok(gradInput, `${layer.name}: backward returned no input gradient`);
  const analyticInput = Float64Array.from(gradInput.data);
  const analyticParams = layer.params().map((p) => Float64Array.from(p.grad));

  const numeric = (perturb: (delta: number) => void): number => {
    perturb(epsilon);
    const plus = objective(x);
    perturb(-2 * epsilon);
    const minus = objective(x);
    perturb(epsilon);
    return (plus - minus) / (2 * epsilon);
  };

  for (let i = 0; i < x.length; i++) {
    const original = x[i];
    const estimate = numeric((delta) => (x[i] += delta));
    x[i] = original;
    assertClose(analyticInput[i], estimate, tolerance, `${layer.name}: d/dinput[${i}]`);
  }
  layer.params().forEach((param, p) => {
    for (let i = 0; i < param.value.length; i++) {
      const estimate = numeric((delta) => (param.value[i] += delta));
      assertClose(analyticParams[p][i], estimate, tolerance, `${param.name}[${i}]`);
    }
  });
}

export function assertClose(analytic: number, numeric: number, tolerance: number, what: string): void {
  const error = Math.abs(analytic - numeric);
  if (error > tolerance * Math.max(1, Math.abs(analytic), Math.abs(numeric))) {
    assert.fail(`${what}: analytic ${analytic} vs numeric ${numeric}`);
  }
}
