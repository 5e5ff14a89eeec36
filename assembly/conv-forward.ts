/**
 * A convolution's forward pass over a block of NHWC images: im2col, GEMM with the filters, bias, a
 * few images at a time, so that each thread runs the whole pass on its own images. Unfolding the
 * whole batch, then multiplying, then adding the bias took three rounds over the threads, each
 * reading the previous one's output from memory, much of it written by the other core; a chunk of
 * about CHUNK_ROWS patches stays in this core's L2 cache between the steps. The patches of every
 * image still land in `cols`, where the backward pass reads them.
 */
import { im2col } from "./conv";
import { addBias } from "./elementwise";
import { gemm } from "./gemm";

/** Patch rows per chunk: 256 rows of a 3×3×32 patch are 288 KiB, about half of this machine's L2. */
const CHUNK_ROWS = 256;

/**
 * output = im2col(input) · weights (+ bias) for the `batch` images at `input`; `bias` = 0 for none.
 * `cols` receives the patches ([batch·outHeight·outWidth, kernelHeight·kernelWidth·channels]),
 * `weights` is [patch, filters] and `output` is NHWC [batch, outHeight, outWidth, filters].
 * `scratch` is GEMM's packing area (gemmScratchBytes).
 */
export function convForward(
  input: usize, batch: i32, height: i32, width: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, stride: i32, pad: i32, outHeight: i32, outWidth: i32,
  filters: i32, weights: usize, bias: usize, cols: usize, output: usize, scratch: usize,
): void {
  const outPixels = outHeight * outWidth;
  const patch = kernelHeight * kernelWidth * channels;
  const imagesPerChunk = max(1, CHUNK_ROWS / outPixels);
  for (let b0 = 0; b0 < batch; b0 += imagesPerChunk) {
    const images = min(imagesPerChunk, batch - b0);
    const rows = images * outPixels;
    const chunkInput = input + ((<usize>b0 * <usize>(height * width * channels)) << 2);
    const chunkCols = cols + ((<usize>b0 * <usize>outPixels * <usize>patch) << 2);
    const chunkOutput = output + ((<usize>b0 * <usize>outPixels * <usize>filters) << 2);
    im2col(chunkInput, images, height, width, channels, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth, chunkCols);
    gemm(false, false, rows, filters, patch, 1, chunkCols, patch, weights, filters, 0, chunkOutput, filters, scratch);
    if (bias != 0) addBias(chunkOutput, rows, filters, bias);
  }
}
