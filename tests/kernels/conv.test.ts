/**
 * im2col / col2im: wasm equals the reference exactly (they only move data) and they are adjoint.
 * convForward: the same patches, and the same output bits as the build's own im2col + gemm + addBias.
 */
import * as assert from "assert";
import { convOutputSize, type ConvShape } from "../../lib/kernels";
import { Random } from "../../lib/random";
import {
  assertClose,
  assertEqualArrays,
  place,
  randomArray,
  reference,
  buildLabel,
  wasmBuilds,
} from "./helpers";

const SHAPES: ConvShape[] = [
  { batch: 2, height: 6, width: 5, channels: 1, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 },
  { batch: 1, height: 7, width: 7, channels: 3, kernelHeight: 3, kernelWidth: 3, stride: 2, pad: 1 },
  { batch: 3, height: 5, width: 6, channels: 8, kernelHeight: 2, kernelWidth: 3, stride: 1, pad: 2 },
  { batch: 1, height: 4, width: 4, channels: 5, kernelHeight: 5, kernelWidth: 5, stride: 1, pad: 2 },
  { batch: 2, height: 9, width: 8, channels: 6, kernelHeight: 4, kernelWidth: 2, stride: 3, pad: 1 },
  { batch: 2, height: 9, width: 7, channels: 4, kernelHeight: 3, kernelWidth: 2, stride: 2, pad: 0 },
];

function sizes(shape: ConvShape): { input: number; cols: number } {
  const { outHeight, outWidth } = convOutputSize(shape);
  return {
    input: shape.batch * shape.height * shape.width * shape.channels,
    cols: shape.batch * outHeight * outWidth * shape.kernelHeight * shape.kernelWidth * shape.channels,
  };
}

function dot(x: Float32Array, y: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * y[i];
  return sum;
}

describe("wasm im2col / col2im", () => {
  const random = new Random(11);
  for (const kernels of wasmBuilds()) {
    SHAPES.forEach((shape, index) => {
      const label = `${buildLabel(kernels)} shape ${index} (${shape.height}×${shape.width}×${shape.channels}, ${shape.kernelHeight}×${shape.kernelWidth}, stride ${shape.stride}, pad ${shape.pad})`;
      it(`${label}: matches the reference`, () => {
        const { input, cols } = sizes(shape);
        const x = randomArray(random, input);
        const expectedCols = new Float32Array(cols);
        reference.im2col(x, shape, expectedCols);
        const actualCols = place(kernels, new Float32Array(cols).fill(NaN), index % 2 === 0);
        kernels.im2col(place(kernels, x, index % 2 === 1), shape, actualCols);
        assertEqualArrays(actualCols, expectedCols, "im2col");

        const y = randomArray(random, cols);
        const expectedGrad = new Float32Array(input);
        reference.col2im(y, shape, expectedGrad);
        const actualGrad = place(kernels, new Float32Array(input).fill(NaN), index % 2 === 1);
        kernels.col2im(place(kernels, y, index % 2 === 0), shape, actualGrad);
        // Sums of the same terms, possibly in another order.
        assertClose(actualGrad, expectedGrad, () => 1e-5 * shape.kernelHeight * shape.kernelWidth, "col2im");
      });
      it(`${label}: <im2col(x), y> = <x, col2im(y)>`, () => {
        const { input, cols } = sizes(shape);
        const x = randomArray(random, input);
        const y = randomArray(random, cols);
        const unfolded = new Float32Array(cols);
        kernels.im2col(x, shape, unfolded);
        const folded = new Float32Array(input);
        kernels.col2im(y, shape, folded);
        const left = dot(unfolded, y);
        const right = dot(x, folded);
        assert.ok(Math.abs(left - right) <= 1e-4 * Math.sqrt(cols), `${left} vs ${right}`);
      });
    });
  }
});

describe("wasm convForward", () => {
  const random = new Random(12);
  for (const kernels of wasmBuilds()) {
    SHAPES.forEach((shape, index) => {
      const filters = index % 2 === 0 ? 8 : 5;
      const withBias = index !== 1;
      it(`${buildLabel(kernels)} shape ${index}, ${filters} filters${withBias ? "" : ", no bias"}: im2col + gemm + addBias in one call`, () => {
        const { input, cols } = sizes(shape);
        const { outHeight, outWidth } = convOutputSize(shape);
        const rows = shape.batch * outHeight * outWidth;
        const patch = cols / rows;
        const x = randomArray(random, input);
        const weights = randomArray(random, patch * filters);
        const bias = withBias ? randomArray(random, filters) : null;

        const separateCols = new Float32Array(cols);
        kernels.im2col(x, shape, separateCols);
        const separate = new Float32Array(rows * filters);
        kernels.gemm(false, false, rows, filters, patch, 1, separateCols, weights, 0, separate);
        if (bias) kernels.addBias(separate, rows, filters, bias);

        const actualCols = place(kernels, new Float32Array(cols).fill(NaN), index % 2 === 0);
        const actual = place(kernels, new Float32Array(rows * filters).fill(NaN), index % 2 === 1);
        kernels.convForward(
          place(kernels, x, index % 2 === 1),
          shape,
          place(kernels, weights, index % 2 === 0),
          filters,
          bias,
          actualCols,
          actual,
        );
        assertEqualArrays(actualCols, separateCols, "cols");
        assertEqualArrays(actual, separate, "output");

        const expected = new Float32Array(rows * filters);
        reference.convForward(x, shape, weights, filters, bias, new Float32Array(cols), expected);
        assertClose(actual, expected, () => 1e-5 * patch, "output vs reference");
      });
    });
    it(`${buildLabel(kernels)} rejects weights shorter than the filters need`, () => {
      const shape = SHAPES[0];
      const { input, cols } = sizes(shape);
      const rows = cols / 9;
      assert.throws(
        () =>
          kernels.convForward(
            new Float32Array(input),
            shape,
            new Float32Array(9 * 4 - 1),
            4,
            null,
            new Float32Array(cols),
            new Float32Array(rows * 4),
          ),
        /convForward: weights has 35 elements, needs 36/,
      );
    });
  }
});
