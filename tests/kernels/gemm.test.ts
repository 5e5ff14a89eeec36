/** The wasm GEMM (1 and 2 threads) against the reference on ragged sizes, every layout and scaling. */
import * as assert from "assert";
import { Random } from "../../lib/random";
import {
  SLICES_PER_THREAD,
  depthSlice,
  depthSliceCount,
  splitGemm,
  type GemmCall,
} from "../../lib/kernels/gemm-split";
import { assertClose, place, randomArray, reference, buildLabel, wasmBuilds } from "./helpers";

// Multiples of the 5×8 tile and not, plus blocks past MC = 120 rows, KC = 400 depth and NC = 2048 columns,
// products large enough to be split over threads, and a small C over a long sum (split along the sum).
const SHAPES: Array<[m: number, n: number, k: number]> = [
  [1, 1, 1],
  [1, 17, 3],
  [3, 1, 17],
  [17, 33, 1],
  [33, 100, 17],
  [100, 3, 129],
  [129, 33, 100],
  [4, 8, 801],
  [5, 8, 33],
  [10, 16, 7],
  [121, 9, 257],
  [5, 2050, 20],
  [150, 200, 150],
  [257, 129, 260],
  [9, 32, 20000],
];
const SCALINGS: Array<[alpha: number, beta: number]> = [
  [1, 0],
  [-0.5, 1],
  [2, 0.3],
];

describe("wasm gemm vs reference", () => {
  const random = new Random(7);
  for (const kernels of wasmBuilds()) {
    it(`${buildLabel(kernels)} runs the wasm build`, () => {
      assert.strictEqual(kernels.name, "wasm-simd", "dist/wasm/kernels.wasm must be built");
    });
    for (const [m, n, k] of SHAPES) {
      it(`${buildLabel(kernels)} m=${m} n=${n} k=${k}, all transposes and scalings`, () => {
        let round = 0;
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const [alpha, beta] of SCALINGS) {
              const a = randomArray(random, m * k);
              const b = randomArray(random, k * n);
              const c0 = randomArray(random, m * n);
              // beta = 0 must not read C: poison it.
              if (beta === 0) c0.fill(NaN);
              const expected = c0.slice();
              reference.gemm(transA, transB, m, n, k, alpha, a, b, beta, expected);
              // Alternate zero-copy and staged operands so both paths see every layout.
              const inMemory = round++ % 2 === 0;
              const c = place(kernels, c0, !inMemory);
              kernels.gemm(
                transA,
                transB,
                m,
                n,
                k,
                alpha,
                place(kernels, a, inMemory),
                place(kernels, b, inMemory),
                beta,
                c,
              );
              // Rounding grows with the depth of the sum and the size of its terms (|a|, |b|, |c| ≤ 1).
              const scale = Math.abs(alpha) * k + Math.abs(beta);
              assertClose(
                c,
                expected,
                () => 2e-6 * scale + 1e-6,
                `transA=${transA} transB=${transB} alpha=${alpha} beta=${beta}`,
              );
            }
          }
        }
      });
    }
    it(`${buildLabel(kernels)} k = 0 leaves beta·C`, () => {
      const c = Float32Array.from([1, 2, 3, 4]);
      kernels.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0.5, c);
      assert.deepStrictEqual(Array.from(c), [0.5, 1, 1.5, 2]);
    });
    it(`${buildLabel(kernels)} accepts subarray operands at unaligned offsets`, () => {
      const [m, n, k] = [19, 21, 23];
      const backing = kernels.alloc(m * k + 1);
      const a = backing.subarray(1);
      a.set(randomArray(random, m * k));
      const b = randomArray(random, k * n + 3).subarray(3);
      const expected = new Float32Array(m * n);
      reference.gemm(false, false, m, n, k, 1, a, b, 0, expected);
      const c = kernels.alloc(m * n + 1).subarray(1);
      kernels.gemm(false, false, m, n, k, 1, a, b, 0, c);
      assertClose(c, expected, () => 1e-4, "unaligned");
    });
    it(`${buildLabel(kernels)} rejects operands shorter than the shape needs`, () => {
      assert.throws(
        () =>
          kernels.gemm(
            false,
            false,
            4,
            4,
            4,
            1,
            new Float32Array(15),
            new Float32Array(16),
            0,
            new Float32Array(16),
          ),
        RangeError,
      );
    });
  }
});

describe("gemm thread split", () => {
  const call: GemmCall = {
    transA: true,
    transB: true,
    m: 100,
    n: 1000,
    k: 300,
    alpha: 1,
    a: 1000,
    lda: 100,
    b: 2000000,
    ldb: 300,
    beta: 0,
    c: 5000000,
    ldc: 1000,
  };

  it("keeps small products, and any product on one thread, whole", () => {
    assert.strictEqual(splitGemm({ ...call, m: 8, n: 8, k: 8 }, 2).length, 1);
    assert.strictEqual(splitGemm(call, 1).length, 1);
  });

  it("keeps a product whole when its slices would be too narrow to pay for re-packing", () => {
    // conv1's filter gradient: 9×32 over 43,264 steps, 25 Mflop but only 32 columns.
    assert.strictEqual(splitGemm({ ...call, m: 9, n: 32, k: 43264 }, 2).length, 1);
    assert.strictEqual(splitGemm({ ...call, m: 64, n: 128, k: 1600 }, 2).length, 2);
  });

  it("cuts a mid-sized product into fewer slices than the queue could take", () => {
    // 2·128·128·1000 = 33 Mflop, 128 columns: two slices of 64.
    assert.strictEqual(splitGemm({ ...call, m: 128, n: 128, k: 1000 }, 2).length, 2);
  });

  it("splits wide products into 8-aligned column slices that tile C", () => {
    const slices = splitGemm(call, 3);
    assert.strictEqual(slices.length, 3 * SLICES_PER_THREAD);
    let column = 0;
    for (const slice of slices) {
      assert.strictEqual(slice.c, call.c + column * 4);
      // Transposed B: column j of op(B) is row j of the stored n×k matrix.
      assert.strictEqual(slice.b, call.b + column * call.ldb * 4);
      assert.strictEqual(slice.a, call.a);
      column += slice.n;
      if (column < call.n) assert.strictEqual(slice.n % 8, 0);
    }
    assert.strictEqual(column, call.n);
  });

  it("splits tall products into 5-aligned row slices that tile C", () => {
    const tall = { ...call, m: 1000, n: 100, lda: 1000, ldc: 100 };
    const slices = splitGemm(tall, 2);
    assert.strictEqual(slices.length, 2 * SLICES_PER_THREAD);
    let row = 0;
    for (const slice of slices) {
      assert.strictEqual(slice.c, tall.c + row * tall.ldc * 4);
      // Transposed A: row i of op(A) is column i of the stored k×m matrix.
      assert.strictEqual(slice.a, tall.a + row * 4);
      assert.strictEqual(slice.b, tall.b);
      row += slice.m;
      if (row < tall.m) assert.strictEqual(slice.m % 5, 0);
    }
    assert.strictEqual(row, tall.m);
  });

  it("splits a small C over a long sum along the sum, and nothing else", () => {
    const filterGradient = { ...call, m: 9, n: 32, k: 43264 };
    assert.strictEqual(depthSliceCount(filterGradient, 2), 2);
    assert.strictEqual(depthSliceCount(filterGradient, 1), 1);
    // Wide enough for a column split, or too short a sum, or too big a C to add up.
    assert.strictEqual(depthSliceCount(call, 2), 1);
    assert.strictEqual(depthSliceCount({ ...filterGradient, k: 3000 }, 2), 1);
    assert.strictEqual(depthSliceCount({ ...filterGradient, m: 100, n: 100 }, 2), 1);
  });

  it("gives depth slices that cover the sum once, with their own unscaled output", () => {
    const long = { ...call, m: 9, n: 32, k: 10001, lda: 9, ldb: 10001, alpha: 3, beta: 0.5 };
    let steps = 0;
    for (let index = 0; index < 3; index++) {
      const slice = depthSlice(long, index, 3, 777 + index);
      // Transposed A: step p of op(A) is row p of the stored k×m matrix; transposed B: column p of the n×k one.
      assert.strictEqual(slice.a, long.a + steps * long.lda * 4);
      assert.strictEqual(slice.b, long.b + steps * 4);
      assert.deepStrictEqual([slice.c, slice.ldc, slice.alpha, slice.beta], [777 + index, 32, 1, 0]);
      steps += slice.k;
    }
    assert.strictEqual(steps, long.k);
  });
});
