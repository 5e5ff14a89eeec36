/**
 * Reading a person's image file: PNG (pngjs) or JPEG (jpeg-js), told apart by their first bytes, never
 * by the file name. The result is one grayscale value in [0, 1] per pixel (Rec. 601 luma), with any
 * transparency composited onto white paper, so a transparent PNG drawing reads as ink on paper.
 */
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { checkPositiveInteger } from "../validation";

export interface GrayImage {
  width: number;
  height: number;
  /** height × width values in [0, 1], row-major; 0 is black. */
  data: Float32Array;
}

export interface DecodeOptions {
  /** Largest width × height accepted (default 40 megapixels): a bigger image is refused before decoding. */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 40_000_000;

/** Thrown for input that is not an image we can read; `message` says why. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImageDecodeError";
  }
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

export function imageFormat(bytes: Uint8Array): "png" | "jpeg" | null {
  const starts = (magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
  if (starts(PNG_MAGIC)) return "png";
  if (starts(JPEG_MAGIC)) return "jpeg";
  return null;
}

/** Decodes a PNG or JPEG file's bytes to grayscale; throws ImageDecodeError with the reason. */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): GrayImage {
  const maxPixels = checkPositiveInteger("decodeImage", "maxPixels", options.maxPixels ?? DEFAULT_MAX_PIXELS);
  if (bytes.length === 0) throw new ImageDecodeError("the file is empty");
  const format = imageFormat(bytes);
  if (format === null) throw new ImageDecodeError("not a PNG or JPEG image");
  const { width, height } = format === "png" ? pngSize(bytes) : jpegSize(bytes);
  if (width === 0 || height === 0) throw new ImageDecodeError(`the image has no pixels (${width}×${height})`);
  if (width * height > maxPixels) {
    throw new ImageDecodeError(
      `the image is ${width}×${height} = ${width * height} pixels, above the limit of ${maxPixels}`,
    );
  }
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba =
      format === "png"
        ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        : jpeg.decode(bytes, {
            useTArray: true,
            maxResolutionInMP: Math.ceil(maxPixels / 1e6),
            formatAsRGBA: true,
          });
  } catch (err) {
    throw new ImageDecodeError(`damaged ${format.toUpperCase()} data: ${(err as Error).message}`);
  }
  return toGray(rgba);
}

/** RGBA bytes → luma in [0, 1], composited onto white by alpha. */
function toGray({ width, height, data }: { width: number; height: number; data: Uint8Array }): GrayImage {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const luma = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    const alpha = data[4 * i + 3] / 255;
    out[i] = alpha * luma + (1 - alpha);
  }
  return { width, height, data: out };
}

/** Width and height from the IHDR chunk, which a valid PNG has first. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24) throw new ImageDecodeError("damaged PNG data: the file ends before its header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height from the first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC). */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame)
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    i += 2 + length;
  }
  throw new ImageDecodeError("damaged JPEG data: no frame header");
}
