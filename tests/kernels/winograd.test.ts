/**
 * winogradConvForward: the reference twin equals the direct convolution (im2col + GEMM) within float
 * tolerance, and every wasm build equals the twin, on the shapes the networks use (13×13×32 → 64,
 * valid; 11×11 outputs, whose last tiles hang over the edge) and odd sizes with padding.
 */
import * as assert from "assert";
import { convOutputSize, type ConvShape, type Kernels } from "../../lib/kernels";
import { Random } from "../../lib/random";
import { assertClose, buildLabel, place, randomArray, reference, wasmBuilds } from "./helpers";

interface Case {
  shape: ConvShape;
  filters: number;
  bias: boolean;
}

function conv3x3(batch: number, height: number, width: number, channels: number, pad: number): ConvShape {
  return { batch, height, width, channels, kernelHeight: 3, kernelWidth: 3, stride: 1, pad };
}

const CASES: Case[] = [
  // conv2 of the reference CNN (and of the strong and accuracy presets) at a small batch.
  { shape: conv3x3(3, 13, 13, 32, 0), filters: 64, bias: true },
  // The speed preset's conv2, 16 → 48, without a bias (batch-norm follows).
  { shape: conv3x3(2, 13, 13, 16, 0), filters: 48, bias: false },
  // Even output, padding 1 ("same"), non-square.
  { shape: conv3x3(2, 8, 6, 4, 1), filters: 8, bias: true },
  // Odd output over padding 2, one image.
  { shape: conv3x3(1, 7, 5, 8, 2), filters: 12, bias: true },
  // The smallest image: one output pixel.
  { shape: conv3x3(4, 3, 3, 4, 0), filters: 4, bias: false },
  // Many small images, so that a call spans several chunks and threads.
  { shape: conv3x3(9, 5, 6, 12, 1), filters: 16, bias: true },
];

function label({ shape, filters, bias }: Case): string {
  const { batch, height, width, channels, pad } = shape;
  return `${batch}×${height}×${width}×${channels} → ${filters}, pad ${pad}${bias ? "" : ", no bias"}`;
}

/** The case's random input, weights and bias, and the direct convolution of |input| with |weights|. */
function fixture(random: Random, { shape, filters, bias }: Case) {
  const { outHeight, outWidth } = convOutputSize(shape);
  const rows = shape.batch * outHeight * outWidth;
  const patch = 9 * shape.channels;
  const input = randomArray(random, shape.batch * shape.height * shape.width * shape.channels);
  const weights = randomArray(random, patch * filters);
  const biasValues = bias ? randomArray(random, filters) : null;
  const cols = new Float32Array(rows * patch);
  const direct = new Float32Array(rows * filters);
  reference.convForward(input, shape, weights, filters, biasValues, cols, direct);
  // Rounding error scales with the sum of the magnitudes of the terms.
  const magnitude = new Float32Array(rows * filters);
  reference.convForward(input.map(Math.abs), shape, weights.map(Math.abs), filters, null, cols, magnitude);
  return { rows, input, weights, bias: biasValues, direct, magnitude };
}

describe("winogradConvForward (reference twin)", () => {
  const random = new Random(15);
  for (const testCase of CASES) {
    it(`${label(testCase)}: equals the direct convolution`, () => {
      const { rows, input, weights, bias, direct, magnitude } = fixture(random, testCase);
      const actual = new Float32Array(rows * testCase.filters).fill(NaN);
      reference.winogradConvForward(input, testCase.shape, weights, testCase.filters, bias, actual);
      assertClose(actual, direct, (i) => 1e-5 * (magnitude[i] + 1), "winograd vs direct");
    });
  }
});

describe("wasm winogradConvForward", () => {
  const random = new Random(16);
  for (const kernels of wasmBuilds()) {
    CASES.forEach((testCase, index) => {
      it(`${buildLabel(kernels)} ${label(testCase)}: equals the reference twin`, () => {
        const { rows, input, weights, bias, direct, magnitude } = fixture(random, testCase);
        const { shape, filters } = testCase;
        const expected = new Float32Array(rows * filters);
        reference.winogradConvForward(input, shape, weights, filters, bias, expected);
        const actual = place(kernels, new Float32Array(rows * filters).fill(NaN), index % 2 === 0);
        kernels.winogradConvForward(
          place(kernels, input, index % 2 === 1),
          shape,
          weights,
          filters,
          bias,
          actual,
        );
        // The twin sums in float64, the build in float32 in another order.
        assertClose(actual, expected, (i) => 1e-5 * (magnitude[i] + 1), "wasm vs twin");
        assertClose(actual, direct, (i) => 1e-5 * (magnitude[i] + 1), "wasm vs direct");
      });
    });
  }
});

describe("winogradConvForward rejects shapes it cannot run", () => {
  const builds: Kernels[] = [reference, ...wasmBuilds().slice(0, 1)];
  for (const kernels of builds) {
    it(`${kernels.name}: a 5×5 kernel, stride 2, or 3 channels`, () => {
      const run = (shape: ConvShape, filters: number) => {
        const { outHeight, outWidth } = convOutputSize(shape);
        const weights = new Float32Array(shape.kernelHeight * shape.kernelWidth * shape.channels * filters);
        const input = new Float32Array(shape.batch * shape.height * shape.width * shape.channels);
        const output = new Float32Array(shape.batch * outHeight * outWidth * filters);
        kernels.winogradConvForward(input, shape, weights, filters, null, output);
      };
      const square = conv3x3(1, 8, 8, 4, 0);
      assert.throws(
        () => run({ ...square, kernelHeight: 5, kernelWidth: 5 }, 4),
        /needs a 3×3 kernel at stride 1, got 5×5/,
      );
      assert.throws(
        () => run({ ...square, stride: 2 }, 4),
        /needs a 3×3 kernel at stride 1, got 3×3 at stride 2/,
      );
      assert.throws(() => run({ ...square, channels: 3 }, 4), /multiples of 4, got 3 and 4/);
      assert.throws(() => run(square, 6), /multiples of 4, got 4 and 6/);
    });
  }
  it("wasm: an output shorter than the shape needs", () => {
    const kernels = wasmBuilds()[0];
    const shape = conv3x3(2, 6, 6, 4, 0);
    assert.throws(
      () =>
        kernels.winogradConvForward(
          new Float32Array(288),
          shape,
          new Float32Array(144),
          4,
          null,
          new Float32Array(127),
        ),
      /winogradConvForward: output has 127 elements, needs 128/,
    );
  });
});
