/**
 * The GEMM register tile: a 5×8 block of C held in ten f32x4 accumulators while the kernel streams
 * one packed 5-row sliver of A and one packed 8-column sliver of B.
 *
 * Why 5×8: a fused multiply-add has a latency of 4 cycles and x64 cores issue two per cycle, so at
 * least 8 independent accumulators must be in flight; with exactly 8 (a 4×8 tile) any hiccup stalls
 * the pipes. V8 gives wasm 15 usable SIMD registers on x64: 10 accumulators + 2 B vectors + the A
 * broadcasts fit. Timed alone on this project's 2-core AMD EPYC machine with the slivers in L1, 4×8
 * ran at 35 GFLOPS, 5×8 and 3×12 at 47, while 6×8, 4×12 and 3×16 spilled accumulators to the stack
 * and fell to 22; unrolling the depth loop spilled too. 8 columns divide the channel counts of our
 * layers (32, 64, 128), where 12 would leave ragged edges.
 * Plain wasm SIMD has no fused multiply-add, so each step is a mul and an add; the second build of
 * this module (kernels-relaxed.wasm) uses relaxed-simd's f32x4.relaxed_madd, one FMA on x64.
 */
export const MR: i32 = 5;
export const NR: i32 = 8;

/** C[0:5, 0:8] = Asliver · Bsliver over `depth` steps, `ldc` the row stride of C in bytes; C is not read. */
export function storeTile(depth: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  tile(depth, a, b, c, ldc, false);
}

/** C[0:5, 0:8] += Asliver · Bsliver over `depth` steps. */
export function addTile(depth: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  tile(depth, a, b, c, ldc, true);
}

/**
 * The loop behind both entry points, which call it with a constant `accumulate` so each compiles to
 * its own straight copy. Scaling by alpha and beta stays outside (gemm.ts): V8 keeps f32 parameters
 * in SIMD registers, and two more live values, or a branch in the epilogue, were enough to make it
 * spill accumulators inside the loop (18 GFLOPS instead of 46).
 */
@inline function tile(depth: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  const zero = f32x4.splat(0);
  let c00 = accumulate ? v128.load(c) : zero, c01 = accumulate ? v128.load(c, 16) : zero;
  let c10 = accumulate ? v128.load(c + ldc) : zero, c11 = accumulate ? v128.load(c + ldc, 16) : zero;
  let c20 = accumulate ? v128.load(c + 2 * ldc) : zero, c21 = accumulate ? v128.load(c + 2 * ldc, 16) : zero;
  let c30 = accumulate ? v128.load(c + 3 * ldc) : zero, c31 = accumulate ? v128.load(c + 3 * ldc, 16) : zero;
  let c40 = accumulate ? v128.load(c + 4 * ldc) : zero, c41 = accumulate ? v128.load(c + 4 * ldc, 16) : zero;
  // The five rows are written out on purpose (a duplicate-finder flags them): ten named locals are
  // what V8 keeps in registers; a loop over rows or an array of accumulators would spill them.
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let ai = v128.load32_splat(a);
    c00 = multiplyAdd(ai, b0, c00);
    c01 = multiplyAdd(ai, b1, c01);
    ai = v128.load32_splat(a, 4);
    c10 = multiplyAdd(ai, b0, c10);
    c11 = multiplyAdd(ai, b1, c11);
    ai = v128.load32_splat(a, 8);
    c20 = multiplyAdd(ai, b0, c20);
    c21 = multiplyAdd(ai, b1, c21);
    ai = v128.load32_splat(a, 12);
    c30 = multiplyAdd(ai, b0, c30);
    c31 = multiplyAdd(ai, b1, c31);
    ai = v128.load32_splat(a, 16);
    c40 = multiplyAdd(ai, b0, c40);
    c41 = multiplyAdd(ai, b1, c41);
    a += <usize>MR << 2;
    b += <usize>NR << 2;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
  v128.store(c + 4 * ldc, c40);
  v128.store(c + 4 * ldc, c41, 16);
}

/**
 * acc + a·b: a fused multiply-add where relaxed-simd is compiled in (rounding once or twice, as the
 * engine chooses), a multiply then an add otherwise. Decided at compile time.
 */
@inline function multiplyAdd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
