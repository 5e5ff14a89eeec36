/**
 * im2col / col2im for NHWC input. In NHWC the kw·channels values of one patch row are contiguous in
 * the input, so each (output pixel, kernel row) pair is one contiguous copy, clipped at the padding.
 */
import { addFloats, copyFloats, zeroFloats } from "./vector";

export function im2col(
  input: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, stride: i32, pad: i32, outHeight: i32, outWidth: i32, cols: usize,
): void {
  const patchRow = kernelWidth * channels;
  if (pad == 0) {
    unfoldUnpadded(input, batch, height, width, channels, kernelHeight, patchRow, stride, outHeight, outWidth, cols);
    return;
  }
  let out = cols;
  for (let b = 0; b < batch; b++) {
    const image = input + ((<usize>b * <usize>height * <usize>width * <usize>channels) << 2);
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * stride - pad;
        // Kernel columns [kxFrom, kxTo) fall inside the image; the rest are padding zeros.
        const kxFrom = max(0, -x0);
        const kxTo = min(kernelWidth, width - x0);
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = oy * stride + ky - pad;
          if (y < 0 || y >= height || kxFrom >= kxTo) {
            zeroFloats(out, patchRow);
          } else {
            if (kxFrom > 0) zeroFloats(out, kxFrom * channels);
            const src = image + ((<usize>((y * width + x0 + kxFrom) * channels)) << 2);
            copyFloats(out + (<usize>(kxFrom * channels) << 2), src, (kxTo - kxFrom) * channels);
            if (kxTo < kernelWidth) zeroFloats(out + (<usize>(kxTo * channels) << 2), (kernelWidth - kxTo) * channels);
          }
          out += <usize>patchRow << 2;
        }
      }
    }
  }
}

/**
 * im2col without padding: every patch row lies inside the image, so the clipping arithmetic and
 * branches go; they cost more than the copy itself for a first layer's 3-float rows.
 */
function unfoldUnpadded(
  input: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, patchRow: i32, stride: i32, outHeight: i32, outWidth: i32, cols: usize,
): void {
  const rowBytes = (<usize>(width * channels)) << 2;
  const stepBytes = (<usize>(stride * channels)) << 2;
  const patchRowBytes = <usize>patchRow << 2;
  let out = cols;
  for (let b = 0; b < batch; b++) {
    const image = input + ((<usize>b * <usize>height * <usize>width * <usize>channels) << 2);
    for (let oy = 0; oy < outHeight; oy++) {
      let corner = image + <usize>(oy * stride) * rowBytes;
      for (let ox = 0; ox < outWidth; ox++) {
        let src = corner;
        for (let ky = 0; ky < kernelHeight; ky++) {
          copyFloats(out, src, patchRow);
          src += rowBytes;
          out += patchRowBytes;
        }
        corner += stepBytes;
      }
    }
  }
}

/** The adjoint of im2col: gradInput (overwritten) receives the sum of every patch value copied from it. */
export function col2im(
  cols: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, stride: i32, pad: i32, outHeight: i32, outWidth: i32, gradInput: usize,
): void {
  const imageFloats = height * width * channels;
  zeroFloats(gradInput, batch * imageFloats);
  const patchRow = kernelWidth * channels;
  let src = cols;
  for (let b = 0; b < batch; b++) {
    const image = gradInput + ((<usize>b * <usize>imageFloats) << 2);
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * stride - pad;
        const kxFrom = max(0, -x0);
        const kxTo = min(kernelWidth, width - x0);
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = oy * stride + ky - pad;
          if (y >= 0 && y < height && kxFrom < kxTo) {
            const dst = image + ((<usize>((y * width + x0 + kxFrom) * channels)) << 2);
            addFloats(dst, src + (<usize>(kxFrom * channels) << 2), (kxTo - kxFrom) * channels);
          }
          src += <usize>patchRow << 2;
        }
      }
    }
  }
}
