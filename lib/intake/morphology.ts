/**
 * The small image operations the intake needs: a box blur (background light), Otsu's threshold
 * (ink versus paper), and square dilation and erosion (pen width). Each runs in time linear in the
 * pixel count per pass, so a photo shrunk to a working size is handled in milliseconds.
 */
import type { GrayImage } from "./decode";

/** Mean over a (2·radius + 1)² window, clipped at the borders, from a summed-area table. */
export function boxBlur(image: GrayImage, radius: number): GrayImage {
  const { width, height, data } = image;
  const table = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += data[y * width + x];
      table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const sum =
        table[y1 * (width + 1) + x1] -
        table[y0 * (width + 1) + x1] -
        table[y1 * (width + 1) + x0] +
        table[y0 * (width + 1) + x0];
      out[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return { width, height, data: out };
}

/**
 * Otsu's threshold for values in [0, 1]: the cut that maximises the variance between the two classes
 * it makes (256 bins). Returns a value in [0, 1].
 */
export function otsuThreshold(values: Float32Array): number {
  const bins = 256;
  const histogram = new Float64Array(bins);
  for (const v of values) histogram[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]++;
  let total = 0;
  for (let i = 0; i < bins; i++) total += i * histogram[i];
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let bestVariance = -1;
  for (let i = 0; i < bins; i++) {
    below += histogram[i];
    belowSum += i * histogram[i];
    const above = values.length - below;
    if (below === 0 || above === 0) continue;
    const meanBelow = belowSum / below;
    const meanAbove = (total - belowSum) / above;
    const variance = below * above * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = i;
    }
  }
  return (best + 1) / bins;
}

/** Max (dilate) or min (erode) over a (2·radius + 1)² square, as two 1-D passes. */
export function squareFilter(image: GrayImage, radius: number, kind: "dilate" | "erode"): GrayImage {
  const pick = kind === "dilate" ? Math.max : Math.min;
  const outside = kind === "dilate" ? 0 : 1;
  const { width, height } = image;
  const pass = (src: Float32Array, along: "x" | "y"): Float32Array => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let value = src[y * width + x];
        for (let d = -radius; d <= radius; d++) {
          const xx = along === "x" ? x + d : x;
          const yy = along === "y" ? y + d : y;
          const inside = xx >= 0 && xx < width && yy >= 0 && yy < height;
          value = pick(value, inside ? src[yy * width + xx] : outside);
        }
        out[y * width + x] = value;
      }
    }
    return out;
  };
  return { width, height, data: pass(pass(image.data, "x"), "y") };
}
