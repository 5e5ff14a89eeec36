/** Memory-bound element-wise kernels, four floats per step. */
import { addFloats, zeroFloats } from "./vector";

/** out = max(x, 0). pmax(0, x) is `0 < x ? x : 0`, so NaN and −0 map to 0 exactly as in the reference. */
export function relu(x: usize, out: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.pmax(zero, v128.load(x + at)));
  }
  for (; i < length; i++) {
    const value = load<f32>(x + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), value > 0 ? value : 0);
  }
}

/** gradIn = x > 0 ? gradOut : 0, as a bit mask. */
export function reluBackward(x: usize, gradOut: usize, gradIn: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    v128.store(gradIn + at, v128.and(v128.load(gradOut + at), f32x4.gt(v128.load(x + at), zero)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    store<f32>(gradIn + at, load<f32>(x + at) > 0 ? load<f32>(gradOut + at) : 0);
  }
}

/** x[i, j] += bias[j] for a rows×cols matrix. */
export function addBias(x: usize, rows: i32, cols: i32, bias: usize): void {
  for (let i = 0; i < rows; i++) addFloats(x + ((<usize>i * <usize>cols) << 2), bias, cols);
}

/** out[j] = Σ_i x[i, j], accumulated row by row so x is read sequentially. */
export function sumRows(x: usize, rows: i32, cols: i32, out: usize): void {
  zeroFloats(out, cols);
  for (let i = 0; i < rows; i++) addFloats(out, x + ((<usize>i * <usize>cols) << 2), cols);
}

/** out[j] = Σ_i x[i, j]·y[i, j], accumulated row by row like sumRows. */
export function sumRowsOfProducts(x: usize, y: usize, rows: i32, cols: i32, out: usize): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let i = 0; i < rows; i++) {
    const offset = (<usize>i * <usize>cols) << 2;
    const xRow = x + offset;
    const yRow = y + offset;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = <usize>j << 2;
      v128.store(out + at, f32x4.add(v128.load(out + at), f32x4.mul(v128.load(xRow + at), v128.load(yRow + at))));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(out + at, load<f32>(out + at) + load<f32>(xRow + at) * load<f32>(yRow + at));
    }
  }
}

/**
 * out[i, j] = a[i, j]·wa[j] + b[i, j]·wb[j] + shift[j] for rows×cols matrices, or without the b term
 * when b is 0; rounded after each product and sum in that order, as the reference does.
 */
export function combineColumns(a: usize, wa: usize, b: usize, wb: usize, shift: usize, rows: i32, cols: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    const offset = (<usize>i * <usize>cols) << 2;
    if (b) combineRow(a + offset, wa, b + offset, wb, shift, cols, out + offset);
    else scaleShiftRow(a + offset, wa, shift, cols, out + offset);
  }
}

@inline function combineRow(a: usize, wa: usize, b: usize, wb: usize, shift: usize, cols: i32, out: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const at = <usize>j << 2;
    const sum = f32x4.add(f32x4.mul(v128.load(a + at), v128.load(wa + at)), f32x4.mul(v128.load(b + at), v128.load(wb + at)));
    v128.store(out + at, f32x4.add(sum, v128.load(shift + at)));
  }
  for (; j < cols; j++) {
    const at = <usize>j << 2;
    const sum = load<f32>(a + at) * load<f32>(wa + at) + load<f32>(b + at) * load<f32>(wb + at);
    store<f32>(out + at, sum + load<f32>(shift + at));
  }
}

@inline function scaleShiftRow(a: usize, wa: usize, shift: usize, cols: i32, out: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const at = <usize>j << 2;
    v128.store(out + at, f32x4.add(f32x4.mul(v128.load(a + at), v128.load(wa + at)), v128.load(shift + at)));
  }
  for (; j < cols; j++) {
    const at = <usize>j << 2;
    store<f32>(out + at, load<f32>(a + at) * load<f32>(wa + at) + load<f32>(shift + at));
  }
}
