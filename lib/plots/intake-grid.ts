/**
 * Pictures of the image intake (lib/intake): each picture as it came in beside the 28×28 image the
 * model sees, with a caption (file, prediction); and one picture with boxes drawn over the digits found
 * in it. Images are embedded PNGs, so the HTML works in a notebook and in its exported report.
 */
import type { GrayImage } from "../intake/decode";
import { NoDigitError, toMnistDigit } from "../intake/mnist-recipe";
import { displayHtml } from "../display";
import { encodePng } from "./png";
import { escapeHtml } from "./image-grid";

export interface IntakePair {
  /** The picture as it came in (values in [0, 1], 0 black). */
  before: GrayImage;
  /** The 28×28 MNIST image made of it (ink = 1), or null where the intake found no digit. */
  after: Float32Array | null;
  caption: string;
}

/**
 * A picture through the MNIST recipe, as a before/after pair; `describe` (e.g. a model's prediction)
 * adds to the caption. A picture with no digit (blank, all dark) gets no "after" and the intake's
 * message as its caption, instead of an error.
 */
export function intakePair(
  caption: string,
  image: GrayImage,
  describe?: (pixels: Float32Array) => string,
): IntakePair {
  try {
    const { pixels } = toMnistDigit(image);
    return { before: image, after: pixels, caption: describe ? `${caption}\n${describe(pixels)}` : caption };
  } catch (error) {
    if (!(error instanceof NoDigitError)) throw error;
    return { before: image, after: null, caption: `${caption}\n${error.message}` };
  }
}

/** A PNG data URL of a gray image, values in [0, 1]. */
export function grayImageDataUrl(image: GrayImage): string {
  const bytes = Uint8Array.from(image.data, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  const png = encodePng(bytes, image.width, image.height, 1);
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

/** Each picture beside its 28×28 intake result, `height` pixels tall, captions below. */
export function intakeGridHtml(pairs: IntakePair[], height = 84): string {
  const cells = pairs.map(({ before, after, caption }) => {
    const beforeWidth = Math.max(1, Math.round((before.width * height) / before.height));
    const afterHtml = after
      ? `<img src="${grayImageDataUrl({ width: 28, height: 28, data: after })}" width="${height}" height="${height}" ` +
        `style="image-rendering:pixelated;border:1px solid #888" alt="after">`
      : `<span style="display:inline-block;width:${height}px;height:${height}px;line-height:${height}px;` +
        `border:1px dashed #888;text-align:center">no digit</span>`;
    return (
      `<figure style="margin:6px;text-align:center;font:12px sans-serif;">` +
      `<img src="${grayImageDataUrl(before)}" width="${beforeWidth}" height="${height}" style="border:1px solid #888" alt="before">` +
      ` → ${afterHtml}<figcaption style="white-space:pre-line">${escapeHtml(caption)}</figcaption></figure>`
    );
  });
  return `<div style="display:flex;flex-wrap:wrap;align-items:flex-end;">${cells.join("")}</div>`;
}

export function showIntakeGrid(pairs: IntakePair[], height = 84): void {
  displayHtml(intakeGridHtml(pairs, height), `[intake grid: ${pairs.length} pictures]`);
}

export interface LabelledBox {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
}

/** The picture with a labelled box over each digit, drawn as SVG over the embedded PNG. */
export function pictureWithBoxesHtml(image: GrayImage, boxes: LabelledBox[], displayWidth = 600): string {
  const scale = displayWidth / image.width;
  const displayHeight = Math.round(image.height * scale);
  const shapes = boxes
    .map(
      (b) =>
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="none" stroke="#e4572e" ` +
        `stroke-width="${2 / scale}"/><text x="${b.x}" y="${Math.max(b.y - 4 / scale, 12 / scale)}" ` +
        `fill="#e4572e" font-size="${16 / scale}" font-family="sans-serif" font-weight="bold">` +
        `${escapeHtml(b.label)}</text>`,
    )
    .join("");
  return (
    `<svg width="${displayWidth}" height="${displayHeight}" viewBox="0 0 ${image.width} ${image.height}" ` +
    `xmlns="http://www.w3.org/2000/svg" style="border:1px solid #888">` +
    `<image href="${grayImageDataUrl(image)}" width="${image.width}" height="${image.height}"/>${shapes}</svg>`
  );
}

export function showPictureWithBoxes(image: GrayImage, boxes: LabelledBox[], displayWidth = 600): void {
  displayHtml(pictureWithBoxesHtml(image, boxes, displayWidth), `[picture with ${boxes.length} boxes]`);
}
