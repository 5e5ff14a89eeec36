/**
 * Max pooling over NHWC. Channels are contiguous, so four channels of one window position are one
 * vector; the running max and its flat input index are kept per lane. Strictly-greater comparison
 * keeps the first maximum in window scan order, matching the reference.
 *
 * Both directions work on images [firstImage, firstImage + images) of a batch whose arrays start at
 * the given addresses, so that threads can take blocks of whole images while arg-max indices stay
 * flat indices into the whole batch's input.
 */
export function maxPool(
  input: usize, firstImage: i32, images: i32, height: i32, width: i32, channels: i32, size: i32, stride: i32,
  outHeight: i32, outWidth: i32, output: usize, argmax: usize,
): void {
  let out = firstImage * outHeight * outWidth * channels;
  for (let b = firstImage; b < firstImage + images; b++) {
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
 * Returns −1 when every arg-max of image b (outImage entries per image) lies in that image's own
 * block [b·inImage, (b + 1)·inImage) of the input, else the position of the first that does not.
 * maxPoolBackward trusts what this has checked: its writes then stay inside the images it was given.
 */
export function maxPoolCheckArgmax(argmax: usize, batch: i32, outImage: i32, inImage: i32): i32 {
  for (let b = 0; b < batch; b++) {
    const first = b * outImage;
    const end = first + outImage;
    // index − start, compared unsigned, is below inImage exactly when start ≤ index < start + inImage.
    const start = i32x4.splat(b * inImage);
    const limit = i32x4.splat(inImage);
    let i = first;
    let outside = i32x4.splat(0);
    for (; i + 4 <= end; i += 4) {
      outside = v128.or(outside, i32x4.ge_u(i32x4.sub(v128.load(argmax + (<usize>i << 2)), start), limit));
    }
    // The scalar scan starts over at the image's first entry when a vector found one, to name it.
    if (v128.any_true(outside)) i = first;
    for (; i < end; i++) {
      if (<u32>(load<i32>(argmax + (<usize>i << 2)) - b * inImage) >= <u32>inImage) return i;
    }
  }
  return -1;
}

/**
 * Images [firstImage, firstImage + images) of gradInput (inImage floats each, overwritten) receive
 * each of their output gradients at its arg-max, which maxPoolCheckArgmax must have checked.
 */
export function maxPoolBackward(
  gradOutput: usize, argmax: usize, firstImage: i32, images: i32, outImage: i32, gradInput: usize, inImage: i32,
): void {
  memory.fill(gradInput + (<usize>(firstImage * inImage) << 2), 0, <usize>(images * inImage) << 2);
  const end = (firstImage + images) * outImage;
  for (let i = firstImage * outImage; i < end; i++) {
    const at = gradInput + (<usize>load<i32>(argmax + (<usize>i << 2)) << 2);
    // Overlapping windows may route two gradients to one input, hence the accumulate.
    store<f32>(at, load<f32>(at) + load<f32>(gradOutput + (<usize>i << 2)));
  }
}

/** Lane offsets 0, 1, 2, 3 added to a splatted flat index. */
@inline function lanes(): v128 {
  return i32x4(0, 1, 2, 3);
}
