/**
 * im2col / col2im for NHWC input. In NHWC the kw·channels values of one patch row are contiguous in
 * the input, so each (output pixel, kernel row) pair is one contiguous copy, clipped at the padding.
 */
import { addFloats, copyFloats, zeroFloats } from "./vector";

export function im2col(
  input: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, stride: i32, pad: i32, outHeight: i32, outWidth: i32, cols: usize,
): void {
  if (pad == 0) {
    unfoldUnpadded(input, batch, height, width, channels, kernelHeight, kernelWidth * channels, stride, outHeight, outWidth, cols);
    return;
  }
  walkPatchRows(true, input, batch, height, width, channels, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth, cols);
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
  zeroFloats(gradInput, batch * height * width * channels);
  walkPatchRows(false, gradInput, batch, height, width, channels, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth, cols);
}

/**
 * The walk that im2col (with padding) and its adjoint col2im share: for every image, output pixel and
 * kernel row, the columns [kxFrom, kxTo) of the patch row that lie inside the image. `unfold` copies
 * them from `images` into cols and zeroes the padding around them; otherwise cols' values are added
 * back into `images`. Both callers pass a constant `unfold`, so each compiles to its own loop.
 */
@inline function walkPatchRows(
  unfold: bool, images: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, stride: i32, pad: i32, outHeight: i32, outWidth: i32, cols: usize,
): void {
  const patchRow = kernelWidth * channels;
  let at = cols;
  for (let b = 0; b < batch; b++) {
    const image = images + ((<usize>b * <usize>height * <usize>width * <usize>channels) << 2);
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * stride - pad;
        const kxFrom = max(0, -x0);
        const kxTo = min(kernelWidth, width - x0);
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = oy * stride + ky - pad;
          const inside = y >= 0 && y < height && kxFrom < kxTo;
          // Only dereferenced when inside: above or below the image the offset would be negative.
          const pixels = image + ((<usize>((y * width + x0 + kxFrom) * channels)) << 2);
          const part = at + (<usize>(kxFrom * channels) << 2);
          const span = (kxTo - kxFrom) * channels;
          if (unfold) {
            zeroFloats(at, inside ? kxFrom * channels : patchRow);
            if (inside) {
              copyFloats(part, pixels, span);
              zeroFloats(part + (<usize>span << 2), (kernelWidth - kxTo) * channels);
            }
          } else if (inside) {
            addFloats(pixels, part, span);
          }
          at += <usize>patchRow << 2;
        }
      }
    }
  }
}
