/**
 * Convolution backward passes over a sparse output gradient dY (rows × filters, rows = batch·outH·outW).
 * After max-pooling only the arg-max of each window receives gradient (and after the ReLU only the
 * positive ones), so most entries of dY are zero; these kernels skip them, four filters at a time,
 * instead of multiplying them through a dense GEMM. Non-zero entries (NaN included) are used as usual.
 */
import { zeroFloats } from "./vector";

/** y[0:count] += a · x[0:count]. */
@inline function axpy(y: usize, x: usize, a: f32, count: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.add(v128.load(y + at), f32x4.mul(va, v128.load(x + at))));
    v128.store(y + at + 16, f32x4.add(v128.load(y + at + 16), f32x4.mul(va, v128.load(x + at + 16))));
  }
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.add(v128.load(y + at), f32x4.mul(va, v128.load(x + at))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, load<f32>(y + at) + a * load<f32>(x + at));
  }
}

/** dst (cols × rows) = transpose of src (rows × cols). */
function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      store<f32>(dst + ((<usize>j * <usize>rows + <usize>i) << 2), load<f32>(src + ((<usize>i * <usize>cols + <usize>j) << 2)));
    }
  }
}

/** Whether the four floats at `at` are all +0 or −0. */
@inline function allZero(at: usize): bool {
  // |x| == 0 exactly for ±0; NaN compares unequal and so counts as non-zero.
  return !v128.any_true(f32x4.ne(v128.load(at), f32x4.splat(0)));
}

/**
 * gradWeights (patch × filters, overwritten) = colsᵀ · gradOutput, where cols is rows × patch and
 * gradOutput rows × filters. Rows of gradOutput and gradWeights are `stride` ≥ filters floats apart, so
 * a thread can take a band of filters. Accumulates the transpose (filters × patch) in `scratch` (patch·filters floats) so every update is
 * one contiguous patch row.
 */
export function convWeightGradSparse(
  cols: usize, gradOutput: usize, rows: i32, patch: i32, filters: i32, stride: i32, gradWeights: usize, scratch: usize,
): void {
  zeroFloats(scratch, patch * filters);
  const patchBytes = <usize>patch << 2;
  for (let r = 0; r < rows; r++) {
    const colRow = cols + <usize>r * patchBytes;
    const gRow = gradOutput + ((<usize>r * <usize>stride) << 2);
    let f = 0;
    for (; f + 4 <= filters; f += 4) {
      if (allZero(gRow + (<usize>f << 2))) continue;
      for (let l = f; l < f + 4; l++) {
        const g = load<f32>(gRow + (<usize>l << 2));
        if (g != 0) axpy(scratch + <usize>l * patchBytes, colRow, g, patch);
      }
    }
    for (; f < filters; f++) {
      const g = load<f32>(gRow + (<usize>f << 2));
      if (g != 0) axpy(scratch + <usize>f * patchBytes, colRow, g, patch);
    }
  }
  // gradWeights[p, f] = scratch[f, p], rows `stride` floats apart.
  for (let p = 0; p < patch; p++) {
    for (let f = 0; f < filters; f++) {
      store<f32>(gradWeights + ((<usize>p * <usize>stride + <usize>f) << 2), load<f32>(scratch + <usize>f * patchBytes + (<usize>p << 2)));
    }
  }
}

/**
 * gradInput (NHWC, overwritten) = col2im(gradOutput · weightsᵀ) for weights patch × filters, without
 * forming the patch gradient: each non-zero dY entry adds its filter, row by row, into the input
 * window it came from. `scratch` holds weightsᵀ (patch·filters floats).
 */
export function convInputGradSparse(
  gradOutput: usize, weights: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, stride: i32, pad: i32, outHeight: i32, outWidth: i32,
  filters: i32, gradInput: usize, scratch: usize,
): void {
  const patchRow = kernelWidth * channels;
  const patch = kernelHeight * patchRow;
  const patchBytes = <usize>patch << 2;
  transpose(weights, patch, filters, scratch);
  const imageFloats = height * width * channels;
  zeroFloats(gradInput, batch * imageFloats);
  let gRow = gradOutput;
  for (let b = 0; b < batch; b++) {
    const image = gradInput + ((<usize>b * <usize>imageFloats) << 2);
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * stride - pad;
        const kxFrom = max(0, -x0);
        const kxTo = min(kernelWidth, width - x0);
        if (kxFrom < kxTo) {
          const span = (kxTo - kxFrom) * channels;
          for (let f = 0; f < filters; f++) {
            if ((f & 3) == 0 && f + 4 <= filters && allZero(gRow + (<usize>f << 2))) {
              f += 3;
              continue;
            }
            const g = load<f32>(gRow + (<usize>f << 2));
            if (g == 0) continue;
            const wRow = scratch + <usize>f * patchBytes + (<usize>(kxFrom * channels) << 2);
            for (let ky = 0; ky < kernelHeight; ky++) {
              const y = oy * stride + ky - pad;
              if (y < 0 || y >= height) continue;
              const dst = image + ((<usize>((y * width + x0 + kxFrom) * channels)) << 2);
              axpy(dst, wRow + (<usize>(ky * patchRow) << 2), g, span);
            }
          }
        }
        gRow += <usize>filters << 2;
      }
    }
  }
}

/**
 * The filter and bias gradients of a convolution whose output gradient a max-pool routed: dY is
 * values[i] at flat output index argmax[i] (NHWC, so filter argmax[i] % filters) for i in
 * [0, count), and zero elsewhere, so it never needs to be written out. Writes, per filter f, the run
 * sums[f·(patch + 1) + p] = Σ values[i]·cols[row of argmax[i], p] and, after it, Σ values[i] (the
 * bias gradient): every update is one contiguous run. A thread can take a block of [0, count).
 * The caller has checked that every index lies inside the convolution's output.
 */
export function convGradRouted(
  cols: usize, values: usize, argmax: usize, count: i32, patch: i32, filters: i32, sums: usize,
): void {
  const runFloats = patch + 1;
  zeroFloats(sums, filters * runFloats);
  const patchBytes = <usize>patch << 2;
  // Zeros (half the values after a ReLU) are added like the rest: a branch on them mispredicts.
  for (let i = 0; i < count; i++) {
    const g = load<f32>(values + (<usize>i << 2));
    const index = load<i32>(argmax + (<usize>i << 2));
    const row = index / filters;
    const run = sums + ((<usize>((index - row * filters) * runFloats)) << 2);
    axpy(run, cols + <usize>row * patchBytes, g, patch);
    store<f32>(run + patchBytes, load<f32>(run + patchBytes) + g);
  }
}
