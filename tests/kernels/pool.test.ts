/** Max pooling: wasm equals the reference (values, arg-max, first-max tie-break) and routes gradients. */
import * as assert from "assert";
import { poolOutputSize, type PoolShape } from "../../lib/kernels";
import { Random } from "../../lib/random";
import { assertEqualArrays, place, randomArray, reference, buildLabel, wasmBuilds } from "./helpers";

const SHAPES: PoolShape[] = [
  { batch: 2, height: 4, width: 4, channels: 1, size: 2, stride: 2 },
  { batch: 1, height: 6, width: 6, channels: 4, size: 2, stride: 2 },
  { batch: 3, height: 7, width: 5, channels: 6, size: 3, stride: 2 },
  { batch: 2, height: 5, width: 5, channels: 9, size: 3, stride: 1 },
  { batch: 1, height: 26, width: 26, channels: 32, size: 2, stride: 2 },
];

describe("wasm maxPool / maxPoolBackward", () => {
  const random = new Random(5);
  for (const kernels of wasmBuilds()) {
    SHAPES.forEach((shape, index) => {
      it(`${buildLabel(kernels)} ${shape.height}×${shape.width}×${shape.channels}, window ${shape.size} stride ${shape.stride}`, () => {
        const { outHeight, outWidth } = poolOutputSize(shape);
        const inputLength = shape.batch * shape.height * shape.width * shape.channels;
        const outputLength = shape.batch * outHeight * outWidth * shape.channels;
        // Few distinct values, so many windows hold ties and the tie-break is exercised.
        const x = randomArray(random, inputLength, 0, 4).map(Math.floor);
        const expected = new Float32Array(outputLength);
        const expectedArgmax = new Int32Array(outputLength);
        reference.maxPool(x, shape, expected, expectedArgmax);
        const output = place(kernels, new Float32Array(outputLength), index % 2 === 0);
        const argmax = new Int32Array(outputLength);
        kernels.maxPool(place(kernels, x, index % 2 === 1), shape, output, argmax);
        assertEqualArrays(output, expected, "output");
        assertEqualArrays(argmax, expectedArgmax, "argmax");
        for (let i = 0; i < outputLength; i++) assert.strictEqual(x[argmax[i]], output[i], `argmax ${i} points at the max`);

        const gradOutput = randomArray(random, outputLength);
        const expectedGrad = new Float32Array(inputLength);
        reference.maxPoolBackward(gradOutput, argmax, expectedGrad);
        const gradInput = place(kernels, new Float32Array(inputLength).fill(NaN), index % 2 === 1);
        kernels.maxPoolBackward(gradOutput, argmax, gradInput);
        assertEqualArrays(gradInput, expectedGrad, "gradInput");
        const routed = new Set(argmax);
        for (let i = 0; i < inputLength; i++) {
          if (!routed.has(i)) assert.strictEqual(gradInput[i], 0, `input ${i} was no window's max`);
        }
      });
    });
    it(`${buildLabel(kernels)} maxPoolBackward rejects an arg-max outside gradInput`, () => {
      assert.throws(() => kernels.maxPoolBackward(new Float32Array(1), Int32Array.of(4), new Float32Array(4)), RangeError);
    });
  }
});
