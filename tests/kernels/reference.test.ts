/** Hand-computed cases for the reference kernels, the ground truth every other implementation is held to. */
import * as assert from "assert";
import { ReferenceKernels } from "../../lib/kernels/reference";

const ref = new ReferenceKernels();
const f32 = (values: number[]) => Float32Array.from(values);

describe("reference kernels", () => {
  it("gemm computes alpha·op(A)·op(B) + beta·C for every transpose combination", () => {
    // A = [[1,2,3],[4,5,6]] (2×3), B = [[1,0],[0,1],[1,1]] (3×2): A·B = [[4,5],[10,11]].
    const a = f32([1, 2, 3, 4, 5, 6]);
    const aT = f32([1, 4, 2, 5, 3, 6]);
    const b = f32([1, 0, 0, 1, 1, 1]);
    const bT = f32([1, 0, 1, 0, 1, 1]);
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const c = f32([1, 1, 1, 1]);
      ref.gemm(transA, transB, 2, 2, 3, 2, transA ? aT : a, transB ? bT : b, 0.5, c);
      assert.deepStrictEqual(Array.from(c), [8.5, 10.5, 20.5, 22.5], `transA=${transA} transB=${transB}`);
    }
  });

  it("gemm with beta = 0 ignores NaN in C", () => {
    const c = f32([NaN]);
    ref.gemm(false, false, 1, 1, 1, 1, f32([3]), f32([4]), 0, c);
    assert.strictEqual(c[0], 12);
  });

  it("im2col unfolds padded 2×2 patches and col2im adds them back", () => {
    // One 2×2 single-channel image, 2×2 kernel, pad 1, stride 1: a 3×3 output.
    const shape = {
      batch: 1,
      height: 2,
      width: 2,
      channels: 1,
      kernelHeight: 2,
      kernelWidth: 2,
      stride: 1,
      pad: 1,
    };
    const cols = new Float32Array(9 * 4);
    ref.im2col(f32([1, 2, 3, 4]), shape, cols);
    assert.deepStrictEqual(Array.from(cols.subarray(0, 4)), [0, 0, 0, 1]);
    assert.deepStrictEqual(Array.from(cols.subarray(16, 20)), [1, 2, 3, 4]);
    const grad = f32([9, 9, 9, 9]);
    ref.col2im(new Float32Array(36).fill(1), shape, grad);
    // Every pixel appears in exactly four of the nine patches.
    assert.deepStrictEqual(Array.from(grad), [4, 4, 4, 4]);
  });

  it("maxPool records the first maximum and maxPoolBackward routes gradients there", () => {
    // 1×2×4×1 input, 2×2 windows, stride 2.
    const input = f32([1, 5, 2, 2, 3, 0, 2, 1]);
    const output = new Float32Array(2);
    const argmax = new Int32Array(2);
    const shape = { batch: 1, height: 2, width: 4, channels: 1, size: 2, stride: 2 };
    ref.maxPool(input, shape, output, argmax);
    assert.deepStrictEqual(Array.from(output), [5, 2]);
    assert.deepStrictEqual(Array.from(argmax), [1, 2]);
    const gradInput = f32([7, 7, 7, 7, 7, 7, 7, 7]);
    ref.maxPoolBackward(f32([10, 20]), argmax, shape, gradInput);
    assert.deepStrictEqual(Array.from(gradInput), [0, 10, 20, 0, 0, 0, 0, 0]);
  });

  it("relu, reluBackward, addBias and sumRows", () => {
    const x = f32([-1, 2, 0, 3]);
    const out = new Float32Array(4);
    ref.relu(x, out);
    assert.deepStrictEqual(Array.from(out), [0, 2, 0, 3]);
    const gradIn = new Float32Array(4);
    ref.reluBackward(x, f32([5, 6, 7, 8]), gradIn);
    assert.deepStrictEqual(Array.from(gradIn), [0, 6, 0, 8]);
    const m = f32([1, 2, 3, 4, 5, 6]);
    ref.addBias(m, 2, 3, f32([10, 20, 30]));
    assert.deepStrictEqual(Array.from(m), [11, 22, 33, 14, 25, 36]);
    const sums = new Float32Array(3);
    ref.sumRows(m, 2, 3, sums);
    assert.deepStrictEqual(Array.from(sums), [25, 47, 69]);
  });
});
