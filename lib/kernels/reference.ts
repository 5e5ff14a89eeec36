/**
 * Plain TypeScript kernels: the ground truth the WebAssembly build is tested against, and the fallback
 * when the wasm file has not been built. Written to be read; loop orders are the cache-friendly ones
 * but there is no blocking or unrolling.
 */
import { convOutputSize, poolOutputSize } from "./api";
import type { AdamHyper, ConvShape, KernelArgs, Kernels, PoolShape } from "./api";
import { winogradConvForward } from "./winograd-reference";
import { checkRoutedBatch, checkSecondTerm, findStrayArgmax, rejectStrayArgmax } from "./checks";

export class ReferenceKernels implements Kernels {
  readonly name = "reference";
  readonly threads = 1;

  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  /** Plain arrays belong to the garbage collector: nothing to do. */
  free(_array: Float32Array): void {}

  gemm(...[transA, transB, m, n, k, alpha, a, b, beta, c]: KernelArgs<"gemm">): void {
    // Materialise op(A) (m×k) and op(B) (k×n) row-major, then one plain loop nest.
    const opA = transA ? transpose(a, k, m) : a;
    const opB = transB ? transpose(b, n, k) : b;
    const row = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = opA[i * k + p];
        for (let j = 0; j < n; j++) row[j] += aip * opB[p * n + j];
      }
      for (let j = 0; j < n; j++) {
        // beta = 0 must ignore C entirely (it may hold NaN garbage), as in BLAS.
        const previous = beta === 0 ? 0 : beta * c[i * n + j];
        c[i * n + j] = alpha * row[j] + previous;
      }
    }
  }

  im2col(input: Float32Array, shape: ConvShape, cols: Float32Array): void {
    const sources = patchSources(shape);
    for (let i = 0; i < sources.length; i++) cols[i] = sources[i] < 0 ? 0 : input[sources[i]];
  }

  convForward(...[input, shape, weights, filters, bias, cols, output]: KernelArgs<"convForward">): void {
    const { outHeight, outWidth } = convOutputSize(shape);
    const rows = shape.batch * outHeight * outWidth;
    const patch = shape.kernelHeight * shape.kernelWidth * shape.channels;
    this.im2col(input, shape, cols);
    this.gemm(false, false, rows, filters, patch, 1, cols, weights, 0, output);
    if (bias) this.addBias(output, rows, filters, bias);
  }

  winogradConvForward(...args: KernelArgs<"winogradConvForward">): void {
    winogradConvForward(...args);
  }

  col2im(cols: Float32Array, shape: ConvShape, gradInput: Float32Array): void {
    const sources = patchSources(shape);
    gradInput.fill(0, 0, shape.batch * shape.height * shape.width * shape.channels);
    for (let i = 0; i < sources.length; i++) if (sources[i] >= 0) gradInput[sources[i]] += cols[i];
  }

  maxPool(input: Float32Array, shape: PoolShape, output: Float32Array, argmax: Int32Array): void {
    const { batch, height, width, channels, size, stride } = shape;
    const { outHeight, outWidth } = poolOutputSize(shape);
    let out = 0;
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outHeight; oy++) {
        for (let ox = 0; ox < outWidth; ox++) {
          for (let ch = 0; ch < channels; ch++) {
            // The first maximum in window scan order wins ties; both implementations agree on that.
            let best = -Infinity;
            let bestIndex = -1;
            for (let ky = 0; ky < size; ky++) {
              for (let kx = 0; kx < size; kx++) {
                const index = ((b * height + oy * stride + ky) * width + ox * stride + kx) * channels + ch;
                if (input[index] > best || bestIndex < 0) {
                  best = input[index];
                  bestIndex = index;
                }
              }
            }
            output[out] = best;
            argmax[out] = bestIndex;
            out++;
          }
        }
      }
    }
  }

  maxPoolBackward(...[gradOutput, argmax, shape, gradInput]: KernelArgs<"maxPoolBackward">): void {
    const { batch, height, width, channels } = shape;
    const { outHeight, outWidth } = poolOutputSize(shape);
    const inImage = height * width * channels;
    const outImage = outHeight * outWidth * channels;
    // Checked before writing, as the wasm build must (where a stray index would hit another tensor).
    rejectStrayArgmax(
      "maxPoolBackward",
      "inputs",
      argmax,
      findStrayArgmax(argmax, batch, outImage, inImage),
      outImage,
      inImage,
    );
    gradInput.fill(0, 0, batch * inImage);
    // Overlapping windows (stride < size) can pick the same input twice, hence +=.
    for (let i = 0; i < batch * outImage; i++) gradInput[argmax[i]] += gradOutput[i];
  }

  convWeightGradSparse(
    ...[cols, gradOutput, rows, patch, filters, gradWeights]: KernelArgs<"convWeightGradSparse">
  ): void {
    const sums = new Float64Array(patch * filters);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < filters; f++) {
        const g = gradOutput[r * filters + f];
        if (g === 0) continue;
        for (let p = 0; p < patch; p++) sums[p * filters + f] += cols[r * patch + p] * g;
      }
    }
    for (let i = 0; i < patch * filters; i++) gradWeights[i] = sums[i];
  }

  convGradRouted(...args: KernelArgs<"convGradRouted">): void {
    const [cols, values, argmax, batch, rows, patch, filters, gradWeights, gradBias] = args;
    checkRoutedBatch(batch, argmax.length, rows);
    const outImage = argmax.length / batch;
    const inImage = (rows * filters) / batch;
    rejectStrayArgmax(
      "convGradRouted",
      "outputs",
      argmax,
      findStrayArgmax(argmax, batch, outImage, inImage),
      outImage,
      inImage,
    );
    const weightSums = new Float64Array(patch * filters);
    const biasSums = new Float64Array(filters);
    for (let i = 0; i < argmax.length; i++) {
      const row = Math.floor(argmax[i] / filters);
      const f = argmax[i] % filters;
      for (let p = 0; p < patch; p++) weightSums[p * filters + f] += values[i] * cols[row * patch + p];
      biasSums[f] += values[i];
    }
    gradWeights.set(weightSums);
    gradBias?.set(biasSums);
  }

  convInputGradSparse(
    ...[gradOutput, weights, shape, filters, gradInput]: KernelArgs<"convInputGradSparse">
  ): void {
    const sources = patchSources(shape);
    const patch = shape.kernelHeight * shape.kernelWidth * shape.channels;
    const rows = sources.length / patch;
    gradInput.fill(0, 0, shape.batch * shape.height * shape.width * shape.channels);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < filters; f++) {
        const g = gradOutput[r * filters + f];
        if (g === 0) continue;
        for (let p = 0; p < patch; p++) {
          const source = sources[r * patch + p];
          if (source >= 0) gradInput[source] += g * weights[p * filters + f];
        }
      }
    }
  }

  /**
   * The Adam rule, written once: nn/optimizers/adam.ts derives the constants (bias corrections folded
   * into stepSize and epsilonHat, L2 decay as `coupled`, AdamW's decoupled decay as `shrink`), and the
   * wasm build (assembly/optimizer.ts) is this loop fused and vectorised, held equal by the tests.
   */
  adamStep(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, hyper: AdamHyper): void {
    const { beta1, beta2, stepSize, epsilonHat, coupled, shrink } = hyper;
    for (let i = 0; i < w.length; i++) {
      const grad = g[i] + coupled * w[i];
      m[i] = beta1 * m[i] + (1 - beta1) * grad;
      v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
      w[i] = shrink * w[i] - (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilonHat);
    }
  }

  relu(x: Float32Array, out: Float32Array): void {
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
  }

  reluBackward(x: Float32Array, gradOut: Float32Array, gradIn: Float32Array): void {
    for (let i = 0; i < x.length; i++) gradIn[i] = x[i] > 0 ? gradOut[i] : 0;
  }

  addBias(x: Float32Array, rows: number, cols: number, bias: Float32Array): void {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) x[i * cols + j] += bias[j];
    }
  }

  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
    const sums = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) sums[j] += x[i * cols + j];
    }
    for (let j = 0; j < cols; j++) out[j] = sums[j];
  }

  sumRowsOfProducts(x: Float32Array, y: Float32Array, rows: number, cols: number, out: Float32Array): void {
    const sums = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) sums[j] += x[i * cols + j] * y[i * cols + j];
    }
    for (let j = 0; j < cols; j++) out[j] = sums[j];
  }

  combineColumns(...[a, wa, b, wb, shift, rows, cols, out]: KernelArgs<"combineColumns">): void {
    checkSecondTerm(b, wb);
    const f = Math.fround;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const at = i * cols + j;
        const sum = b && wb ? f(f(a[at] * wa[j]) + f(b[at] * wb[j])) : f(a[at] * wa[j]);
        out[at] = sum + shift[j];
      }
    }
  }
}

/**
 * The im2col map, written once for im2col, col2im and convInputGradSparse: for every entry of the
 * unfolded patches (row (b, oy, ox), column (ky, kx, ch)), the flat NHWC input index it copies, or −1
 * where the window hangs over the zero padding.
 */
function patchSources(shape: ConvShape): Int32Array {
  const { batch, height, width, channels, kernelHeight, kernelWidth, stride, pad } = shape;
  const { outHeight, outWidth } = convOutputSize(shape);
  const sources = new Int32Array(batch * outHeight * outWidth * kernelHeight * kernelWidth * channels);
  let i = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = oy * stride + ky - pad;
          for (let kx = 0; kx < kernelWidth; kx++) {
            const x = ox * stride + kx - pad;
            const inside = y >= 0 && y < height && x >= 0 && x < width;
            const base = ((b * height + y) * width + x) * channels;
            for (let ch = 0; ch < channels; ch++) sources[i++] = inside ? base + ch : -1;
          }
        }
      }
    }
  }
  return sources;
}

/** The cols×rows transpose of a row-major rows×cols matrix. */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  }
  return out;
}
