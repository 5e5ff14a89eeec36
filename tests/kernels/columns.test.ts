/**
 * The per-column kernels behind batch-norm, sumRowsOfProducts and combineColumns: hand-computed
 * reference cases, the wasm builds against the reference (ragged shapes, both placements, edge
 * values), the split over 2 and 3 threads, and length checks.
 */
import * as assert from "assert";
import { getKernels } from "../../lib/kernels";
import { Random } from "../../lib/random";
import {
  assertClose,
  assertSameBits,
  buildLabel,
  jobsPerRun,
  place,
  randomArray,
  reference,
  wasmBuilds,
} from "./helpers";

const MATRICES: Array<[rows: number, cols: number]> = [
  [1, 1],
  [3, 5],
  [17, 4],
  [100, 33],
  [5000, 10],
];
const f32 = (values: number[]) => Float32Array.from(values);

describe("per-column kernels", () => {
  it("the reference computes hand-checked sums of products and combinations", () => {
    const out = f32([NaN, NaN]);
    // Rows [1, 2] and [3, 4] against rows [5, 6] and [7, 8].
    reference.sumRowsOfProducts(f32([1, 2, 3, 4]), f32([5, 6, 7, 8]), 2, 2, out);
    assert.deepStrictEqual(Array.from(out), [1 * 5 + 3 * 7, 2 * 6 + 4 * 8]);

    const combined = new Float32Array(4);
    reference.combineColumns(
      f32([1, 2, 3, 4]),
      f32([10, 100]),
      f32([5, 6, 7, 8]),
      f32([-1, 2]),
      f32([0.5, -0.5]),
      2,
      2,
      combined,
    );
    assert.deepStrictEqual(Array.from(combined), [
      10 - 5 + 0.5,
      200 + 12 - 0.5,
      30 - 7 + 0.5,
      400 + 16 - 0.5,
    ]);
    reference.combineColumns(f32([1, 2, 3, 4]), f32([10, 100]), null, null, f32([0.5, -0.5]), 2, 2, combined);
    assert.deepStrictEqual(Array.from(combined), [10.5, 199.5, 30.5, 399.5]);
  });

  it("the reference rounds combineColumns to float32 after every step", () => {
    // 1 + 2⁻²⁴ is not a float32: rounded on its own it is 1 (ties to even), so adding −1 gives 0.
    const out = new Float32Array(1);
    reference.combineColumns(f32([1]), f32([1]), f32([2 ** -24]), f32([1]), f32([-1]), 1, 1, out);
    assert.strictEqual(out[0], 0);
  });

  const random = new Random(31);
  for (const kernels of wasmBuilds()) {
    for (const [rows, cols] of MATRICES) {
      it(`${buildLabel(kernels)} combineColumns and sumRowsOfProducts against the reference, ${rows}×${cols}`, () => {
        const n = rows * cols;
        const a = randomArray(random, n, -3, 3);
        const b = randomArray(random, n);
        // Values the vector path must treat exactly like the scalar one.
        if (n >= 4) a.set([NaN, -0, Infinity, -Infinity]);
        const [wa, wb, shift] = [
          randomArray(random, cols),
          randomArray(random, cols),
          randomArray(random, cols),
        ];
        const inMemory = (i: number) => (rows + i) % 2 === 0;

        for (const second of [true, false]) {
          const expected = new Float32Array(n);
          reference.combineColumns(a, wa, second ? b : null, second ? wb : null, shift, rows, cols, expected);
          const out = place(kernels, new Float32Array(n).fill(NaN), inMemory(0));
          kernels.combineColumns(
            place(kernels, a, inMemory(1)),
            place(kernels, wa, inMemory(2)),
            second ? place(kernels, b, inMemory(3)) : null,
            second ? place(kernels, wb, inMemory(4)) : null,
            place(kernels, shift, inMemory(5)),
            rows,
            cols,
            out,
          );
          assertSameBits(out, expected, `combineColumns ${second ? "with" : "without"} b`);
        }

        const finite = randomArray(random, n);
        for (const y of [b, finite]) {
          const expected = new Float32Array(cols);
          reference.sumRowsOfProducts(finite, y, rows, cols, expected);
          const sums = place(kernels, new Float32Array(cols).fill(NaN), inMemory(0));
          kernels.sumRowsOfProducts(
            place(kernels, finite, inMemory(1)),
            y === finite ? finite : place(kernels, y, inMemory(2)),
            rows,
            cols,
            sums,
          );
          // float32 running sums of products within [−1, 1] against a float64 one.
          assertClose(
            sums,
            expected,
            () => 1e-6 * rows + 1e-6,
            y === finite ? "sums of squares" : "sumRowsOfProducts",
          );
        }
      });
    }

    it(`${buildLabel(kernels)} rejects short arrays and a b term without its weights`, () => {
      const [rows, cols] = [6, 5];
      const full = () => new Float32Array(rows * cols);
      const column = () => new Float32Array(cols);
      const short = (length: number) => new Float32Array(length - 1);
      assert.throws(
        () => kernels.sumRowsOfProducts(short(rows * cols), full(), rows, cols, column()),
        /sumRowsOfProducts: x has 29 elements, needs 30/,
      );
      assert.throws(
        () => kernels.sumRowsOfProducts(full(), short(rows * cols), rows, cols, column()),
        /sumRowsOfProducts: y has 29/,
      );
      assert.throws(
        () => kernels.sumRowsOfProducts(full(), full(), rows, cols, short(cols)),
        /sumRowsOfProducts: out has 4/,
      );
      const args = () => [full(), column(), full(), column(), column(), full()];
      for (const [index, name] of ["a", "wa", "b", "wb", "shift", "out"].entries()) {
        const [a, wa, b, wb, shift, out] = args();
        const arrays = [a, wa, b, wb, shift, out];
        arrays[index] = short(arrays[index].length);
        assert.throws(
          () =>
            kernels.combineColumns(
              arrays[0],
              arrays[1],
              arrays[2],
              arrays[3],
              arrays[4],
              rows,
              cols,
              arrays[5],
            ),
          new RegExp(`combineColumns: ${name} has \\d+ elements, needs ${arrays[index].length + 1}`),
        );
      }
      assert.throws(
        () => kernels.combineColumns(full(), column(), full(), null, column(), rows, cols, full()),
        TypeError,
      );
      assert.throws(
        () => kernels.combineColumns(full(), column(), null, column(), column(), rows, cols, full()),
        TypeError,
      );
    });
  }

  describe("split over threads", () => {
    const single = getKernels({ implementation: "wasm", threads: 1 });
    // cols not a multiple of 4 (scalar tails), rows not a multiple of the thread count (ragged parts).
    const cols = 37;
    for (const threads of [2, 3]) {
      const kernels = getKernels({ implementation: "wasm", threads });
      for (const [rows, parts] of [
        [40009, threads],
        [50, 1],
      ]) {
        it(`${threads}T combineColumns equals one thread bit for bit, sumRowsOfProducts is deterministic, ${rows}×${cols}`, () => {
          const n = rows * cols;
          const [a, b] = [randomArray(random, n), randomArray(random, n)];
          const [wa, wb, shift] = [
            randomArray(random, cols),
            randomArray(random, cols),
            randomArray(random, cols),
          ];
          for (const second of [true, false]) {
            const expected = single.alloc(n);
            single.combineColumns(a, wa, second ? b : null, second ? wb : null, shift, rows, cols, expected);
            const actual = place(kernels, new Float32Array(n).fill(NaN), true);
            const runs = jobsPerRun(kernels, () =>
              kernels.combineColumns(
                place(kernels, a, true),
                wa,
                second ? b : null,
                second ? wb : null,
                shift,
                rows,
                cols,
                actual,
              ),
            );
            assert.deepStrictEqual(runs, [parts], "jobs per run");
            assertSameBits(actual, expected, `combineColumns ${second ? "with" : "without"} b`);
          }

          const x = place(kernels, a, true);
          const sumsOf = () => {
            const sums = place(kernels, new Float32Array(cols).fill(NaN), true);
            const runs = jobsPerRun(kernels, () => kernels.sumRowsOfProducts(x, b, rows, cols, sums));
            // One band sums straight into `sums`, without the pool.
            assert.deepStrictEqual(runs, parts === 1 ? [] : [parts], "bands");
            return sums;
          };
          const first = sumsOf();
          assertSameBits(sumsOf(), first, "sumRowsOfProducts run again");
          const expected = new Float32Array(cols);
          reference.sumRowsOfProducts(a, b, rows, cols, expected);
          assertClose(first, expected, () => 1e-6 * rows, "sumRowsOfProducts against the reference");
          if (parts === 1) {
            const alone = new Float32Array(cols);
            single.sumRowsOfProducts(a, b, rows, cols, alone);
            assertSameBits(first, alone, "sumRowsOfProducts below the split size");
          }
        });
      }
    }
  });
});
