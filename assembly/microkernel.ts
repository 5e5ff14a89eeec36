/**
 * The GEMM register tile: a 4×8 block of C held in eight f32x4 accumulators while the kernel streams
 * one packed 4-row sliver of A and one packed 8-column sliver of B.
 *
 * Why 4×8: V8 gives wasm 15 usable SIMD registers on x64 and schedules every load of an iteration
 * before its arithmetic, so all A broadcasts and B vectors of one step are live at once. 4×8 needs
 * 8 accumulators + 2 B vectors + 4 broadcasts = 14 and never spills; 6×8 (12 + 2 + 6) spilled four
 * accumulators to the stack and ran 25% slower, and unrolling the depth loop spilled too.
 * Plain wasm SIMD has no fused multiply-add, so each step is a mul and an add; the second build of
 * this module (kernels-relaxed.wasm) uses relaxed-simd's f32x4.relaxed_madd, one FMA on x64.
 */
export const MR: i32 = 4;
export const NR: i32 = 8;

/**
 * C[0:4, 0:8] = alpha · Asliver · Bsliver + beta · C over `depth` steps, `ldc` the row stride of C in
 * bytes. beta = 0 never reads C, so C may hold garbage (NaN) as in BLAS.
 */
export function microKernel(depth: i32, a: usize, b: usize, c: usize, ldc: usize, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
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
    a += <usize>MR << 2;
    b += <usize>NR << 2;
  }
  const va = f32x4.splat(alpha);
  if (beta == 0) {
    storeRow(c, c00, c01, va);
    storeRow(c + ldc, c10, c11, va);
    storeRow(c + 2 * ldc, c20, c21, va);
    storeRow(c + 3 * ldc, c30, c31, va);
  } else {
    const vb = f32x4.splat(beta);
    updateRow(c, c00, c01, va, vb);
    updateRow(c + ldc, c10, c11, va, vb);
    updateRow(c + 2 * ldc, c20, c21, va, vb);
    updateRow(c + 3 * ldc, c30, c31, va, vb);
  }
}

@inline function storeRow(c: usize, acc0: v128, acc1: v128, va: v128): void {
  v128.store(c, f32x4.mul(va, acc0));
  v128.store(c, f32x4.mul(va, acc1), 16);
}

@inline function updateRow(c: usize, acc0: v128, acc1: v128, va: v128, vb: v128): void {
  v128.store(c, f32x4.add(f32x4.mul(va, acc0), f32x4.mul(vb, v128.load(c))));
  v128.store(c, f32x4.add(f32x4.mul(va, acc1), f32x4.mul(vb, v128.load(c, 16))), 16);
}

/**
 * acc + a·b: a fused multiply-add where relaxed-simd is compiled in (rounding once or twice, as the
 * engine chooses), a multiply then an add otherwise. Decided at compile time.
 */
@inline function multiplyAdd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
