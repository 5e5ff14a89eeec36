/**
 * The forward pass of a saved scratch network, in plain JavaScript for the browser. Every function here
 * is self-contained (no imports, no module state): `browserRuntimeSource()` ships their source text
 * inlined into an HTML page, and the Node tests call the very same functions, so what is tested is what
 * runs in the page. Images are NHWC per sample, as in the engine: value (y, x, c) at (y·W + x)·C + c.
 *
 * A network here is the JSON of ./network-spec.ts after `prepareNetwork` has decoded its arrays.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- plain JSON networks shipped to the browser */

/** Float32 values from base64 (the engine's little-endian bytes). */
export function decodeFloat32Base64(text: string): Float32Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/** Decodes every base64 array of a network spec once, so each prediction only multiplies. */
export function prepareNetwork(spec: any): any {
  const layers = spec.layers.map(function (layer: Record<string, unknown>) {
    const decoded: Record<string, unknown> = {};
    for (const key of Object.keys(layer)) {
      const value = layer[key];
      const isArray = key === "weights" || key === "bias" || key === "scale" || key === "shift";
      decoded[key] = isArray && typeof value === "string" ? decodeFloat32Base64(value) : value;
    }
    return decoded;
  });
  return { model: spec.model, classes: spec.classes, inputShape: spec.inputShape, layers: layers };
}

/**
 * Convolution, optionally followed by a non-overlapping max-pool (the engine's fused first block):
 * each output value is the bias plus the sum over the window of input × filter weight, with weights
 * stored as [(ky·k + kx)·C + c, filter]. Zero inputs (most of a digit's background) are skipped.
 */
export function convolve(
  input: Float32Array,
  shape: number[],
  layer: { filters: number; kernelSize: number; stride: number; pad: number; weights: Float32Array },
  bias: Float32Array | null,
): { data: Float32Array; shape: number[] } {
  const height = shape[0];
  const width = shape[1];
  const channels = shape[2];
  const filters = layer.filters;
  const k = layer.kernelSize;
  const stride = layer.stride;
  const pad = layer.pad;
  const outHeight = Math.floor((height + 2 * pad - k) / stride) + 1;
  const outWidth = Math.floor((width + 2 * pad - k) / stride) + 1;
  const out = new Float32Array(outHeight * outWidth * filters);
  const sums = new Float64Array(filters);
  const w = layer.weights;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      for (let f = 0; f < filters; f++) sums[f] = bias ? bias[f] : 0;
      for (let ky = 0; ky < k; ky++) {
        const iy = oy * stride + ky - pad;
        if (iy < 0 || iy >= height) continue;
        for (let kx = 0; kx < k; kx++) {
          const ix = ox * stride + kx - pad;
          if (ix < 0 || ix >= width) continue;
          for (let c = 0; c < channels; c++) {
            const v = input[(iy * width + ix) * channels + c];
            if (v === 0) continue;
            const row = ((ky * k + kx) * channels + c) * filters;
            for (let f = 0; f < filters; f++) sums[f] += v * w[row + f];
          }
        }
      }
      const at = (oy * outWidth + ox) * filters;
      for (let f = 0; f < filters; f++) out[at + f] = sums[f];
    }
  }
  return { data: out, shape: [outHeight, outWidth, filters] };
}

/** Max over size×size windows every `stride` pixels, per channel. */
export function maxPool(
  input: Float32Array,
  shape: number[],
  size: number,
  stride: number,
): { data: Float32Array; shape: number[] } {
  const height = shape[0];
  const width = shape[1];
  const channels = shape[2];
  const outHeight = Math.floor((height - size) / stride) + 1;
  const outWidth = Math.floor((width - size) / stride) + 1;
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      for (let c = 0; c < channels; c++) {
        let best = -Infinity;
        for (let dy = 0; dy < size; dy++) {
          for (let dx = 0; dx < size; dx++) {
            const v = input[((oy * stride + dy) * width + ox * stride + dx) * channels + c];
            if (v > best) best = v;
          }
        }
        out[(oy * outWidth + ox) * channels + c] = best;
      }
    }
  }
  return { data: out, shape: [outHeight, outWidth, channels] };
}

/**
 * A convolution and the max-pool under it as one step, where the engine runs them as its fused first
 * block (layers/conv-pool.ts); the same sums, so the same values up to rounding.
 */
export function convolvePool(input: Float32Array, shape: number[], conv: any, pool: any) {
  const convolved = convolve(input, shape, conv, conv.bias || null);
  return maxPool(convolved.data, convolved.shape, pool.size, pool.stride);
}

/** output = input · W (+ bias), W stored [inputs, units]. */
export function dense(
  input: Float32Array,
  layer: { units: number; weights: Float32Array; bias?: Float32Array | null },
): Float32Array {
  const units = layer.units;
  const inputs = input.length;
  const w = layer.weights;
  const sums = new Float64Array(units);
  if (layer.bias) for (let j = 0; j < units; j++) sums[j] = layer.bias[j];
  for (let i = 0; i < inputs; i++) {
    const v = input[i];
    if (v === 0) continue;
    const row = i * units;
    for (let j = 0; j < units; j++) sums[j] += v * w[row + j];
  }
  return Float32Array.from(sums);
}

/** Batch-norm in inference form, folded to one scale and shift per channel (the last axis). */
export function scaleShift(input: Float32Array, scale: Float32Array, shift: Float32Array): Float32Array {
  const channels = scale.length;
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const c = i % channels;
    out[i] = input[i] * scale[c] + shift[c];
  }
  return out;
}

export function relu(input: Float32Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input[i] > 0 ? input[i] : 0;
  return out;
}

/** Probabilities from logits, shifted by the largest so no exponential overflows. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const out = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

/**
 * The network's logits for one sample (its inputShape values, e.g. 784 pixels in [0, 1]). A conv
 * directly under a max-pool runs as one fused step, as in the engine.
 */
export function networkLogits(network: any, pixels: ArrayLike<number>): Float32Array {
  let data = Float32Array.from(pixels);
  let shape: number[] = network.inputShape.slice();
  const layers = network.layers;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const next = layers[i + 1];
    if (layer.type === "conv2d" && next && next.type === "maxpool2d") {
      const pooled = convolvePool(data, shape, layer, next);
      data = pooled.data;
      shape = pooled.shape;
      i++;
    } else if (layer.type === "conv2d") {
      const convolved = convolve(data, shape, layer, layer.bias || null);
      data = convolved.data;
      shape = convolved.shape;
    } else if (layer.type === "maxpool2d") {
      const pooled = maxPool(data, shape, layer.size, layer.stride);
      data = pooled.data;
      shape = pooled.shape;
    } else if (layer.type === "batchnorm") {
      data = scaleShift(data, layer.scale, layer.shift);
    } else if (layer.type === "relu") {
      data = relu(data);
    } else if (layer.type === "flatten") {
      shape = [data.length];
    } else if (layer.type === "dense") {
      data = dense(data, layer);
      shape = [layer.units];
    } else {
      throw new Error("browser network: unknown layer type " + JSON.stringify(layer.type));
    }
  }
  return data;
}

/** The predicted class and the probabilities of every class for one sample. */
export function classify(
  network: any,
  pixels: ArrayLike<number>,
): { digit: number; probabilities: number[] } {
  const probabilities = Array.from(softmax(networkLogits(network, pixels)));
  let digit = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[digit]) digit = i;
  return { digit: digit, probabilities: probabilities };
}
