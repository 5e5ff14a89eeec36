/**
 * The convolution kernels for tfjs's wasm backend, on our threaded im2col + GEMM kernels:
 *  - Conv2D and FusedConv2D (bias and ReLU fused): out = im2col(x) · W (+ bias), ReLU;
 *  - Conv2DBackpropFilter (which tfjs-wasm 4.22 lacks): dW = im2col(x)ᵀ · dy;
 *  - Conv2DBackpropInput: dx = col2im(dy · Wᵀ), summed straight from dy's non-zeros when most are zero.
 * The filter [kh, kw, in, out] is already the (kh·kw·in) × out matrix our im2col rows multiply.
 * Batches are processed in blocks of images, so the patch matrix stays small whatever the batch size.
 */
import type { TensorInfo } from "@tensorflow/tfjs";
import { type KernelCall, type KernelContext, type KernelFn, ourFusion } from "./context";
import { type ConvPlan, forImages, planConv } from "./geometry";
import { UnsupportedKernelInput, required } from "./refuse";
import { asWasmBackend, floats, imagesPerBlock } from "./wasm-tensors";

type Shape = readonly number[];

/** Conv2D, and FusedConv2D when `fused` (bias, ReLU; other activations go to tfjs-wasm's own kernel). */
export const convolve: KernelFn<[fused: boolean]> = (context, kernel, call, fused) => {
  const { inputs, attrs } = call;
  const x = required<TensorInfo>(kernel, "input", inputs, "x");
  const filter = required<TensorInfo>(kernel, "input", inputs, "filter");
  let plan: ConvPlan;
  try {
    plan = planConv(kernel, x.shape, filter.shape, attrs);
  } catch (error) {
    // tfjs-wasm convolves dilated inputs itself; everything else it refuses as well.
    if (error instanceof UnsupportedKernelInput && error.attribute === "dilations")
      return context.delegate(kernel, call, error);
    throw error;
  }
  const fusion = ourFusion(kernel, call, fused);
  if (fusion instanceof UnsupportedKernelInput) return context.delegate(kernel, call, fusion);
  const { activation, bias } = fusion;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== plan.filters)) {
    return context.delegate(
      kernel,
      call,
      new UnsupportedKernelInput(kernel, "bias shape", bias.shape, `[${plan.filters}]`),
    );
  }
  const { shape, outHeight, outWidth, filters, patch } = plan;
  const { outPixels, block } = imageBlocks(kernel, plan, x.shape, filter.shape);
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput([shape.batch, outHeight, outWidth, filters], "float32");
  const outView = floats(kernel, "output", backend, out);
  const xView = floats(kernel, "x", backend, x);
  const weights = context.copyIn("weights", floats(kernel, "filter", backend, filter), 0, patch * filters);
  const biasValues = bias ? context.copyIn("bias", floats(kernel, "bias", backend, bias), 0, filters) : null;
  for (let first = 0; first < shape.batch; first += block) {
    const count = Math.min(block, shape.batch - first);
    const input = imagesIn(context, plan, xView, first, count);
    const cols = context.scratch.get("cols", count * outPixels * patch);
    const output = context.scratch.get("output", count * outPixels * filters);
    context.kernels.convForward(input, forImages(plan, count), weights, filters, biasValues, cols, output);
    if (activation === "relu") context.kernels.relu(output, output);
    outView.set(output, first * outPixels * filters);
  }
  return out;
};

/** Conv2DBackpropFilter: the filter gradient Σ over images of im2col(x)ᵀ · dy, shaped like the filter. */
export const convFilterGradient: KernelFn = (context, kernel, call) => {
  const gradientStart = startGradient(kernel, call, "x");
  const { plan, outPixels, block, out, outView, dyView, otherView: xView } = gradientStart;
  const { shape, filters, patch } = plan;
  const gradient = context.scratch.get("filterGradient", patch * filters);
  const sparse = context.kernels.convWeightGradSparse?.bind(context.kernels);
  for (let first = 0; first < shape.batch; first += block) {
    const count = Math.min(block, shape.batch - first);
    const rows = count * outPixels;
    const input = imagesIn(context, plan, xView, first, count);
    const cols = context.scratch.get("cols", rows * patch);
    context.kernels.im2col(input, forImages(plan, count), cols);
    const gradOutput = context.copyIn("dy", dyView, first * outPixels * filters, rows * filters);
    if (sparse && patch >= SPARSE_MIN_PATCH && mostlyZeros(gradOutput)) {
      const blockGradient =
        first === 0 ? gradient : context.scratch.get("blockFilterGradient", patch * filters);
      sparse(cols, gradOutput, rows, patch, filters, blockGradient);
      if (first > 0) for (let i = 0; i < gradient.length; i++) gradient[i] += blockGradient[i];
    } else {
      // The first block overwrites the sum, later ones add to it (beta = 1), in block order.
      context.kernels.gemm(
        true,
        false,
        patch,
        filters,
        rows,
        1,
        cols,
        gradOutput,
        first === 0 ? 0 : 1,
        gradient,
      );
    }
  }
  outView.set(gradient);
  return out;
};

/** Conv2DBackpropInput: the input gradient col2im(dy · Wᵀ), shaped like the input. */
export const convInputGradient: KernelFn = (context, kernel, call) => {
  const gradientStart = startGradient(kernel, call, "filter");
  const { plan, outPixels, imageFloats, block, out, outView, dyView, otherView: filterView } = gradientStart;
  const { shape, filters, patch } = plan;
  const weights = context.copyIn("weights", filterView, 0, patch * filters);
  const sparse = context.kernels.convInputGradSparse?.bind(context.kernels);
  for (let first = 0; first < shape.batch; first += block) {
    const count = Math.min(block, shape.batch - first);
    const rows = count * outPixels;
    const gradOutput = context.copyIn("dy", dyView, first * outPixels * filters, rows * filters);
    const gradInput = context.scratch.get("dx", count * imageFloats);
    // Skipping zeros pays behind a max-pool; on a dense dy, GEMM + col2im is about 5× faster.
    if (sparse && mostlyZeros(gradOutput))
      sparse(gradOutput, weights, forImages(plan, count), filters, gradInput);
    else {
      const cols = context.scratch.get("cols", rows * patch);
      context.kernels.gemm(false, true, rows, patch, filters, 1, gradOutput, weights, 0, cols);
      context.kernels.col2im(cols, forImages(plan, count), gradInput);
    }
    // Without a border the block is already the tensor's layout.
    if (plan.padded) copyRows(plan, first, count, outView, gradInput, "out of block");
    else outView.set(gradInput, first * imageFloats);
  }
  return out;
};

/** Sampled fraction of zeros above which the sparse filter gradient beats GEMM (~60% measured). */
const SPARSE_ZERO_FRACTION = 0.6;
const ZERO_SAMPLES = 4096;
/** With short patch rows (a first conv's 3×3×1), GEMM stays faster however sparse dy is. */
const SPARSE_MIN_PATCH = 64;

/**
 * Whether most of dy is zero, as behind a max-pool (3 in 4 routed nowhere) and a ReLU, judged on an
 * evenly spread sample: either answer gives the same gradient up to rounding, only the speed differs.
 */
function mostlyZeros(values: Float32Array): boolean {
  const step = Math.max(1, Math.floor(values.length / ZERO_SAMPLES)) | 1;
  let zeros = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i += step, seen++) if (values[i] === 0) zeros++;
  return zeros > SPARSE_ZERO_FRACTION * seen;
}

/**
 * Images [first, first + count) of the NHWC input in our memory, with the zero border the plan needs.
 */
function imagesIn(
  context: KernelContext,
  plan: ConvPlan,
  x: Float32Array,
  first: number,
  count: number,
): Float32Array {
  const { height, width, channels } = plan.shape;
  const imageFloats = plan.inHeight * plan.inWidth * channels;
  if (!plan.padded) return context.copyIn("input", x, first * imageFloats, count * imageFloats);
  const padded = context.scratch.get("input", count * height * width * channels);
  padded.fill(0);
  copyRows(plan, first, count, x, padded, "into block");
  return padded;
}

/**
 * Copies the rows of images [first, first + count) between a tfjs tensor (NHWC, no border) and a block of
 * those images in our padded layout (the plan's zero border around each), in either direction.
 */
function copyRows(
  plan: ConvPlan,
  first: number,
  count: number,
  tensor: Float32Array,
  block: Float32Array,
  direction: "into block" | "out of block",
): void {
  const { inHeight, inWidth, padTop, padLeft } = plan;
  const { height, width, channels } = plan.shape;
  const rowFloats = inWidth * channels;
  for (let image = 0; image < count; image++) {
    for (let y = 0; y < inHeight; y++) {
      const tensorAt = ((first + image) * inHeight + y) * rowFloats;
      const blockAt = ((image * height + y + padTop) * width + padLeft) * channels;
      if (direction === "into block") block.set(tensor.subarray(tensorAt, tensorAt + rowFloats), blockAt);
      else tensor.set(block.subarray(blockAt, blockAt + rowFloats), tensorAt);
    }
  }
}

/**
 * What both gradients start with. Each reads dy and one other input (`x` for the filter gradient, `filter`
 * for the input gradient) and is told the shape of the third as an attribute: that of what it computes.
 * From them: the convolution's plan with dy checked against it, the image blocks, the output tensor, and
 * views of the output, dy and the other input on the backend's heap.
 */
function startGradient(kernel: string, call: KernelCall, other: "x" | "filter") {
  const { inputs, attrs } = call;
  const dy = required<TensorInfo>(kernel, "input", inputs, "dy");
  const given = required<TensorInfo>(kernel, "input", inputs, other);
  const outShapeName = other === "x" ? "filterShape" : "inputShape";
  const outShape = required<number[]>(kernel, "attribute", attrs, outShapeName);
  const [inputShape, filterShape] = other === "x" ? [given.shape, outShape] : [outShape, given.shape];
  const plan = planConv(kernel, inputShape, filterShape, attrs);
  const { shape, outHeight, outWidth, filters } = plan;
  requireShape(kernel, "dy", dy.shape, [shape.batch, outHeight, outWidth, filters]);
  const backend = asWasmBackend(kernel, call.backend);
  const out = backend.makeOutput([...outShape], "float32");
  return {
    plan,
    ...imageBlocks(kernel, plan, inputShape, filterShape),
    out,
    outView: floats(kernel, "output", backend, out),
    dyView: floats(kernel, "dy", backend, dy),
    otherView: floats(kernel, other, backend, given),
  };
}

/**
 * How many images a block holds, forward and backward alike: each needs its (padded) input, its patch
 * rows and its output or dy rows in our kernels' memory.
 */
function imageBlocks(kernel: string, plan: ConvPlan, inputShape: Shape, filterShape: Shape) {
  const { shape, filters, patch } = plan;
  const outPixels = plan.outHeight * plan.outWidth;
  const imageFloats = shape.height * shape.width * shape.channels;
  const bytesPerImage = 4 * (imageFloats + outPixels * (patch + filters));
  const block = imagesPerBlock(kernel, shape.batch, bytesPerImage, describe(inputShape, filterShape));
  return { outPixels, imageFloats, block };
}

function requireShape(kernel: string, name: string, actual: Shape, expected: Shape): void {
  if (actual.length !== expected.length || actual.some((size, i) => size !== expected[i])) {
    throw new UnsupportedKernelInput(kernel, `${name} shape`, actual, JSON.stringify(expected));
  }
}

function describe(xShape: Shape, filterShape: Shape): string {
  return `input [${xShape.join(", ")}] with filter [${filterShape.join(", ")}]`;
}
