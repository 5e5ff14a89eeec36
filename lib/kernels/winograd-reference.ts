/**
 * Winograd's minimal filtering F(2×2, 3×3), written to be read: the reference twin of the wasm
 * export winogradForward (assembly/winograd.ts). A 3×3 convolution (stride 1, any zero padding) is
 * computed on 2×2 output tiles, each from a 4×4 input tile d:
 *   Y = Aᵀ [ Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B) ] A,
 * 16 multiplications per tile, channel and filter where the direct sum takes 36 (2.25× fewer). The
 * 16 element-wise products summed over channels are 16 independent (tiles × channels) · (channels ×
 * filters) matrix products, which is what makes the method fast with a GEMM. Tiles hanging past the
 * bottom or right edge of an odd-sized output are computed whole and clipped when written.
 */
import { convOutputSize, type ConvShape } from "./api";

/** Bᵀ, the input transform (4×4). */
const BT = [
  [1, 0, -1, 0],
  [0, 1, 1, 0],
  [0, -1, 1, 0],
  [0, 1, 0, -1],
];
/** G, the filter transform (4×3). */
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];
/** Aᵀ, the output transform (2×4). */
const AT = [
  [1, 1, 1, 0],
  [0, 1, -1, -1],
];

/** left · x · rightᵀ for small dense matrices (rows as arrays). */
function sandwich(left: number[][], x: number[][], right: number[][]): number[][] {
  const inner = left.map((row) => x[0].map((_, j) => row.reduce((s, l, p) => s + l * x[p][j], 0)));
  return inner.map((row) => right.map((r) => row.reduce((s, v, p) => s + v * r[p], 0)));
}

/** The shapes both builds accept: F(2×2, 3×3) is for 3×3 kernels at stride 1 (any padding). */
export function checkWinogradShape(kernel: string, shape: ConvShape, filters: number): void {
  if (shape.kernelHeight !== 3 || shape.kernelWidth !== 3 || shape.stride !== 1) {
    throw new RangeError(
      `${kernel}: needs a 3×3 kernel at stride 1, got ${shape.kernelHeight}×${shape.kernelWidth} at stride ${shape.stride}`,
    );
  }
  // The wasm build runs four channels (input side) and four filters (output side) per SIMD vector.
  if (shape.channels % 4 !== 0 || filters % 4 !== 0) {
    throw new RangeError(
      `${kernel}: channels and filters must be multiples of 4, got ${shape.channels} and ${filters}`,
    );
  }
}

/**
 * The filters transformed, [16, channels, filters]: entry (e, c, f) is (G g Gᵀ)[e / 4][e % 4] for the
 * 3×3 filter g of input channel c and output filter f, read from weights [(ky·3 + kx)·channels + c, f].
 */
export function winogradFilters(weights: Float32Array, channels: number, filters: number): Float64Array {
  const transformed = new Float64Array(16 * channels * filters);
  for (let c = 0; c < channels; c++) {
    for (let f = 0; f < filters; f++) {
      const g = [0, 1, 2].map((ky) =>
        [0, 1, 2].map((kx) => weights[((ky * 3 + kx) * channels + c) * filters + f]),
      );
      const u = sandwich(G, g, G);
      for (let e = 0; e < 16; e++) transformed[(e * channels + c) * filters + f] = u[e >> 2][e & 3];
    }
  }
  return transformed;
}

/** output (NHWC, overwritten) = the 3×3 convolution of input with weights [9·channels, filters] (+ bias). */
export function winogradConvForward(
  input: Float32Array,
  shape: ConvShape,
  weights: Float32Array,
  filters: number,
  bias: Float32Array | null,
  output: Float32Array,
): void {
  checkWinogradShape("winogradConvForward", shape, filters);
  const { batch, height, width, channels, pad } = shape;
  const { outHeight, outWidth } = convOutputSize(shape);
  const u = winogradFilters(weights, channels, filters);
  const products = new Float64Array(16 * filters);
  for (let b = 0; b < batch; b++) {
    for (let ty = 0; ty < outHeight; ty += 2) {
      for (let tx = 0; tx < outWidth; tx += 2) {
        products.fill(0);
        for (let c = 0; c < channels; c++) {
          // The 4×4 input tile under output pixels (ty..ty+1, tx..tx+1), zero outside the image.
          const d = [0, 1, 2, 3].map((i) =>
            [0, 1, 2, 3].map((j) => {
              const y = ty + i - pad;
              const x = tx + j - pad;
              const inside = y >= 0 && y < height && x >= 0 && x < width;
              return inside ? input[((b * height + y) * width + x) * channels + c] : 0;
            }),
          );
          const v = sandwich(BT, d, BT);
          for (let e = 0; e < 16; e++) {
            const ve = v[e >> 2][e & 3];
            for (let f = 0; f < filters; f++)
              products[e * filters + f] += ve * u[(e * channels + c) * filters + f];
          }
        }
        for (let f = 0; f < filters; f++) {
          const m = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => products[(i * 4 + j) * filters + f]));
          const y = sandwich(AT, m, AT);
          for (let i = 0; i < 2 && ty + i < outHeight; i++) {
            for (let j = 0; j < 2 && tx + j < outWidth; j++) {
              const at = ((b * outHeight + ty + i) * outWidth + tx + j) * filters + f;
              output[at] = y[i][j] + (bias ? bias[f] : 0);
            }
          }
        }
      }
    }
  }
}
