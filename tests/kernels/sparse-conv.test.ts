/**
 * The sparse convolution backward kernels: wasm equals the reference, and both equal the dense path
 * (gemm for the filter gradient, gemm + col2im for the input gradient) on a mostly-zero dY.
 */
import { convOutputSize, type ConvShape, type Kernels } from "../../lib/kernels";
import { Random } from "../../lib/random";
import { assertClose, buildLabel, place, randomArray, reference, wasmBuilds } from "./helpers";

const SHAPES: Array<ConvShape & { filters: number }> = [
  {
    batch: 2,
    height: 6,
    width: 5,
    channels: 1,
    kernelHeight: 3,
    kernelWidth: 3,
    stride: 1,
    pad: 0,
    filters: 3,
  },
  {
    batch: 1,
    height: 7,
    width: 7,
    channels: 3,
    kernelHeight: 3,
    kernelWidth: 3,
    stride: 2,
    pad: 1,
    filters: 8,
  },
  {
    batch: 3,
    height: 5,
    width: 6,
    channels: 8,
    kernelHeight: 2,
    kernelWidth: 3,
    stride: 1,
    pad: 2,
    filters: 5,
  },
  {
    batch: 2,
    height: 13,
    width: 13,
    channels: 32,
    kernelHeight: 3,
    kernelWidth: 3,
    stride: 1,
    pad: 0,
    filters: 64,
  },
  {
    batch: 2,
    height: 9,
    width: 8,
    channels: 6,
    kernelHeight: 4,
    kernelWidth: 2,
    stride: 3,
    pad: 1,
    filters: 12,
  },
  // Big enough to be split over threads (by filter bands and by images).
  {
    batch: 9,
    height: 13,
    width: 13,
    channels: 32,
    kernelHeight: 3,
    kernelWidth: 3,
    stride: 1,
    pad: 0,
    filters: 64,
  },
  {
    batch: 5,
    height: 30,
    width: 30,
    channels: 1,
    kernelHeight: 3,
    kernelWidth: 3,
    stride: 1,
    pad: 1,
    filters: 30,
  },
];

/** Random values with about `keep` of them non-zero. */
function sparseArray(random: Random, length: number, keep: number): Float32Array {
  const array = randomArray(random, length);
  for (let i = 0; i < length; i++) if (random.next() >= keep) array[i] = i % 2 === 0 ? 0 : -0;
  return array;
}

function dense(
  kernels: Kernels,
  shape: ConvShape,
  filters: number,
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
) {
  const { outHeight, outWidth } = convOutputSize(shape);
  const rows = shape.batch * outHeight * outWidth;
  const patch = shape.kernelHeight * shape.kernelWidth * shape.channels;
  const cols = new Float32Array(rows * patch);
  kernels.im2col(x, shape, cols);
  const dw = new Float32Array(patch * filters);
  kernels.gemm(true, false, patch, filters, rows, 1, cols, dy, 0, dw);
  const dcols = new Float32Array(rows * patch);
  kernels.gemm(false, true, rows, patch, filters, 1, dy, w, 0, dcols);
  const dx = new Float32Array(shape.batch * shape.height * shape.width * shape.channels);
  kernels.col2im(dcols, shape, dx);
  return { cols, rows, patch, dw, dx };
}

describe("sparse conv backward kernels", () => {
  const random = new Random(23);
  for (const kernels of [reference, ...wasmBuilds()]) {
    SHAPES.forEach(({ filters, ...shape }, index) => {
      for (const keep of [0.15, 1]) {
        it(`${kernels === reference ? "reference" : buildLabel(kernels)} shape ${index}, ${keep * 100}% non-zero: equals the dense path`, () => {
          const x = randomArray(random, shape.batch * shape.height * shape.width * shape.channels);
          const patch = shape.kernelHeight * shape.kernelWidth * shape.channels;
          const w = randomArray(random, patch * filters);
          const { outHeight, outWidth } = convOutputSize(shape);
          const rows = shape.batch * outHeight * outWidth;
          const dy = sparseArray(random, rows * filters, keep);
          const expected = dense(reference, shape, filters, x, w, dy);

          const dw = place(kernels, new Float32Array(patch * filters).fill(NaN), index % 2 === 0);
          kernels.convWeightGradSparse(
            place(kernels, expected.cols, index % 2 === 1),
            place(kernels, dy, index % 2 === 0),
            rows,
            patch,
            filters,
            dw,
          );
          assertClose(dw, expected.dw, () => 1e-5 * Math.sqrt(rows) * 4, "filter gradient");

          const dx = place(kernels, new Float32Array(x.length).fill(NaN), index % 2 === 1);
          kernels.convInputGradSparse(
            place(kernels, dy, index % 2 === 1),
            place(kernels, w, index % 2 === 0),
            shape,
            filters,
            dx,
          );
          assertClose(dx, expected.dx, () => 1e-5 * Math.sqrt(filters * patch) * 4, "input gradient");
        });
      }
    });
  }
});
