/**
 * Digits as pictures: a grid of images packed into one PNG, or a captioned HTML grid (true label,
 * prediction, confidence) for misclassified examples and handwriting.
 */
import { encodePng } from "./png";
import { displayHtml, displayPng } from "../display";
import { checkChoice, checkOptionKeys, checkPositiveInteger, checkScalar } from "../validation";

export interface GridOptions {
  /** Images per row (default: up to 10). */
  columns?: number;
  /** Pixel magnification (default 2). */
  scale?: number;
  /** Gap between images in source pixels (default 1). */
  padding?: number;
  /**
   * How values map to gray: "bytes" treats them as 0..255 (Uint8Array default), "unit" as 0..1
   * (Float32Array default), "minmax" stretches each image to its own range (mean images, eigen-digits).
   */
  range?: "bytes" | "unit" | "minmax";
  /** White background with dark ink, like ink on paper (default false: MNIST's white on black). */
  invert?: boolean;
}

type Pixels = Uint8Array | Float32Array | Float64Array;

/** Packs `count` images of height × width (stored back to back in `images`) into one PNG. */
export function imageGridPng(
  images: Pixels,
  count: number,
  height: number,
  width: number,
  options: GridOptions = {},
): Uint8Array {
  checkImages(images, count, height, width);
  checkGridOptions(options);
  const columns = Math.min(options.columns ?? 10, count);
  const rows = Math.ceil(count / columns);
  const scale = options.scale ?? 2;
  const padding = options.padding ?? 1;
  const cellW = width + padding;
  const cellH = height + padding;
  const outW = (columns * cellW + padding) * scale;
  const outH = (rows * cellH + padding) * scale;
  const background = options.invert ? 255 : 64;
  const out = new Uint8Array(outW * outH).fill(background);
  for (let i = 0; i < count; i++) {
    const gray = toGray(
      images.subarray(i * height * width, (i + 1) * height * width),
      options.range ?? defaultRange(images),
      options.invert ?? false,
    );
    const x0 = (padding + (i % columns) * cellW) * scale;
    const y0 = (padding + Math.floor(i / columns) * cellH) * scale;
    for (let y = 0; y < height * scale; y++) {
      for (let x = 0; x < width * scale; x++) {
        out[(y0 + y) * outW + x0 + x] = gray[Math.floor(y / scale) * width + Math.floor(x / scale)];
      }
    }
  }
  return encodePng(out, outW, outH, 1);
}

export function showImageGrid(
  images: Pixels,
  count: number,
  height: number,
  width: number,
  options: GridOptions = {},
): void {
  displayPng(imageGridPng(images, count, height, width, options), `[image grid: ${count} images]`);
}

export interface CaptionedImage {
  /** height × width pixels. */
  pixels: Pixels;
  caption: string;
  /** Draw the caption in red, e.g. for a wrong prediction. */
  highlight?: boolean;
}

/** An HTML grid of images with a caption under each, as embedded PNGs. */
export function captionedGridHtml(
  items: CaptionedImage[],
  height: number,
  width: number,
  options: GridOptions = {},
): string {
  checkGridOptions(options);
  const scale = options.scale ?? 2;
  const cells = items.map((item) => {
    const png = imageGridPng(item.pixels, 1, height, width, { ...options, columns: 1, padding: 0 });
    const color = item.highlight ? "#c62828" : "inherit";
    return (
      `<figure style="margin:4px;text-align:center;font:12px sans-serif;">` +
      `<img src="data:image/png;base64,${Buffer.from(png).toString("base64")}" width="${width * scale}" height="${height * scale}" style="image-rendering:pixelated;"/>` +
      `<figcaption style="color:${color};white-space:pre-line;">${escapeHtml(item.caption)}</figcaption></figure>`
    );
  });
  return `<div style="display:flex;flex-wrap:wrap;">${cells.join("")}</div>`;
}

export function showCaptionedGrid(
  items: CaptionedImage[],
  height: number,
  width: number,
  options: GridOptions = {},
): void {
  displayHtml(captionedGridHtml(items, height, width, options), `[captioned grid: ${items.length} images]`);
}

const GRID_OPTIONS = ["columns", "scale", "padding", "range", "invert"] as const;
const RANGES = ["bytes", "unit", "minmax"] as const;

function checkGridOptions(options: GridOptions): void {
  checkOptionKeys("image grid", options, GRID_OPTIONS);
  if (options.columns !== undefined) checkPositiveInteger("image grid", "columns", options.columns);
  if (options.scale !== undefined) checkPositiveInteger("image grid", "scale", options.scale);
  if (options.padding !== undefined) {
    checkScalar("image grid", "padding", options.padding, { integer: true, min: 0 });
  }
  if (options.range !== undefined) checkChoice("image grid", "range", options.range, RANGES);
}

function checkImages(images: Pixels, count: number, height: number, width: number): void {
  checkPositiveInteger("image grid", "count", count);
  checkPositiveInteger("image grid", "height", height);
  checkPositiveInteger("image grid", "width", width);
  if (images.length < count * height * width) {
    throw new RangeError(
      `image grid: ${count} images of ${height}×${width} need ${count * height * width} values, got ${images.length}`,
    );
  }
}

function defaultRange(images: Pixels): "bytes" | "unit" {
  return images instanceof Uint8Array ? "bytes" : "unit";
}

function toGray(values: Pixels, range: "bytes" | "unit" | "minmax", invert: boolean): Uint8Array {
  let low = 0;
  let high = range === "bytes" ? 255 : 1;
  if (range === "minmax") {
    low = Infinity;
    high = -Infinity;
    for (const v of values) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
    if (high === low) high = low + 1;
  }
  const gray = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const level = Math.round((255 * (values[i] - low)) / (high - low));
    const clamped = level < 0 ? 0 : level > 255 ? 255 : level;
    gray[i] = invert ? 255 - clamped : clamped;
  }
  return gray;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
