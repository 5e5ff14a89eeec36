/**
 * The memory-bound kernels split over the worker pool: on 2 and 3 threads, above and below the size
 * at which they split, with ragged parts, they give the 1-thread result bit for bit (sumRows: the same
 * bits on every run, close to the reference).
 */
import * as assert from "assert";
import {
  getKernels,
  poolOutputSize,
  type AdamHyper,
  type ConvShape,
  type Kernels,
  type PoolShape,
} from "../../lib/kernels";
import { splitRange } from "../../lib/kernels/partition";
import { Random } from "../../lib/random";
import { assertClose, assertSameBits, jobsPerRun, place, randomArray, reference } from "./helpers";

const single = getKernels({ implementation: "wasm", threads: 1 });
const splitBuilds = [2, 3].map((threads) => getKernels({ implementation: "wasm", threads }));

/**
 * Runs `kernel` on one thread and on `kernels`, each on its own copies of `inputs` (which the kernel
 * may overwrite), and holds every array to the same bits; checks that the split made `parts` jobs.
 */
function assertSplitEqual(
  kernels: Kernels,
  parts: number,
  inputs: ReadonlyArray<Float32Array | Int32Array>,
  kernel: (k: Kernels, arrays: Array<Float32Array | Int32Array>) => void,
): void {
  const copies = (k: Kernels) =>
    inputs.map((array, i) => {
      // Alternately in the kernels' memory and in plain arrays (staged copies), like the other tests.
      if (array instanceof Int32Array || i % 2 === 1) return array.slice();
      return place(k, array, true);
    });
  const expected = copies(single);
  kernel(single, expected);
  const actual = copies(kernels);
  const runs = jobsPerRun(kernels, () => kernel(kernels, actual));
  assert.deepStrictEqual(runs, [parts], "jobs per run");
  actual.forEach((array, i) => assertSameBits(array, expected[i], `array ${i}`));
}

describe("splitRange", () => {
  it("cuts [0, total) into contiguous, balanced, aligned ranges", () => {
    assert.deepStrictEqual(splitRange(7, 3), [
      { start: 0, count: 2 },
      { start: 2, count: 2 },
      { start: 4, count: 3 },
    ]);
    assert.deepStrictEqual(splitRange(100, 3, 16), [
      { start: 0, count: 32 },
      { start: 32, count: 32 },
      { start: 64, count: 36 },
    ]);
    // Fewer items than parts: no empty range.
    assert.deepStrictEqual(splitRange(2, 3), [
      { start: 0, count: 1 },
      { start: 1, count: 1 },
    ]);
    assert.deepStrictEqual(splitRange(0, 2), []);
    for (const [total, parts, align] of [
      [1000, 2, 16],
      [1001, 3, 16],
      [17, 4, 4],
      [64, 2, 1],
    ]) {
      const ranges = splitRange(total, parts, align);
      assert.ok(ranges.length <= parts);
      let next = 0;
      for (const { start, count } of ranges) {
        assert.strictEqual(start, next, "contiguous");
        assert.strictEqual(start % align, 0, "aligned");
        assert.ok(count > 0);
        next = start + count;
      }
      assert.strictEqual(next, total, "covers [0, total)");
    }
  });
});

describe("memory-bound kernels split over threads", () => {
  const random = new Random(21);
  const hyper: AdamHyper = {
    beta1: 0.9,
    beta2: 0.999,
    stepSize: 1e-3,
    epsilonHat: 1e-8,
    coupled: 0.01,
    shrink: 0.999,
  };
  // Sizes far above the split threshold (one part per thread, on 3 threads too) and far below it
  // (one job on the calling thread), none a multiple of the 16-float alignment of the parts.
  const big = (1 << 20) + 7;
  const small = (1 << 15) + 3;

  for (const kernels of splitBuilds) {
    const t = kernels.threads;
    for (const [length, parts] of [
      [big, t],
      [small, 1],
    ]) {
      it(`${t}T relu, reluBackward and adamStep, length ${length}`, () => {
        const x = randomArray(random, length);
        x.set([NaN, -0, 0, Infinity, -Infinity]);
        const out = new Float32Array(length);
        assertSplitEqual(kernels, parts, [x, out], (k, [a, b]) =>
          k.relu(a as Float32Array, b as Float32Array),
        );
        assertSplitEqual(kernels, parts, [x], (k, [a]) => k.relu(a as Float32Array, a as Float32Array));
        const gradOut = randomArray(random, length);
        assertSplitEqual(kernels, parts, [x, gradOut, out], (k, [a, b, c]) =>
          k.reluBackward(a as Float32Array, b as Float32Array, c as Float32Array),
        );
        // Adam costs about ten times more per weight than relu per element: a tenth of the length splits alike.
        const n = Math.ceil(length / 10);
        const [w, g, m] = [
          randomArray(random, n),
          randomArray(random, n, -0.1, 0.1),
          randomArray(random, n, -0.01, 0.01),
        ];
        const v = randomArray(random, n, 0, 1e-4);
        assertSplitEqual(kernels, parts, [w, g, m, v], (k, arrays) => {
          const [wk, gk, mk, vk] = arrays as Float32Array[];
          k.adamStep(wk, gk, mk, vk, hyper);
        });
      });
    }

    for (const [rows, parts] of [
      [20011, t],
      [100, 1],
    ]) {
      const cols = 33;
      it(`${t}T addBias and sumRows, ${rows}×${cols}`, () => {
        const x = randomArray(random, rows * cols);
        const bias = randomArray(random, cols);
        assertSplitEqual(kernels, parts, [x, bias], (k, [a, b]) =>
          k.addBias(a as Float32Array, rows, cols, b as Float32Array),
        );

        const sumsOf = () => {
          const sums = place(kernels, new Float32Array(cols).fill(NaN), true);
          const runs = jobsPerRun(kernels, () => kernels.sumRows(x, rows, cols, sums));
          // One band sums straight into `sums`, without the pool.
          assert.deepStrictEqual(runs, parts === 1 ? [] : [parts], "bands");
          return sums;
        };
        const first = sumsOf();
        assertSameBits(sumsOf(), first, "sumRows run again");
        const expected = new Float32Array(cols);
        reference.sumRows(x, rows, cols, expected);
        assertClose(first, expected, () => 1e-6 * rows, "sumRows against the reference");
        if (parts === 1) {
          const alone = new Float32Array(cols);
          single.sumRows(x, rows, cols, alone);
          assertSameBits(first, alone, "sumRows below the split size");
        }
      });
    }

    // 7 and 10 images: ragged blocks on 2 and 3 threads. Channels not a multiple of 4 exercise the scalar tails.
    const convShapes: Array<[ConvShape, number]> = [
      [
        { batch: 7, height: 16, width: 16, channels: 37, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 1 },
        t,
      ],
      // Single-channel images: many short patch rows, the costly case of im2col.
      [
        { batch: 10, height: 28, width: 28, channels: 1, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 },
        t,
      ],
      [{ batch: 7, height: 8, width: 8, channels: 3, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 }, 1],
    ];
    for (const [shape, parts] of convShapes) {
      it(`${t}T im2col, ${shape.batch}×${shape.height}×${shape.width}×${shape.channels}`, () => {
        const outPixels = (shape.height + 2 * shape.pad - 2) * (shape.width + 2 * shape.pad - 2);
        const input = randomArray(random, shape.batch * shape.height * shape.width * shape.channels);
        const cols = new Float32Array(shape.batch * outPixels * 9 * shape.channels).fill(NaN);
        assertSplitEqual(kernels, parts, [cols, input], (k, [c, i]) =>
          k.im2col(i as Float32Array, shape, c as Float32Array),
        );
      });
    }

    // The reference CNN's second convolution on 7 images, and a tiny batch that stays whole.
    const convForwardShapes: Array<[ConvShape, number, number]> = [
      [
        { batch: 7, height: 13, width: 13, channels: 32, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 },
        64,
        t,
      ],
      [
        { batch: 2, height: 6, width: 6, channels: 1, kernelHeight: 3, kernelWidth: 3, stride: 1, pad: 0 },
        8,
        1,
      ],
    ];
    for (const [shape, filters, parts] of convForwardShapes) {
      it(`${t}T convForward, ${shape.batch}×${shape.height}×${shape.width}×${shape.channels} → ${filters}`, () => {
        const rows = shape.batch * (shape.height - 2) * (shape.width - 2);
        const patch = 9 * shape.channels;
        const input = randomArray(random, shape.batch * shape.height * shape.width * shape.channels);
        const weights = randomArray(random, patch * filters);
        const bias = randomArray(random, filters);
        const cols = new Float32Array(rows * patch).fill(NaN);
        const output = new Float32Array(rows * filters).fill(NaN);
        assertSplitEqual(kernels, parts, [cols, input, output, weights, bias], (k, [c, i, o, w, b]) =>
          k.convForward(
            i as Float32Array,
            shape,
            w as Float32Array,
            filters,
            b as Float32Array,
            c as Float32Array,
            o as Float32Array,
          ),
        );
      });
    }

    const poolShapes: Array<[PoolShape, number]> = [
      [{ batch: 7, height: 48, width: 48, channels: 37, size: 2, stride: 2 }, t],
      // Overlapping windows: two gradients may meet in one input, always of the same image.
      [{ batch: 7, height: 61, width: 61, channels: 20, size: 3, stride: 2 }, t],
      [{ batch: 7, height: 26, width: 26, channels: 4, size: 2, stride: 2 }, 1],
    ];
    for (const [shape, parts] of poolShapes) {
      it(`${t}T maxPool and maxPoolBackward, ${shape.batch}×${shape.height}×${shape.width}×${shape.channels} window ${shape.size}`, () => {
        const { outHeight, outWidth } = poolOutputSize(shape);
        const inputLength = shape.batch * shape.height * shape.width * shape.channels;
        const outputLength = shape.batch * outHeight * outWidth * shape.channels;
        // Few distinct values: ties, where the first maximum must win in every block.
        const input = randomArray(random, inputLength, 0, 4).map(Math.floor);
        const output = new Float32Array(outputLength);
        const argmax = new Int32Array(outputLength);
        assertSplitEqual(kernels, parts, [output, input, argmax], (k, [o, i, a]) =>
          k.maxPool(i as Float32Array, shape, o as Float32Array, a as Int32Array),
        );
        single.maxPool(input, shape, output, argmax);
        const expectedArgmax = new Int32Array(outputLength);
        reference.maxPool(input, shape, new Float32Array(outputLength), expectedArgmax);
        assertSameBits(argmax, expectedArgmax, "argmax against the reference");

        const gradOutput = randomArray(random, outputLength);
        const gradInput = new Float32Array(inputLength).fill(NaN);
        assertSplitEqual(kernels, parts, [gradInput, gradOutput, argmax], (k, [gi, go, a]) =>
          k.maxPoolBackward(go as Float32Array, a as Int32Array, shape, gi as Float32Array),
        );
        const expected = new Float32Array(inputLength);
        reference.maxPoolBackward(gradOutput, argmax, shape, expected);
        const actual = kernels.alloc(inputLength);
        kernels.maxPoolBackward(gradOutput, argmax, shape, actual);
        assertSameBits(actual, expected, "gradInput against the reference");

        // The last image's first arg-max moved into image 0: rejected before any block is written.
        argmax[outputLength - outHeight * outWidth * shape.channels] = 0;
        actual.fill(5);
        assert.throws(() => kernels.maxPoolBackward(gradOutput, argmax, shape, actual), RangeError);
        assert.ok(
          actual.every((value) => value === 5),
          "gradInput was written",
        );
      });
    }
  }
});
