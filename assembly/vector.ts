/** Small vector loops shared by the memory-bound kernels: 4 floats per step, then a scalar tail. */

/** dst[0:count] = src[0:count]. Short runs (a 3-pixel patch row) are too small for memory.copy's call. */
@inline export function copyFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[0:count] += src[0:count]. */
@inline export function addFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
  }
}

@inline export function zeroFloats(dst: usize, count: i32): void {
  memory.fill(dst, 0, <usize>count << 2);
}
