/** im2col / col2im: wasm equals the reference exactly (they only move data) and they are adjoint. */
import * as assert from "assert";
import { convOutputSize, type ConvShape } from "../../lib/kernels";
import { Random } from "../../lib/random";
import { assertClose, assertEqualArrays, place, randomArray, reference, buildLabel, wasmBuilds } from "./helpers";

const SHAPES: ConvShape[] = [
  { batch: 2, height: 6, width: 5, channels: 1, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 },
  { batch: 1, height: 7, width: 7, channels: 3, kernelHeight: 3, kernelWidth: 3, stride: 2, pad: 1 },
  { batch: 3, height: 5, width: 6, channels: 8, kernelHeight: 2, kernelWidth: 3, stride: 1, pad: 2 },
  { batch: 1, height: 4, width: 4, channels: 5, kernelHeight: 5, kernelWidth: 5, stride: 1, pad: 2 },
  { batch: 2, height: 9, width: 8, channels: 6, kernelHeight: 4, kernelWidth: 2, stride: 3, pad: 1 },
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
