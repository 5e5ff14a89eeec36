/**
 * Sum over every axis but the last (a bias gradient: tfjs sums [batch, height, width, filters] over the
 * first three) on our threaded `sumRows`; tfjs-wasm 4.22 transposes first and takes several times
 * longer. Every other sum, and small ones, go to the wasm backend's own kernel.
 */
import { util, type TensorInfo } from "@tensorflow/tfjs";
import type { KernelFn } from "./context";
import { UnsupportedKernelInput, required } from "./refuse";
import { asWasmBackend, floats, overBlockLimit } from "./wasm-tensors";

/** Below this many floats the wasm backend's own Sum is as fast. */
export const MIN_SUM_FLOATS = 1 << 16;

export const sumLeadingAxes: KernelFn = (context, kernel, call) => {
  const { inputs, attrs } = call;
  const x = required<TensorInfo>(kernel, "input", inputs, "x");
  const axis = required<number | number[]>(kernel, "attribute", attrs, "axis");
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  const size = util.sizeFromShape(x.shape);
  if (!leading || x.dtype !== "float32" || size < MIN_SUM_FLOATS) {
    return context.delegate(
      kernel,
      call,
      new UnsupportedKernelInput(kernel, "axis", axis, "every axis but the last, on a large float32 tensor"),
    );
  }
  const tooLarge = overBlockLimit(kernel, "x shape", x.shape, size * 4);
  if (tooLarge) return context.delegate(kernel, call, tooLarge);
  const cols = x.shape[rank - 1];
  const rows = size / cols;
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput(
    attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols],
    "float32",
  );
  const outView = floats(kernel, "output", backend, out);
  const values = context.copyIn("input", floats(kernel, "x", backend, x), 0, size);
  const sums = context.scratch.get("output", cols);
  context.kernels.sumRows(values, rows, cols, sums);
  outView.set(sums);
  return out;
};
