/**
 * From a tfjs convolution's attributes to the `ConvShape` our kernels take: NHWC only, one stride for
 * both axes, no dilation. Our im2col pads the same amount on every side; tfjs's `same` padding can put
 * one more row or column at the bottom or right (even kernels, or stride 2 on even sizes), and then
 * the input is copied into a zero-bordered buffer and convolved with pad 0. Whatever the plan, the
 * output size it gives is checked against tfjs's own before anything is computed.
 */
import { backend_util } from "@tensorflow/tfjs";
import { convOutputSize, type ConvShape } from "../kernels";
import { UnsupportedKernelInput, required } from "./refuse";

export interface ConvPlan {
  /** The shape our kernels see: the padded input when `padded`, with pad 0. */
  shape: ConvShape;
  /** Whether the input must first be copied into a (height × width) buffer with a zero border. */
  padded: boolean;
  padTop: number;
  padLeft: number;
  /** The tfjs input's own height and width (before any explicit padding). */
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filters: number;
  /** kh·kw·channels: the length of one im2col row. */
  patch: number;
}

/**
 * Checks a conv kernel's attributes and plans it; `xShape` is the NHWC input, `filterShape` [kh, kw,
 * in, out]. Refuses NCHW, dilations other than 1, unequal strides, and sizes tfjs would disagree on.
 */
export function planConv(
  kernel: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: object,
): ConvPlan {
  const strides = required<number | [number, number]>(kernel, "attribute", attrs, "strides");
  const pad = required<"valid" | "same" | number | backend_util.ExplicitPadding>(
    kernel,
    "attribute",
    attrs,
    "pad",
  );
  const attributes = attrs as {
    dataFormat?: string;
    dilations?: number | [number, number];
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  const dataFormat = attributes.dataFormat ?? "NHWC";
  if (dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new UnsupportedKernelInput(kernel, "dataFormat", dataFormat, "'NHWC' (channels last)");
  }
  const dilations = attributes.dilations ?? 1;
  if (!(dilations === 1 || (Array.isArray(dilations) && dilations.every((d) => d === 1)))) {
    throw new UnsupportedKernelInput(kernel, "dilations", dilations, "1 or [1, 1] (no dilation)");
  }
  if (xShape.length !== 4)
    throw new UnsupportedKernelInput(kernel, "input shape", xShape, "a rank-4 NHWC tensor");
  if (filterShape.length !== 4)
    throw new UnsupportedKernelInput(kernel, "filter shape", filterShape, "[height, width, in, out]");
  if (xShape[3] !== filterShape[2]) {
    throw new UnsupportedKernelInput(
      kernel,
      "filter shape",
      filterShape,
      `in-channels ${xShape[3]}, those of the input ${JSON.stringify(xShape)}`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    attributes.dimRoundingMode,
    false,
    "channelsLast",
  );
  if (info.strideHeight !== info.strideWidth) {
    throw new UnsupportedKernelInput(kernel, "strides", strides, "the same stride along height and width");
  }
  const { top, bottom, left, right } = info.padInfo;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    throw new UnsupportedKernelInput(kernel, "pad", pad, "non-negative padding");
  }
  const symmetric = top === bottom && left === right && top === left;
  const [batch, inHeight, inWidth, channels] = xShape;
  const shape: ConvShape = {
    batch,
    height: symmetric ? inHeight : inHeight + top + bottom,
    width: symmetric ? inWidth : inWidth + left + right,
    channels,
    kernelHeight: info.filterHeight,
    kernelWidth: info.filterWidth,
    stride: info.strideHeight,
    pad: symmetric ? top : 0,
  };
  const ours = convOutputSize(shape);
  if (ours.outHeight !== info.outHeight || ours.outWidth !== info.outWidth) {
    throw new UnsupportedKernelInput(
      kernel,
      "pad",
      pad,
      `padding whose output size our im2col reproduces (tfjs says ${info.outHeight}×${info.outWidth}, ours ${ours.outHeight}×${ours.outWidth})`,
    );
  }
  return {
    shape,
    padded: !symmetric,
    padTop: top,
    padLeft: left,
    inHeight,
    inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filters: info.outChannels,
    patch: info.filterHeight * info.filterWidth * channels,
  };
}

/** The same plan for a block of `count` images. */
export function forImages(plan: ConvPlan, count: number): ConvShape {
  return { ...plan.shape, batch: count };
}
