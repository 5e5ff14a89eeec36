/** relu, reluBackward, addBias, sumRows: wasm against the reference, including tails and edge values. */
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

const LENGTHS = [1, 3, 4, 17, 1000];
const MATRICES: Array<[rows: number, cols: number]> = [
  [1, 1],
  [3, 5],
  [17, 4],
  [100, 33],
  [5000, 10],
];

describe("wasm element-wise kernels", () => {
  const random = new Random(3);
  for (const kernels of wasmBuilds()) {
    for (const length of LENGTHS) {
      it(`${buildLabel(kernels)} relu and reluBackward, length ${length}`, () => {
        const x = randomArray(random, length);
        // Values the vector path must treat exactly like the scalar one.
        if (length >= 4) x.set([NaN, -0, 0, Infinity]);
        const expected = new Float32Array(length);
        reference.relu(x, expected);
        const out = place(kernels, new Float32Array(length), length % 2 === 0);
        kernels.relu(place(kernels, x, length % 2 === 1), out);
        assertEqualArrays(out, expected, "relu");
        const inPlace = place(kernels, x, length % 2 === 0);
        kernels.relu(inPlace, inPlace);
        assertEqualArrays(inPlace, expected, "in-place relu");

        const gradOut = randomArray(random, length);
        const expectedGrad = new Float32Array(length);
        reference.reluBackward(x, gradOut, expectedGrad);
        const gradIn = place(kernels, new Float32Array(length), length % 2 === 1);
        kernels.reluBackward(place(kernels, x, length % 2 === 0), gradOut, gradIn);
        assertEqualArrays(gradIn, expectedGrad, "reluBackward");
      });
    }
    for (const [rows, cols] of MATRICES) {
      it(`${buildLabel(kernels)} addBias and sumRows, ${rows}×${cols}`, () => {
        const x = randomArray(random, rows * cols);
        const bias = randomArray(random, cols);
        const expected = x.slice();
        reference.addBias(expected, rows, cols, bias);
        const actual = place(kernels, x, rows % 2 === 1);
        kernels.addBias(actual, rows, cols, place(kernels, bias, rows % 2 === 0));
        assertEqualArrays(actual, expected, "addBias");

        const expectedSums = new Float32Array(cols);
        reference.sumRows(x, rows, cols, expectedSums);
        const sums = place(kernels, new Float32Array(cols).fill(NaN), rows % 2 === 0);
        kernels.sumRows(place(kernels, x, rows % 2 === 1), rows, cols, sums);
        // float32 running sums against a float64 one: error grows with the row count.
        assertClose(sums, expectedSums, () => 1e-6 * rows + 1e-6, "sumRows");
      });
    }
  }
});
