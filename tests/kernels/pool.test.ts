/** Max pooling: wasm equals the reference (values, arg-max, first-max tie-break) and routes gradients. */
import * as assert from "assert";
import { getKernels, poolOutputSize, type PoolShape } from "../../lib/kernels";
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
        for (let i = 0; i < outputLength; i++)
          assert.strictEqual(x[argmax[i]], output[i], `argmax ${i} points at the max`);

        const gradOutput = randomArray(random, outputLength);
        const expectedGrad = new Float32Array(inputLength);
        reference.maxPoolBackward(gradOutput, argmax, shape, expectedGrad);
        const gradInput = place(kernels, new Float32Array(inputLength).fill(NaN), index % 2 === 1);
        kernels.maxPoolBackward(gradOutput, argmax, shape, gradInput);
        assertEqualArrays(gradInput, expectedGrad, "gradInput");
        const routed = new Set(argmax);
        for (let i = 0; i < inputLength; i++) {
          if (!routed.has(i)) assert.strictEqual(gradInput[i], 0, `input ${i} was no window's max`);
        }
      });
    });
  }
});

describe("maxPoolBackward rejects an arg-max outside its own image and writes nothing", () => {
  // Two 4×4 images, 2×2 windows: 4 outputs and 16 inputs per image.
  const shape: PoolShape = { batch: 2, height: 4, width: 4, channels: 1, size: 2, stride: 2 };
  const valid = Int32Array.of(0, 2, 8, 10, 16, 18, 24, 26);
  const strays: Array<[position: number, index: number]> = [
    [0, -1],
    [3, 16],
    [5, 3],
    [7, 32],
    [7, 1 << 30],
  ];
  for (const kernels of [reference, ...wasmBuilds(), getKernels({ threads: 3 })]) {
    const label = kernels === reference ? "reference" : buildLabel(kernels);
    for (const [position, index] of strays) {
      for (const inKernelMemory of [true, false]) {
        it(`${label} argmax[${position}] = ${index}${inKernelMemory ? "" : " (staged arrays)"}`, () => {
          const argmax = valid.slice();
          argmax[position] = index;
          const gradInput = place(kernels, new Float32Array(32).fill(7), inKernelMemory);
          assert.throws(
            () =>
              kernels.maxPoolBackward(
                place(kernels, new Float32Array(8).fill(1), inKernelMemory),
                argmax,
                shape,
                gradInput,
              ),
            (error: Error) =>
              error instanceof RangeError && error.message.includes(`argmax[${position}] = ${index}`),
          );
          assert.deepStrictEqual(Array.from(gradInput), new Array(32).fill(7), "gradInput was written");
        });
      }
    }
  }
});
