export const MR: i32 = 4;
export const NR: i32 = 8;

export function microKernel(kc: i32, a: usize, b: usize, c: usize, ldc: usize, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0); let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0); let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0); let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0); let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b, 0);
    const b1 = v128.load(b, 16);
    let ai = v128.load32_splat(a, 0);
    c00 = f32x4.add(c00, f32x4.mul(ai, b0));
    c01 = f32x4.add(c01, f32x4.mul(ai, b1));
    ai = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(ai, b0));
    c11 = f32x4.add(c11, f32x4.mul(ai, b1));
    ai = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(ai, b0));
    c21 = f32x4.add(c21, f32x4.mul(ai, b1));
    ai = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(ai, b0));
    c31 = f32x4.add(c31, f32x4.mul(ai, b1));
    a += 16;
    b += 32;
  }
  const va = f32x4.splat(alpha);
  if (beta == 0) {
    v128.store(c + 0 * ldc, f32x4.mul(va, c00), 0);
    v128.store(c + 0 * ldc, f32x4.mul(va, c01), 16);
    v128.store(c + 1 * ldc, f32x4.mul(va, c10), 0);
    v128.store(c + 1 * ldc, f32x4.mul(va, c11), 16);
    v128.store(c + 2 * ldc, f32x4.mul(va, c20), 0);
    v128.store(c + 2 * ldc, f32x4.mul(va, c21), 16);
    v128.store(c + 3 * ldc, f32x4.mul(va, c30), 0);
    v128.store(c + 3 * ldc, f32x4.mul(va, c31), 16);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(c + 0 * ldc, f32x4.add(f32x4.mul(va, c00), f32x4.mul(vb, v128.load(c + 0 * ldc, 0))), 0);
    v128.store(c + 0 * ldc, f32x4.add(f32x4.mul(va, c01), f32x4.mul(vb, v128.load(c + 0 * ldc, 16))), 16);
    v128.store(c + 1 * ldc, f32x4.add(f32x4.mul(va, c10), f32x4.mul(vb, v128.load(c + 1 * ldc, 0))), 0);
    v128.store(c + 1 * ldc, f32x4.add(f32x4.mul(va, c11), f32x4.mul(vb, v128.load(c + 1 * ldc, 16))), 16);
    v128.store(c + 2 * ldc, f32x4.add(f32x4.mul(va, c20), f32x4.mul(vb, v128.load(c + 2 * ldc, 0))), 0);
    v128.store(c + 2 * ldc, f32x4.add(f32x4.mul(va, c21), f32x4.mul(vb, v128.load(c + 2 * ldc, 16))), 16);
    v128.store(c + 3 * ldc, f32x4.add(f32x4.mul(va, c30), f32x4.mul(vb, v128.load(c + 3 * ldc, 0))), 0);
    v128.store(c + 3 * ldc, f32x4.add(f32x4.mul(va, c31), f32x4.mul(vb, v128.load(c + 3 * ldc, 16))), 16);
  }
}
