/**
 * convGradRouted: a convolution's filter and bias gradients summed straight from a max-pool's routed
 * gradient equal the dense path (maxPoolBackward into dY, then gemm and sumRows), in the reference and
 * in every wasm build; a split over threads gives the same bits on every run; a stray arg-max index
 * is rejected before anything is written.
 */
import * as assert from "assert";
import {
  convOutputSize,
  getKernels,
  poolOutputSize,
  type ConvShape,
  type Kernels,
  type PoolShape,
} from "../../lib/kernels";
import { Random } from "../../lib/random";
import { assertClose, assertSameBits, buildLabel, randomArray, reference, wasmBuilds } from "./helpers";

interface Case {
  conv: ConvShape;
  filters: number;
  pool: number;
}

const CASES: Case[] = [
  {
    conv: { batch: 2, height: 8, width: 8, channels: 1, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 },
    filters: 5,
    pool: 2,
  },
  {
    conv: { batch: 3, height: 9, width: 7, channels: 3, kernelHeight: 3, kernelWidth: 2, stride: 1, pad: 1 },
    filters: 8,
    pool: 3,
  },
  // The reference CNN's first layer on 16 images: big enough to be split over threads.
  {
    conv: {
      batch: 16,
      height: 28,
      width: 28,
      channels: 1,
      kernelHeight: 3,
      kernelWidth: 3,
      stride: 1,
      pad: 0,
    },
    filters: 32,
    pool: 2,
  },
];

interface Routed {
  cols: Float32Array;
  values: Float32Array;
  argmax: Int32Array;
  rows: number;
  patch: number;
  poolShape: PoolShape;
}

/** A conv output pooled with its arg-max recorded, and a pooled gradient with about half its entries zero (as after a ReLU). */
function routedCase(random: Random, { conv, filters, pool }: Case): Routed {
  const { outHeight, outWidth } = convOutputSize(conv);
  const rows = conv.batch * outHeight * outWidth;
  const patch = conv.kernelHeight * conv.kernelWidth * conv.channels;
  const cols = new Float32Array(rows * patch);
  reference.im2col(randomArray(random, conv.batch * conv.height * conv.width * conv.channels), conv, cols);
  const poolShape: PoolShape = {
    batch: conv.batch,
    height: outHeight,
    width: outWidth,
    channels: filters,
    size: pool,
    stride: pool,
  };
  const pooled = poolOutputSize(poolShape);
  const count = conv.batch * pooled.outHeight * pooled.outWidth * filters;
  const argmax = new Int32Array(count);
  reference.maxPool(randomArray(random, rows * filters), poolShape, new Float32Array(count), argmax);
  const values = randomArray(random, count).map((v) => (v < 0 ? 0 : v));
  return { cols, values, argmax, rows, patch, poolShape };
}

function routedGradients(
  kernels: Kernels,
  c: Case,
  r: Routed,
): { weights: Float32Array; bias: Float32Array } {
  const weights = new Float32Array(r.patch * c.filters).fill(NaN);
  const bias = new Float32Array(c.filters).fill(NaN);
  kernels.convGradRouted(r.cols, r.values, r.argmax, c.conv.batch, r.rows, r.patch, c.filters, weights, bias);
  return { weights, bias };
}

function denseGradients(c: Case, r: Routed): { weights: Float32Array; bias: Float32Array } {
  const dy = new Float32Array(r.rows * c.filters);
  reference.maxPoolBackward(r.values, r.argmax, r.poolShape, dy);
  const weights = new Float32Array(r.patch * c.filters);
  reference.gemm(true, false, r.patch, c.filters, r.rows, 1, r.cols, dy, 0, weights);
  const bias = new Float32Array(c.filters);
  reference.sumRows(dy, r.rows, c.filters, bias);
  return { weights, bias };
}

describe("convGradRouted", () => {
  const random = new Random(21);
  for (const kernels of [reference, ...wasmBuilds()]) {
    const label = kernels === reference ? "reference" : buildLabel(kernels);
    CASES.forEach((c, index) => {
      it(`${label} case ${index} (${c.conv.batch}×${c.conv.height}×${c.conv.width}×${c.conv.channels} → ${c.filters}, pool ${c.pool}): equals the dense path`, () => {
        const r = routedCase(random, c);
        const actual = routedGradients(kernels, c, r);
        const expected = denseGradients(c, r);
        // Float32 sums of up to `rows` terms of either sign, added in another order.
        const tolerance = (expected: Float32Array) => (i: number) =>
          1e-5 * Math.abs(expected[i]) + 2e-8 * r.rows;
        assertClose(actual.weights, expected.weights, tolerance(expected.weights), "weights");
        assertClose(actual.bias, expected.bias, tolerance(expected.bias), "bias");
      });
    });
    it(`${label} rejects an arg-max index outside its own image, writing nothing`, () => {
      const c = CASES[0];
      const r = routedCase(random, c);
      // Image 1's last entry points into image 0's outputs.
      r.argmax[r.argmax.length - 1] = 0;
      const weights = new Float32Array(r.patch * c.filters).fill(7);
      assert.throws(
        () =>
          kernels.convGradRouted(
            r.cols,
            r.values,
            r.argmax,
            c.conv.batch,
            r.rows,
            r.patch,
            c.filters,
            weights,
            null,
          ),
        /convGradRouted: argmax\[\d+\] = 0 is outside image 1's outputs/,
      );
      assert.ok(weights.every((w) => w === 7));
    });
  }

  it("split over 2 and 3 threads: the same bits on every run", () => {
    const c = CASES[2];
    const r = routedCase(random, c);
    for (const threads of [2, 3]) {
      const kernels = getKernels({ implementation: "wasm", threads });
      const first = routedGradients(kernels, c, r);
      const second = routedGradients(kernels, c, r);
      assertSameBits(second.weights, first.weights, `${threads} threads, weights`);
      assertSameBits(second.bias, first.bias, `${threads} threads, bias`);
    }
  });
});
