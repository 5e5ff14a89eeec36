/**
 * MaxPoolGrad for tfjs's wasm backend: the pool's arg-max recomputed by our threaded `maxPool`, then
 * each output gradient routed to its arg-max by `maxPoolBackward` (the first maximum in window order
 * wins ties, as in tfjs's cpu backend). tfjs-wasm 4.22's own kernel took about ten times longer than
 * the whole conv layer around it. With `same` padding the input is first copied into a border of
 * −∞, which no window picks (tfjs-wasm's own kernel disagrees with the cpu backend there, by up to
 * the size of dy, so ours is the one to use). Square windows and strides only; other pools go to the
 * wasm backend's own kernel.
 */
import { backend_util, type TensorInfo } from "@tensorflow/tfjs";
import { poolOutputSize, type PoolShape } from "../kernels";
import type { KernelFn } from "./context";
import { UnsupportedKernelInput, required } from "./refuse";
import { asWasmBackend, floats, overBlockLimit } from "./wasm-tensors";

export const maxPoolGradient: KernelFn = (context, kernel, call) => {
  const { inputs, attrs } = call;
  const dy = required<TensorInfo>(kernel, "input", inputs, "dy");
  const input = required<TensorInfo>(kernel, "input", inputs, "input");
  const filterSize = required<number | [number, number]>(kernel, "attribute", attrs, "filterSize");
  const strides = required<number | [number, number]>(kernel, "attribute", attrs, "strides");
  const pad = required<"valid" | "same" | number>(kernel, "attribute", attrs, "pad");
  if (input.shape.length !== 4)
    throw new UnsupportedKernelInput(kernel, "input shape", input.shape, "rank 4 NHWC");
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const { top, bottom, left, right } = info.padInfo;
  const square = info.filterHeight === info.filterWidth && info.strideHeight === info.strideWidth;
  const [batch, inHeight, inWidth, channels] = input.shape;
  const height = inHeight + top + bottom;
  const width = inWidth + left + right;
  const shape: PoolShape = {
    batch,
    height,
    width,
    channels,
    size: info.filterHeight,
    stride: info.strideHeight,
  };
  const ours = square ? poolOutputSize(shape) : null;
  if (
    !ours ||
    ours.outHeight !== info.outHeight ||
    ours.outWidth !== info.outWidth ||
    Math.min(top, bottom, left, right) < 0
  ) {
    const why = new UnsupportedKernelInput(
      kernel,
      "filterSize, strides, pad",
      [filterSize, strides, pad],
      "square windows and strides",
    );
    return context.delegate(kernel, call, why);
  }
  const workingBytes = 4 * batch * (2 * height * width + 3 * info.outHeight * info.outWidth) * channels;
  const tooLarge = overBlockLimit(kernel, "input shape", input.shape, workingBytes);
  if (tooLarge) return context.delegate(kernel, call, tooLarge);
  const padded = top + bottom + left + right > 0;
  const outFloats = batch * info.outHeight * info.outWidth * channels;
  if (dy.shape.reduce((p, s) => p * s, 1) !== outFloats) {
    throw new UnsupportedKernelInput(
      kernel,
      "dy shape",
      dy.shape,
      JSON.stringify([batch, info.outHeight, info.outWidth, channels]),
    );
  }
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput([...input.shape], "float32");
  const outView = floats(kernel, "output", backend, out);
  const inFloats = batch * height * width * channels;
  const inputView = floats(kernel, "input", backend, input);
  const x = padded
    ? context.scratch.get("input", inFloats).fill(-Infinity)
    : context.copyIn("input", inputView, 0, inFloats);
  const rowFloats = inWidth * channels;
  const rowAt = (image: number, y: number) => ((image * height + y + top) * width + left) * channels;
  if (padded) {
    for (let image = 0; image < batch; image++) {
      for (let y = 0; y < inHeight; y++) {
        const from = (image * inHeight + y) * rowFloats;
        x.set(inputView.subarray(from, from + rowFloats), rowAt(image, y));
      }
    }
  }
  const gradOutput = context.copyIn("dy", floats(kernel, "dy", backend, dy), 0, outFloats);
  const pooled = context.scratch.get("output", outFloats);
  // An Int32Array over the kernels' memory (through the scratch array's own buffer): no staging copy.
  const argmaxFloats = context.scratch.get("argmax", outFloats);
  const argmax = new Int32Array(argmaxFloats.buffer, argmaxFloats.byteOffset, outFloats);
  context.kernels.maxPool(x, shape, pooled, argmax);
  const gradInput = context.scratch.get("dx", inFloats);
  context.kernels.maxPoolBackward(gradOutput, argmax, shape, gradInput);
  if (!padded) outView.set(gradInput);
  else {
    for (let image = 0; image < batch; image++) {
      for (let y = 0; y < inHeight; y++) {
        const from = rowAt(image, y);
        outView.set(gradInput.subarray(from, from + rowFloats), (image * inHeight + y) * rowFloats);
      }
    }
  }
  return out;
};
