/**
 * BatchNorm on the kernels against a float64 transcription of its definition: outputs, running
 * statistics, parameter and input gradients, inference with the running statistics, and backward
 * without an input gradient.
 */
import * as assert from "assert";
import { getKernels, type Kernels } from "../../lib/kernels";
import { BatchNorm } from "../../lib/nn/layers/batch-norm";
import { Random } from "../../lib/random";

interface Expected {
  output: Float64Array;
  gradGamma: Float64Array;
  gradBeta: Float64Array;
  gradInput: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
}

/** Training-mode batch-norm in float64, straight from the formulas; rows × c, statistics per column. */
function batchNormFloat64(
  x: Float32Array,
  dy: Float32Array,
  rows: number,
  gamma: Float32Array,
  beta: Float32Array,
  epsilon: number,
): Expected {
  const c = gamma.length;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let i = 0; i < rows * c; i++) mean[i % c] += x[i] / rows;
  for (let i = 0; i < rows * c; i++) variance[i % c] += (x[i] - mean[i % c]) ** 2 / rows;
  const xhat = Float64Array.from(x, (v, i) => (v - mean[i % c]) / Math.sqrt(variance[i % c] + epsilon));
  const output = xhat.map((v, i) => gamma[i % c] * v + beta[i % c]);
  const gradGamma = new Float64Array(c);
  const gradBeta = new Float64Array(c);
  for (let i = 0; i < rows * c; i++) {
    gradGamma[i % c] += dy[i] * xhat[i];
    gradBeta[i % c] += dy[i];
  }
  const gradInput = xhat.map((v, i) => {
    const j = i % c;
    return (
      (gamma[j] / Math.sqrt(variance[j] + epsilon)) * (dy[i] - gradBeta[j] / rows - (v * gradGamma[j]) / rows)
    );
  });
  return { output, gradGamma, gradBeta, gradInput, mean, variance };
}

/** Every |actual − expected| within `relative` of the largest |expected|. */
function assertCloseToScale(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  relative: number,
  label: string,
): void {
  assert.strictEqual(actual.length, expected.length, `${label}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= relative * scale)) {
      assert.fail(
        `${label}: element ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${relative * scale})`,
      );
    }
  }
}

function buildBatchNorm(
  kernels: Kernels,
  shape: number[],
  batch: number,
  needsInputGradient: boolean,
  random: Random,
): BatchNorm {
  const layer = new BatchNorm({ momentum: 0.2 });
  layer.build(shape, { kernels, random, batchCapacity: batch, needsInputGradient });
  const [gamma, beta] = layer.params();
  gamma.value.set(Float32Array.from(gamma.value, () => random.uniform(0.5, 1.5)));
  beta.value.set(Float32Array.from(beta.value, () => random.normal()));
  return layer;
}

/** Small convolutional and dense inputs, and (wasm only) the strong CNN's first batch-norm on 32 images. */
const CASES: Array<{ shape: number[]; batch: number; wasmOnly?: boolean }> = [
  { shape: [3, 3, 2], batch: 3 },
  { shape: [5], batch: 6 },
  // 21632 rows per channel: every pass is split over the threads.
  { shape: [26, 26, 32], batch: 32, wasmOnly: true },
];
/**
 * float32 sums over ~2·10⁴ rows against float64: errors of a few 1e-6 of the largest value were seen
 * on the wasm build, so 2e-5 leaves room while still catching a wrong term (of order 1) or a mean
 * taken from a plain float32 sum (3e-5 here, with means up to 320 times the spread).
 */
const TOLERANCE = 2e-5;

describe("batch-norm layer", () => {
  const builds = [
    getKernels({ implementation: "reference" }),
    getKernels({ implementation: "wasm", threads: 2 }),
  ];
  for (const kernels of builds) {
    for (const { shape, batch } of CASES.filter((test) => !test.wasmOnly || kernels.name !== "reference")) {
      it(`${kernels.name} ${kernels.threads}T, [${batch}, ${shape.join(", ")}]: training, running statistics, gradients, inference`, () => {
        const random = new Random(5);
        const c = shape[shape.length - 1];
        const rows = (batch * shape.reduce((a, b) => a * b)) / c;
        const layer = buildBatchNorm(kernels, shape, batch, true, random);
        const [gamma, beta] = layer.params();
        // Channel means far from zero next to small spreads: where E[x²] − mean² would cancel, and
        // where a float32 sum's error in the mean is large next to the spread.
        const x = Float32Array.from({ length: rows * c }, (_, i) =>
          random.normal(10 * ((i % c) - c / 2), 0.5 + (i % 3)),
        );
        const dy = Float32Array.from({ length: rows * c }, () => random.normal());
        const expected = batchNormFloat64(x, dy, rows, gamma.value, beta.value, layer.epsilon);

        const output = layer.forward({ data: x, shape: [batch, ...shape] }, true).data.slice();
        assertCloseToScale(output, expected.output, TOLERANCE, "output");
        const gradInput = layer.backward({ data: dy, shape: [batch, ...shape] });
        assert.ok(gradInput);
        assertCloseToScale(gradInput.data, expected.gradInput, TOLERANCE, "input gradient");
        assertCloseToScale(gamma.grad, expected.gradGamma, TOLERANCE, "gamma gradient");
        assertCloseToScale(beta.grad, expected.gradBeta, TOLERANCE, "beta gradient");

        // From mean 0 and variance 1, one step of momentum 0.2 with the unbiased variance.
        const [, , runningMean, runningVar] = layer.state();
        assertCloseToScale(
          runningMean.value,
          expected.mean.map((m) => 0.2 * m),
          TOLERANCE,
          "running mean",
        );
        const unbiased = expected.variance.map((v) => (v * rows) / (rows - 1));
        assertCloseToScale(
          runningVar.value,
          unbiased.map((v) => 0.8 + 0.2 * v),
          TOLERANCE,
          "running variance",
        );

        // Inference normalises with the running statistics, not the batch's.
        const inference = layer.forward({ data: x, shape: [batch, ...shape] }, false).data;
        const normalised = Float64Array.from(x, (v, i) => {
          const j = i % c;
          return (
            (gamma.value[j] * (v - runningMean.value[j])) / Math.sqrt(runningVar.value[j] + layer.epsilon) +
            beta.value[j]
          );
        });
        assertCloseToScale(inference, normalised, TOLERANCE, "inference output");
        assert.throws(
          () => layer.backward({ data: dy, shape: [batch, ...shape] }),
          /backward without a training-mode forward/,
        );
      });
    }

    it(`${kernels.name} ${kernels.threads}T: without an input gradient, backward still fills the parameter gradients`, () => {
      const [shape, batch] = [[4, 4, 3], 2];
      const random = new Random(6);
      const layer = buildBatchNorm(kernels, shape, batch, false, random);
      const [gamma, beta] = layer.params();
      const x = Float32Array.from({ length: 96 }, () => random.normal(1, 2));
      const dy = Float32Array.from({ length: 96 }, () => random.normal());
      const expected = batchNormFloat64(x, dy, 32, gamma.value, beta.value, layer.epsilon);
      layer.forward({ data: x, shape: [batch, ...shape] }, true);
      assert.strictEqual(layer.backward({ data: dy, shape: [batch, ...shape] }), null);
      assertCloseToScale(gamma.grad, expected.gradGamma, TOLERANCE, "gamma gradient");
      assertCloseToScale(beta.grad, expected.gradBeta, TOLERANCE, "beta gradient");
    });
  }
});
