/**
 * The MNIST recipe applied to any picture of one digit, so a model trained on MNIST sees a person's
 * digit the way it saw its training data:
 *   1. grayscale (decode.ts), shrunk to a working size if it is a large photo;
 *   2. ink is bright: dark ink on light paper (judged from the border) is inverted;
 *   3. background light removed: a wide blur estimates the paper's uneven lighting, subtracted;
 *   4. ink separated from paper by Otsu's threshold, and specks far smaller than the digit dropped;
 *   5. pen width evened out: a thin ballpoint is thickened and a thick marker thinned, towards MNIST's
 *      stroke width once the digit is scaled;
 *   6. cropped to the ink's bounding box and scaled to fit 20×20, keeping the aspect ratio;
 *   7. placed in 28×28 with its centre of mass at the centre.
 * A blank page, an all-dark picture or a picture with no contrast is refused with a clear message.
 */
import { centerByMass } from "../preprocessing/deskew";
import { checkOptionKeys } from "../validation";
import { connectedComponents } from "./components";
import type { GrayImage } from "./decode";
import { boxBlur, otsuThreshold, squareFilter } from "./morphology";
import { crop, resizeArea } from "./resize";

export interface IntakeOptions {
  /** Side of the working copy of large photos (default 512): bounds the time of every step. */
  workingSize?: number;
  /** MNIST's stroke width in pixels of the 20×20 box that pen widths are evened out towards (default 2.2). */
  targetStrokeWidth?: number;
}

export interface IntakeResult {
  /** 28 × 28 values in [0, 1], ink = 1, as the models' training images. */
  pixels: Float32Array;
  /** Whether the picture was dark ink on light paper (and so inverted). */
  inverted: boolean;
  /** The pen's stroke width in working-copy pixels, before evening out. */
  strokeWidth: number;
  /** The digit's bounding box in the original picture's pixels. */
  box: { x: number; y: number; width: number; height: number };
}

/** Thrown when a picture holds no digit to read (blank, all dark, no contrast). */
export class NoDigitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoDigitError";
  }
}

const SIDE = 28;
const BOX = 20;

export function toMnistDigit(image: GrayImage, options: IntakeOptions = {}): IntakeResult {
  checkOptionKeys("toMnistDigit", options, ["workingSize", "targetStrokeWidth"]);
  const { workingSize = 512, targetStrokeWidth = 2.2 } = options;
  const shrink = Math.max(1, Math.max(image.width, image.height) / workingSize);
  const work =
    shrink > 1
      ? resizeArea(image, Math.round(image.width / shrink), Math.round(image.height / shrink))
      : image;

  const { ink, inverted } = inkIsBright(work);
  const cleaned = removeBackground(ink);
  const mask = inkMask(cleaned);
  const strokeWidth = estimateStrokeWidth(mask);
  const box = boundingBox(mask.data, mask.width, mask.height);
  const scale = BOX / Math.max(box.width, box.height);
  const evened = evenStrokeWidth(mask, strokeWidth, scale, targetStrokeWidth);

  const pixels = fitDigitToMnist(evened);
  return {
    pixels,
    inverted,
    strokeWidth,
    box: {
      x: Math.floor(box.x * shrink),
      y: Math.floor(box.y * shrink),
      width: Math.ceil(box.width * shrink),
      height: Math.ceil(box.height * shrink),
    },
  };
}

/**
 * Steps 6 and 7 on an image of bright ink on a black background: cropped to the ink (every pixel
 * above 0), scaled to fit 20×20 keeping the aspect ratio, placed in 28×28 with its centre of mass at
 * the centre, clamped to [0, 1]. The drawing canvas runs this very function in the browser
 * (lib/browser/canvas-intake.ts ships the compiled module to the page).
 */
export function fitDigitToMnist(ink: GrayImage): Float32Array {
  const box = boundingBox(ink.data, ink.width, ink.height);
  const digit = crop(ink, box.x, box.y, box.width, box.height);
  const fit = BOX / Math.max(digit.width, digit.height);
  const scaled = resizeArea(
    digit,
    Math.max(1, Math.round(digit.width * fit)),
    Math.max(1, Math.round(digit.height * fit)),
  );
  const placed = new Float32Array(SIDE * SIDE);
  const left = Math.floor((SIDE - scaled.width) / 2);
  const top = Math.floor((SIDE - scaled.height) / 2);
  for (let y = 0; y < scaled.height; y++) {
    placed.set(scaled.data.subarray(y * scaled.width, (y + 1) * scaled.width), (top + y) * SIDE + left);
  }
  const pixels = centerByMass(placed);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, pixels[i]));
  return pixels;
}

/** The paper's level: the median of a frame 5% wide around the picture (ink rarely touches all four sides). */
export function paperLevel(image: GrayImage): number {
  const { width, height, data } = image;
  const frame = Math.max(1, Math.round(0.05 * Math.min(width, height)));
  const border: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < frame || y >= height - frame || x < frame || x >= width - frame)
        border.push(data[y * width + x]);
    }
  }
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/**
 * The mask of the values above `threshold`: the ink. A picture with none is blank, and one with more
 * ink than paper is no digit on paper (an all-dark or underexposed photo): both are refused.
 */
export function inkAbove(values: Float32Array, threshold: number): Uint8Array {
  const mask = new Uint8Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > threshold) {
      mask[i] = 1;
      count++;
    }
  }
  if (count === 0) throw new NoDigitError("no digit found: the picture looks blank");
  if (count > 0.6 * values.length)
    throw new NoDigitError("no digit found: the picture is mostly ink (all dark?)");
  return mask;
}

/** Step 2: paper is what the border shows; if the border is light, the ink is dark and is inverted. */
function inkIsBright(image: GrayImage): { ink: GrayImage; inverted: boolean } {
  const { width, height, data } = image;
  const paper = paperLevel(image);
  const inverted = paper > 0.5;
  const ink = new Float32Array(data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = inverted ? 1 - data[i] : data[i];
  return { ink: { width, height, data: ink }, inverted };
}

/** Step 3: subtract a wide blur, which follows the paper's lighting but not the thin strokes. */
function removeBackground(ink: GrayImage): GrayImage {
  const radius = Math.max(3, Math.round(Math.min(ink.width, ink.height) / 4));
  const background = boxBlur(ink, radius);
  const out = new Float32Array(ink.data.length);
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.max(0, ink.data[i] - background.data[i]);
    low = Math.min(low, ink.data[i]);
    high = Math.max(high, ink.data[i]);
  }
  if (high - low < 0.08) {
    throw new NoDigitError(
      `no digit found: the picture has no contrast (values ${low.toFixed(2)}–${high.toFixed(2)})`,
    );
  }
  return { width: ink.width, height: ink.height, data: out };
}

/**
 * Step 4: ink is what Otsu's threshold puts above the paper; components under 5% of the largest are
 * specks. Kept pixels take their cleaned intensity scaled so that solid ink is 1, which keeps the
 * anti-aliased edges that MNIST digits have.
 */
function inkMask(cleaned: GrayImage): GrayImage {
  const { width, height, data } = cleaned;
  const binary = inkAbove(data, otsuThreshold(data));
  const components = connectedComponents(binary, width, height);
  const minimum = Math.max(2, 0.05 * components[0].pixels.length);
  const kept: number[] = [];
  for (const component of components) if (component.pixels.length >= minimum) kept.push(...component.pixels);
  const values = kept.map((p) => data[p]).sort((a, b) => a - b);
  const solid = values[Math.floor(0.9 * (values.length - 1))];
  const out = new Float32Array(data.length);
  for (const p of kept) out[p] = Math.min(1, data[p] / solid);
  // Soft edges: a pixel next to kept ink keeps its own share of ink too.
  for (const p of kept) {
    const x = p % width;
    const y = (p - x) / width;
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ] as const) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || nx >= width || ny < 0 || ny >= height) continue;
      const q = ny * width + nx;
      if (out[q] === 0) out[q] = Math.min(0.5, data[q] / solid);
    }
  }
  return { width, height, data: out };
}

/** Stroke width ≈ 2 · area / perimeter for long strokes, counted on the solid ink. */
function estimateStrokeWidth(mask: GrayImage): number {
  const { width, height, data } = mask;
  let area = 0;
  let perimeter = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] < 0.5) continue;
      area++;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        data[y * width + x - 1] < 0.5 ||
        data[y * width + x + 1] < 0.5 ||
        data[(y - 1) * width + x] < 0.5 ||
        data[(y + 1) * width + x] < 0.5;
      if (edge) perimeter++;
    }
  }
  return perimeter > 0 ? (2 * area) / perimeter : 1;
}

/**
 * Step 5: a stroke much thinner than MNIST's after scaling is dilated, a much thicker one eroded
 * (never so far that the digit disappears).
 */
function evenStrokeWidth(mask: GrayImage, strokeWidth: number, scale: number, target: number): GrayImage {
  const scaled = strokeWidth * scale;
  if (scaled < 0.6 * target) {
    const radius = Math.max(1, Math.round((target / scale - strokeWidth) / 2));
    return squareFilter(mask, radius, "dilate");
  }
  if (scaled > 1.6 * target) {
    let radius = Math.max(1, Math.round((strokeWidth - target / scale) / 2));
    const before = inkSum(mask);
    while (radius >= 1) {
      const eroded = squareFilter(mask, radius, "erode");
      if (inkSum(eroded) > 0.25 * before) return eroded;
      radius = Math.floor(radius / 2);
    }
  }
  return mask;
}

function inkSum(image: GrayImage): number {
  let sum = 0;
  for (const v of image.data) sum += v;
  return sum;
}

function boundingBox(data: Float32Array, width: number, height: number) {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] <= 0) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  if (maxX < 0) throw new NoDigitError("no digit found: the picture looks blank");
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
