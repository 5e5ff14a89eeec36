/**
 * MaxPoolGrad for tfjs's wasm backend: the pool's arg-max recomputed by our threaded `maxPool`, then
 * each output gradient routed to its arg-max by `maxPoolBackward` (the first maximum in window order
 * wins ties, as in tfjs's cpu backend). tfjs-wasm 4.22's own kernel took about ten times longer than
 * the whole conv layer around it. Square windows and strides without padding only; other pools go to
 * the wasm backend's own kernel.
 */
import { backend_util, type TensorInfo } from "@tensorflow/tfjs";
import type { PoolShape } from "../kernels";
import { type KernelCall, KernelContext } from "./context";
import { UnsupportedKernelInput, required } from "./refuse";
import { asWasmBackend, floats } from "./wasm-tensors";

export function maxPoolGradient(context: KernelContext, kernel: string, call: KernelCall): TensorInfo | TensorInfo[] {
  const { inputs, attrs } = call;
  const dy = required<TensorInfo>(kernel, "input", inputs, "dy");
  const input = required<TensorInfo>(kernel, "input", inputs, "input");
  const filterSize = required<number | [number, number]>(kernel, "attribute", attrs, "filterSize");
  const strides = required<number | [number, number]>(kernel, "attribute", attrs, "strides");
  const pad = required<"valid" | "same" | number>(kernel, "attribute", attrs, "pad");
  if (input.shape.length !== 4) throw new UnsupportedKernelInput(kernel, "input shape", input.shape, "rank 4 NHWC");
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const { top, bottom, left, right } = info.padInfo;
  const square = info.filterHeight === info.filterWidth && info.strideHeight === info.strideWidth;
  if (!square || top || bottom || left || right) {
    return context.delegate(kernel, call, new UnsupportedKernelInput(kernel, "filterSize, strides, pad", [filterSize, strides, pad], "square windows and strides, no padding"));
  }
  const [batch, height, width, channels] = input.shape;
  const shape: PoolShape = { batch, height, width, channels, size: info.filterHeight, stride: info.strideHeight };
  const outFloats = batch * info.outHeight * info.outWidth * channels;
  if (dy.shape.reduce((p, s) => p * s, 1) !== outFloats) {
    throw new UnsupportedKernelInput(kernel, "dy shape", dy.shape, JSON.stringify([batch, info.outHeight, info.outWidth, channels]));
  }
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput([...input.shape], "float32");
  const outView = floats(kernel, "output", backend, out);
  const inFloats = batch * height * width * channels;
  const x = context.copyIn("input", floats(kernel, "input", backend, input), 0, inFloats);
  const gradOutput = context.copyIn("dy", floats(kernel, "dy", backend, dy), 0, outFloats);
  const pooled = context.scratch.get("output", outFloats);
  const argmax = new Int32Array(pooled.buffer, context.scratch.get("argmax", outFloats).byteOffset, outFloats);
  context.kernels.maxPool(x, shape, pooled, argmax);
  const gradInput = context.scratch.get("dx", inFloats);
  context.kernels.maxPoolBackward(gradOutput, argmax, shape, gradInput);
  outView.set(gradInput);
  return out;
}
