/**
 * Flatten/reshape helpers between image batches (count × height × width) and feature matrices (one
 * row of height·width pixels per image). Both layouts are the same row-major bytes, so these are views.
 */
import { matrix, Matrix } from "../matrix";
import { checkPositiveInteger, checkScalar } from "../validation";

export type PixelArray = Uint8Array | Float32Array;

export interface ImageBatch {
  /** count × height × width pixels, row-major. */
  data: Float32Array;
  count: number;
  height: number;
  width: number;
}

/** A batch of images as a count × (height·width) matrix (no copy). */
export function flattenImages(batch: ImageBatch): Matrix {
  checkImageShape("flattenImages", batch.height, batch.width);
  return matrix(batch.data, batch.count, batch.height * batch.width);
}

/** A matrix of flattened images back as an image batch (no copy). */
export function reshapeToImages(x: Matrix, height = 28, width = 28): ImageBatch {
  checkImageShape("reshapeToImages", height, width);
  if (x.cols !== height * width) {
    throw new RangeError(
      `reshapeToImages: rows of ${x.cols} features cannot be ${height}×${width} images (${height * width} pixels)`,
    );
  }
  return { data: x.data, count: x.rows, height, width };
}

/** Image `index` of a flattened matrix, as a view of its pixels. */
export function imageAt(x: Matrix, index: number): Float32Array {
  checkScalar("imageAt", "index", index, { integer: true, min: 0, max: x.rows - 1 });
  return x.data.subarray(index * x.cols, (index + 1) * x.cols);
}

/** Applies a single-image function to every image of a batch, returning a new batch of the same type. */
export function mapImages<T extends PixelArray>(
  images: T,
  height: number,
  width: number,
  transform: (image: T) => T,
): T {
  const size = height * width;
  checkImageShape("mapImages", height, width);
  if (images.length % size !== 0)
    throw new RangeError(
      `mapImages: ${images.length} pixels are not a whole number of ${height}×${width} images`,
    );
  const out = images.slice() as T;
  for (let start = 0; start < images.length; start += size) {
    out.set(transform(images.subarray(start, start + size) as T), start);
  }
  return out;
}

export function checkImageShape(caller: string, height: number, width: number): void {
  checkPositiveInteger(caller, "height", height);
  checkPositiveInteger(caller, "width", width);
}

/** Throws unless `image` holds exactly one height × width image. */
export function checkImage(caller: string, image: ArrayLike<number>, height: number, width: number): void {
  checkImageShape(caller, height, width);
  if (!(image instanceof Float32Array || image instanceof Uint8Array))
    throw new TypeError(`${caller}: image must be a Float32Array or Uint8Array`);
  if (image.length !== height * width) {
    throw new RangeError(
      `${caller}: image has ${image.length} pixels, but a ${height}×${width} image has ${height * width}`,
    );
  }
}
