/**
 * MaxPool and MaxPoolGrad for tfjs's wasm backend, on our threaded `maxPool` and `maxPoolBackward`.
 * While a gradient is being recorded, MaxPool keeps the arg-max it found (argmax-cache.ts), and the
 * MaxPoolGrad of the same tensors routes each output gradient to it without pooling again; any other
 * MaxPoolGrad recomputes the arg-max (the first maximum in window order wins ties, as in tfjs's cpu
 * backend). tfjs-wasm 4.22's own MaxPoolGrad took about ten times longer than the whole conv layer
 * around it. With `same` padding the input is first copied into a border of −∞, which no window picks
 * (tfjs-wasm's own MaxPoolGrad disagrees with the cpu backend there, by up to the size of dy, so ours
 * is the one to use). Square windows and strides only; other pools go to the wasm backend's own kernel.
 */
import { backend_util, engine, type NamedAttrMap, type TensorInfo } from "@tensorflow/tfjs";
import { poolOutputSize, type PoolShape } from "../kernels";
import { asInt32 } from "./argmax-cache";
import type { KernelContext, KernelFn } from "./context";
import { UnsupportedKernelInput, required } from "./refuse";
import { asWasmBackend, floats, overBlockLimit } from "./wasm-tensors";

/** A pool as our kernels see it: on the (−∞-bordered, when `padded`) input of `shape`. */
interface PoolPlan {
  shape: PoolShape;
  outShape: [number, number, number, number];
  padded: boolean;
  top: number;
  left: number;
  inHeight: number;
  inWidth: number;
  inFloats: number;
  outFloats: number;
  /** Names the geometry, so an arg-max is only reused for the very same pool. */
  geometry: string;
}

/** Plans a max-pool of `input`, or says why it goes to the wasm backend's own kernel. */
function planPool(kernel: string, input: TensorInfo, attrs: NamedAttrMap): PoolPlan | UnsupportedKernelInput {
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
    return new UnsupportedKernelInput(
      kernel,
      "filterSize, strides, pad",
      [filterSize, strides, pad],
      "square windows and strides",
    );
  }
  const outFloats = batch * info.outHeight * info.outWidth * channels;
  const inFloats = batch * height * width * channels;
  const tooLarge = overBlockLimit(kernel, "input shape", input.shape, 4 * (2 * inFloats + 3 * outFloats));
  if (tooLarge) return tooLarge;
  return {
    shape,
    outShape: [batch, info.outHeight, info.outWidth, channels],
    padded: top + bottom + left + right > 0,
    top,
    left,
    inHeight,
    inWidth,
    inFloats,
    outFloats,
    geometry: JSON.stringify([shape, top, left]),
  };
}

/** MaxPool: the pooled values, and the arg-max kept for the gradient when one is being recorded. */
export const maxPoolForward: KernelFn = (context, kernel, call) => {
  const x = required<TensorInfo>(kernel, "input", call.inputs, "x");
  const plan = planPool(kernel, x, call.attrs);
  if (plan instanceof UnsupportedKernelInput) return context.delegate(kernel, call, plan);
  if (x.dtype !== "float32")
    return context.delegate(kernel, call, new UnsupportedKernelInput(kernel, "dtype", x.dtype, "'float32'"));
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput(plan.outShape, "float32");
  const recording = engine().state.gradientDepth > 0;
  const argmax = recording
    ? context.argmaxes.store(out.dataId, x.dataId, plan.geometry, plan.outFloats)
    : asInt32(context.scratch.get("argmax", plan.outFloats));
  const input = inputIn(context, plan, floats(kernel, "x", backend, x));
  const pooled = context.scratch.get("output", plan.outFloats);
  context.kernels.maxPool(input, plan.shape, pooled, argmax);
  floats(kernel, "output", backend, out).set(pooled);
  return out;
};

/** MaxPoolGrad: dy routed to the arg-max of each window, from the forward pass when it kept it. */
export const maxPoolGradient: KernelFn = (context, kernel, call) => {
  const { inputs, attrs } = call;
  const dy = required<TensorInfo>(kernel, "input", inputs, "dy");
  const input = required<TensorInfo>(kernel, "input", inputs, "input");
  const output = required<TensorInfo>(kernel, "input", inputs, "output");
  const plan = planPool(kernel, input, attrs);
  if (plan instanceof UnsupportedKernelInput) return context.delegate(kernel, call, plan);
  if (dy.shape.reduce((p, s) => p * s, 1) !== plan.outFloats)
    throw new UnsupportedKernelInput(kernel, "dy shape", dy.shape, JSON.stringify(plan.outShape));
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput([...input.shape], "float32");
  const gradOutput = context.copyIn("dy", floats(kernel, "dy", backend, dy), 0, plan.outFloats);
  const gradInput = context.scratch.get("dx", plan.inFloats);
  const route = (argmax: Int32Array) =>
    context.kernels.maxPoolBackward(gradOutput, argmax, plan.shape, gradInput);
  if (!context.argmaxes.take(output.dataId, input.dataId, plan.geometry, route)) {
    const argmax = asInt32(context.scratch.get("argmax", plan.outFloats));
    const x = inputIn(context, plan, floats(kernel, "input", backend, input));
    context.kernels.maxPool(x, plan.shape, context.scratch.get("output", plan.outFloats), argmax);
    route(argmax);
  }
  gradientOut(plan, gradInput, floats(kernel, "output", backend, out));
  return out;
};

/** The input in our memory, inside a border of −∞ when the pool pads. */
function inputIn(context: KernelContext, plan: PoolPlan, view: Float32Array): Float32Array {
  if (!plan.padded) return context.copyIn("input", view, 0, plan.inFloats);
  const x = context.scratch.get("input", plan.inFloats).fill(-Infinity);
  const rowFloats = plan.inWidth * plan.shape.channels;
  for (let image = 0; image < plan.shape.batch; image++) {
    for (let y = 0; y < plan.inHeight; y++) {
      const from = (image * plan.inHeight + y) * rowFloats;
      x.set(view.subarray(from, from + rowFloats), paddedRow(plan, image, y));
    }
  }
  return x;
}

/** Writes the input gradient into the tfjs output, dropping the border when there is one. */
function gradientOut(plan: PoolPlan, gradInput: Float32Array, out: Float32Array): void {
  if (!plan.padded) {
    out.set(gradInput);
    return;
  }
  const rowFloats = plan.inWidth * plan.shape.channels;
  for (let image = 0; image < plan.shape.batch; image++) {
    for (let y = 0; y < plan.inHeight; y++) {
      const from = paddedRow(plan, image, y);
      out.set(gradInput.subarray(from, from + rowFloats), (image * plan.inHeight + y) * rowFloats);
    }
  }
}

/** Where row `y` of `image` starts in the bordered input. */
function paddedRow(plan: PoolPlan, image: number, y: number): number {
  const { height, width, channels } = plan.shape;
  return ((image * height + y + plan.top) * width + plan.left) * channels;
}
