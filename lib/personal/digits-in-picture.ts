/**
 * Several digits in one picture (a photo of a written number, a strip of drawn digits): the ink is
 * split into connected components (lib/intake), pieces of one digit that sit above each other (the
 * bar of a 7, the flag of a 5) are joined, and each digit, left to right, goes through the MNIST recipe
 * on its own: every other digit's ink is painted over with paper first, so a neighbour cannot leak in.
 */
import { connectedComponents } from "../intake/components";
import type { GrayImage } from "../intake/decode";
import { inkAbove, NoDigitError, paperLevel, toMnistDigit, type IntakeResult } from "../intake/mnist-recipe";
import { otsuThreshold } from "../intake/morphology";
import { resizeArea } from "../intake/resize";

export interface DigitInPicture extends IntakeResult {
  /** The digit's box in the picture's pixels (left to right order). */
  box: { x: number; y: number; width: number; height: number };
}

/** Working size for finding the digits: bounds the time on a large photo. */
const WORKING_SIZE = 512;

/** The digits in `image`, left to right; throws NoDigitError when there is no ink. */
export function digitsInPicture(image: GrayImage, options: { maxDigits?: number } = {}): DigitInPicture[] {
  const maxDigits = options.maxDigits ?? 20;
  const shrink = Math.max(1, Math.max(image.width, image.height) / WORKING_SIZE);
  const work =
    shrink > 1
      ? resizeArea(image, Math.round(image.width / shrink), Math.round(image.height / shrink))
      : image;
  const { width, height } = work;
  const paper = paperLevel(work);
  const contrast = new Float32Array(work.data.length);
  let high = 0;
  for (let i = 0; i < contrast.length; i++) {
    contrast[i] = Math.abs(work.data[i] - paper);
    high = Math.max(high, contrast[i]);
  }
  if (high < 0.08) throw new NoDigitError("no digit found: the picture has no contrast");
  const mask = inkAbove(contrast, Math.max(otsuThreshold(contrast), 0.15));

  const components = connectedComponents(mask, width, height);
  const minimum = Math.max(3, 0.02 * components[0].pixels.length);
  const groups = joinStacked(components.filter((c) => c.pixels.length >= minimum));
  if (groups.length > maxDigits) {
    throw new NoDigitError(
      `found ${groups.length} separate marks, more than the ${maxDigits} digits allowed`,
    );
  }
  groups.sort((a, b) => a.x - b.x);
  return groups.map((group) => {
    const result = toMnistDigit(isolate(work, group, paper));
    const box = {
      x: Math.floor(group.x * shrink),
      y: Math.floor(group.y * shrink),
      width: Math.ceil(group.width * shrink),
      height: Math.ceil(group.height * shrink),
    };
    return { ...result, box };
  });
}

interface Group {
  pixels: number[];
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Joins components whose columns overlap by at least half the narrower one's width: one digit's pieces. */
function joinStacked(
  components: { pixels: Int32Array; x: number; y: number; width: number; height: number }[],
) {
  const groups: Group[] = components.map((c) => ({ ...c, pixels: Array.from(c.pixels) }));
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < groups.length && !merged; i++) {
      for (let j = i + 1; j < groups.length && !merged; j++) {
        const a = groups[i];
        const b = groups[j];
        const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        if (overlap < 0.5 * Math.min(a.width, b.width)) continue;
        const x = Math.min(a.x, b.x);
        const y = Math.min(a.y, b.y);
        groups[i] = {
          pixels: a.pixels.concat(b.pixels),
          x,
          y,
          width: Math.max(a.x + a.width, b.x + b.width) - x,
          height: Math.max(a.y + a.height, b.y + b.height) - y,
        };
        groups.splice(j, 1);
        merged = true;
      }
    }
  }
  return groups;
}

/** The group's box with a margin, every pixel farther than 2 pixels from the group's ink set to paper. */
function isolate(image: GrayImage, group: Group, paper: number): GrayImage {
  const { width, height } = image;
  const keep = new Uint8Array(width * height);
  const reach = 2;
  for (const p of group.pixels) {
    const px = p % width;
    const py = (p - px) / width;
    for (let dy = -reach; dy <= reach; dy++) {
      for (let dx = -reach; dx <= reach; dx++) {
        const nx = px + dx;
        const ny = py + dy;
        if (nx >= 0 && nx < width && ny >= 0 && ny < height) keep[ny * width + nx] = 1;
      }
    }
  }
  // The group's box is its pixels' box: each component's box is exact, and joining takes the union.
  const margin = Math.max(4, Math.round(0.3 * Math.max(group.width, group.height)));
  const outWidth = group.width + 2 * margin;
  const outHeight = group.height + 2 * margin;
  const data = new Float32Array(outWidth * outHeight).fill(paper);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const sx = group.x - margin + x;
      const sy = group.y - margin + y;
      if (sx >= 0 && sx < width && sy >= 0 && sy < height && keep[sy * width + sx]) {
        data[y * outWidth + x] = image.data[sy * width + sx];
      }
    }
  }
  return { width: outWidth, height: outHeight, data };
}
