/**
 * A synthetic "person" for the personalisation notebook and tests: digits drawn in one distinctive,
 * consistent hand that MNIST models find harder than MNIST's own writers, so fine-tuning has something
 * to learn without anyone drawing. The hand: a strong right slant, a thick pen, a slashed zero, a one
 * with a long flag and a base, a flat-topped three, an open four, a seven with a bar, a nine with a
 * straight stem. Each digit is a set of strokes (polylines in a unit box); every sample jitters the
 * points, slant, size and pen a little, as one person's writing varies, and is drawn dark on white
 * paper, then read through the same MNIST recipe (lib/intake) as a photographed digit.
 * Deterministic: a seed gives the same images on every run.
 */
import { toMnistDigit } from "../intake/mnist-recipe";
import type { GrayImage } from "../intake/decode";
import { matrix, type Matrix } from "../matrix";
import { Random } from "../random";
import { checkOptionKeys, checkPositiveInteger, checkSeed } from "../validation";

type Point = readonly [number, number];
type Stroke = readonly Point[];

/** Points along an ellipse arc; angles in degrees, 0 = right, 90 = down (y grows downwards). */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, n = 14): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= n; i++) {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    points.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return points;
}

/** The person's digits: strokes in a box x ∈ [0, 0.6], y ∈ [0, 1] (top to bottom). */
const SKELETONS: readonly (readonly Stroke[])[] = [
  // 0: an upright oval with a slash through it.
  [
    arc(0.3, 0.5, 0.28, 0.48, 0, 360, 24),
    [
      [0.54, 0.08],
      [0.06, 0.92],
    ],
  ],
  // 1: a long flag and a base.
  [
    [
      [0.02, 0.35],
      [0.38, 0],
      [0.38, 1],
    ],
    [
      [0.1, 1],
      [0.62, 1],
    ],
  ],
  // 2: a round top, a straight diagonal and a long flat base.
  [[...arc(0.3, 0.27, 0.27, 0.25, 190, 380, 12), [0.02, 1], [0.64, 1]]],
  // 3: a flat top, a diagonal, and one round lower bowl.
  [[[0.04, 0], [0.56, 0], [0.22, 0.4], ...arc(0.3, 0.68, 0.29, 0.31, -100, 150, 14)]],
  // 4: open at the top: the diagonal and the stem do not meet.
  [
    [
      [0.32, 0],
      [0.02, 0.66],
      [0.62, 0.66],
    ],
    [
      [0.46, 0.3],
      [0.46, 1],
    ],
  ],
  // 5: a flag, a short stem and a round belly.
  [[[0.58, 0], [0.1, 0], [0.06, 0.44], ...arc(0.3, 0.68, 0.28, 0.3, -125, 150, 14)]],
  // 6: a long swoop from the top right into a small loop.
  [[[0.52, 0.02], [0.3, 0.18], [0.12, 0.42], ...arc(0.3, 0.74, 0.24, 0.25, 180, 540, 18)]],
  // 7: a top bar, a straight stroke down and a bar across the middle.
  [
    [
      [0.02, 0.02],
      [0.62, 0],
      [0.18, 1],
    ],
    [
      [0.12, 0.52],
      [0.54, 0.52],
    ],
  ],
  // 8: a small upper loop on a bigger lower one.
  [arc(0.3, 0.24, 0.2, 0.23, 0, 360, 18), arc(0.3, 0.72, 0.27, 0.27, 0, 360, 18)],
  // 9: a loop and a straight stem.
  [
    arc(0.28, 0.27, 0.26, 0.26, 0, 360, 18),
    [
      [0.54, 0.2],
      [0.54, 1],
    ],
  ],
];

/** The hand's fixed traits, which every sample shares (jittered a little). */
const STYLE = {
  name: "slanted-thick-pen",
  /** Horizontal shift per unit of height (0.65 ≈ 33°): the top leans right. */
  slant: 0.65,
  /** Pen radius in canvas pixels, for a digit 44 pixels tall. */
  penRadius: 3.6,
};

const CANVAS = 72;
const HEIGHT_PX = 44;

export interface SyntheticPersonOptions {
  /** Samples of each digit (default 10). */
  perDigit?: number;
  /** Seeds the per-sample jitter (default 0). */
  seed?: number;
}

export interface SyntheticPerson {
  /** rows × 784 images in [0, 1], ink = 1, as MNIST rows. */
  x: Matrix;
  /** Digit of each row: rows cycle 0, 1, …, 9, so the first 10k rows hold k of each digit. */
  y: Int32Array;
  name: string;
}

/** `perDigit` samples of each digit in the synthetic person's hand. */
export function syntheticPerson(options: SyntheticPersonOptions = {}): SyntheticPerson {
  checkOptionKeys("syntheticPerson", options, ["perDigit", "seed"]);
  const perDigit = checkPositiveInteger("syntheticPerson", "perDigit", options.perDigit ?? 10);
  const random = new Random(checkSeed("syntheticPerson", options.seed ?? 0));
  const rows = perDigit * 10;
  const data = new Float32Array(rows * 784);
  const y = new Int32Array(rows);
  for (let i = 0; i < perDigit; i++) {
    for (let digit = 0; digit < 10; digit++) {
      const row = i * 10 + digit;
      const picture = drawDigit(digit, random);
      data.set(toMnistDigit(picture).pixels, row * 784);
      y[row] = digit;
    }
  }
  return { x: matrix(data, rows, 784), y, name: STYLE.name };
}

/** One sample of `digit` in the person's hand: dark ink on white paper, CANVAS × CANVAS pixels. */
export function drawDigit(digit: number, random: Random): GrayImage {
  const slant = STYLE.slant + random.normal(0, 0.05);
  const size = HEIGHT_PX * (1 + random.normal(0, 0.05));
  const pen = STYLE.penRadius * (1 + random.normal(0, 0.06));
  const angle = random.normal(0, 0.03);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const place = ([x, y]: Point): Point => {
    const jx = x + random.normal(0, 0.018);
    const jy = y + random.normal(0, 0.018);
    const sheared = jx + slant * (0.5 - jy);
    const u = (sheared - 0.3) * size;
    const v = (jy - 0.5) * size;
    return [CANVAS / 2 + cos * u - sin * v, CANVAS / 2 + sin * u + cos * v];
  };
  const ink = new Float32Array(CANVAS * CANVAS);
  for (const stroke of SKELETONS[digit]) {
    const points = stroke.map(place);
    for (let i = 1; i < points.length; i++) drawSegment(ink, points[i - 1], points[i], pen);
  }
  const data = new Float32Array(ink.length);
  for (let i = 0; i < data.length; i++) data[i] = 0.97 - 0.9 * ink[i];
  return { width: CANVAS, height: CANVAS, data };
}

/** Ink of a round pen of `radius` along a segment, anti-aliased over one pixel; keeps the darker value. */
function drawSegment(ink: Float32Array, a: Point, b: Point, radius: number): void {
  const [ax, ay] = a;
  const [bx, by] = b;
  const reach = radius + 1;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const x1 = Math.min(CANVAS - 1, Math.ceil(Math.max(ax, bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const y1 = Math.min(CANVAS - 1, Math.ceil(Math.max(ay, by) + reach));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy || 1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
      const distance = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
      const value = Math.max(0, Math.min(1, radius + 0.5 - distance));
      if (value > ink[y * CANVAS + x]) ink[y * CANVAS + x] = value;
    }
  }
}
