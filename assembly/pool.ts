/**
 * Max pooling over NHWC. Channels are contiguous, so four channels of one window position are one
 * vector; the running max and its flat input index are kept per lane. Strictly-greater comparison
 * keeps the first maximum in window scan order, matching the reference.
 */
export function maxPool(
  input: usize, batch: i32, height: i32, width: i32, channels: i32, size: i32, stride: i32,
  outHeight: i32, outWidth: i32, output: usize, argmax: usize,
): void {
  let out: i32 = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        // Flat index of the window's top-left pixel, channel 0.
        const corner = ((b * height + oy * stride) * width + ox * stride) * channels;
        let ch = 0;
        for (; ch + 4 <= channels; ch += 4) {
          let bestIndex = i32x4.add(i32x4.splat(corner + ch), lanes());
          let best = v128.load(input + (<usize>(corner + ch) << 2));
          for (let ky = 0; ky < size; ky++) {
            for (let kx = 0; kx < size; kx++) {
              const index = corner + (ky * width + kx) * channels + ch;
              const value = v128.load(input + (<usize>index << 2));
              const greater = f32x4.gt(value, best);
              best = v128.bitselect(value, best, greater);
              bestIndex = v128.bitselect(i32x4.add(i32x4.splat(index), lanes()), bestIndex, greater);
            }
          }
          v128.store(output + (<usize>(out + ch) << 2), best);
          v128.store(argmax + (<usize>(out + ch) << 2), bestIndex);
        }
        for (; ch < channels; ch++) {
          let bestIndex = corner + ch;
          let best = load<f32>(input + (<usize>bestIndex << 2));
          for (let ky = 0; ky < size; ky++) {
            for (let kx = 0; kx < size; kx++) {
              const index = corner + (ky * width + kx) * channels + ch;
              const value = load<f32>(input + (<usize>index << 2));
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          store<f32>(output + (<usize>(out + ch) << 2), best);
          store<i32>(argmax + (<usize>(out + ch) << 2), bestIndex);
        }
        out += channels;
      }
    }
  }
}

/**
 * gradInput (inputLength floats, overwritten) receives each output gradient at its arg-max. Returns −1,
 * or, writing nothing, the position of the first arg-max outside [0, inputLength).
 */
export function maxPoolBackward(gradOutput: usize, argmax: usize, outputLength: i32, gradInput: usize, inputLength: i32): i32 {
  // Four indices at a time; the scalar scan then starts at the first block with one out of range
  // (or at the tail) and finds the exact position.
  const zero = i32x4.splat(0);
  const limit = i32x4.splat(inputLength);
  let i = 0;
  for (; i + 4 <= outputLength; i += 4) {
    const index = v128.load(argmax + (<usize>i << 2));
    if (v128.any_true(v128.or(i32x4.lt_s(index, zero), i32x4.ge_s(index, limit)))) break;
  }
  for (; i < outputLength; i++) {
    const index = load<i32>(argmax + (<usize>i << 2));
    if (index < 0 || index >= inputLength) return i;
  }
  memory.fill(gradInput, 0, <usize>inputLength << 2);
  for (let i = 0; i < outputLength; i++) {
    const at = gradInput + (<usize>load<i32>(argmax + (<usize>i << 2)) << 2);
    // Overlapping windows may route two gradients to one input, hence the accumulate.
    store<f32>(at, load<f32>(at) + load<f32>(gradOutput + (<usize>i << 2)));
  }
  return -1;
}

/** Lane offsets 0, 1, 2, 3 added to a splatted flat index. */
@inline function lanes(): v128 {
  return i32x4(0, 1, 2, 3);
}
